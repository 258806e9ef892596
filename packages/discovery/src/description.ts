// An API description read into one shape: an OpenAPI 3.1 document whose `$ref`s are resolved in place, whatever
// came in (OpenAPI 2.0, 3.0, 3.1 or a Postman v2.x collection; JSON or YAML; a file, a string or fetched text).
// Parsing, upgrading and dereferencing are @scalar/openapi-parser's; this module reports where things broke.
import { PullPushError } from '@pullpush/canonical';
import { fetchDocument, type NetworkOptions } from '@pullpush/engine';
import { bundleWithDiagnostics, type LoaderPlugin } from '@scalar/json-magic/bundle';
import { parseJson, parseYaml as yamlFiles, readFiles } from '@scalar/json-magic/bundle/plugins/node';
import { dereference, upgrade } from '@scalar/openapi-parser';
import { convert } from '@scalar/postman-to-openapi';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { DiscoveryErrorCode } from './errors.ts';
import { isObject, type JsonObject } from './json.ts';

export type DescriptionFormat = 'openapi-2.0' | 'openapi-3.0' | 'openapi-3.1' | 'postman-2.0' | 'postman-2.1';

/** Something discovery skipped or could not use, and where it is. */
export interface Skipped {
  /** JSON pointer into the OpenAPI 3.1 form of the description ("" for the whole of it). */
  pointer: string;
  reason: string;
}

export interface Description {
  format: DescriptionFormat;
  /** Where it came from: the file path or URL, or "(text)". */
  origin: string;
  /** sha256 of the text as read, so a draft report names exactly what it was drafted from. */
  sha256: string;
  /** The OpenAPI 3.1 document with `$ref`s resolved in place (circular references stay circular). */
  document: JsonObject;
  /** The `$ref` a resolved object came from (#/components/schemas/customer), for provenance. */
  refOf(node: object): string | undefined;
  /** What could not be resolved or converted. */
  skipped: Skipped[];
}

/**
 * Where a description is read from: a file, whose `$ref`s to other files resolve against its folder (only under
 * `root` when one is given: an application reading files for others passes the folder they may read); text; or a
 * URL fetched through the engine's network policy (https only and no private addresses, unless `network` allows them).
 */
export type DescriptionSource = { file: string; root?: string } | { text: string; origin?: string } | { url: string; network?: NetworkOptions; signal?: AbortSignal };

/** Reads, parses, upgrades and dereferences a description. Throws DISCOVERY_* errors naming the place. */
export async function readDescription(source: DescriptionSource): Promise<Description> {
  if ('url' in source) {
    const fetched = await fetchDocument(source.url, { ...source.network, ...(source.signal ? { signal: source.signal } : {}) });
    return readDescription({ text: fetched.text, origin: fetched.url });
  }
  const origin = 'file' in source ? source.file : (source.origin ?? '(text)');
  let text: string;
  if ('file' in source) {
    try {
      text = await readFile(source.file, 'utf8');
    } catch (error) {
      throw new PullPushError(DiscoveryErrorCode.Unreadable, `Cannot read ${source.file}: ${(error as Error).message}`, {
        hint: 'Give the path of an OpenAPI (JSON or YAML) or Postman collection file.',
        cause: error,
      });
    }
  } else {
    text = source.text;
  }
  const parsed = parseText(text, origin);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const skipped: Skipped[] = [];
  const { format, document: published } = openApiOf(parsed, origin, skipped);
  // Refs to other files resolve against the file's folder; text has no folder, so they are reported instead.
  const upgraded = upgrade(published).specification as unknown as JsonObject;
  if ('file' in source && externalFileRefs(published).length > 0) {
    const bundled = await bundleFiles(source.file, source.root, upgraded, skipped);
    return finish(format, origin, sha256, bundled, skipped);
  }
  return finish(format, origin, sha256, upgraded, skipped);
}

/**
 * The description with the files its `$ref`s name bundled in (refs inside those files resolve against their own
 * folder). A file outside `root`, or missing, is not read: the reference stays unresolved and is listed.
 */
async function bundleFiles(file: string, root: string | undefined, upgraded: JsonObject, skipped: Skipped[]): Promise<JsonObject> {
  const files = readFiles();
  const bounded: LoaderPlugin = {
    type: 'loader',
    validate: files.validate,
    exec: async (value) => {
      if (root !== undefined && !isWithin(resolve(root), resolve(value))) {
        skipped.push({ pointer: '', reason: `$ref to ${value} points outside ${root} and is not followed` });
        return { ok: false };
      }
      return files.exec(value);
    },
  };
  // The upgraded document is bundled in place of the published one; the files it names are read as they are.
  const result = await bundleWithDiagnostics(upgraded, { plugins: [bounded, parseJson(), yamlFiles()], treeShake: false, origin: resolve(file) });
  for (const diagnostic of result.diagnostics) {
    skipped.push({ pointer: diagnostic.pointer, reason: `${diagnostic.kind === 'unresolved-document' ? 'cannot read' : 'no target for'} $ref ${diagnostic.reference} (in ${diagnostic.source})` });
  }
  return result.document as JsonObject;
}

function finish(format: DescriptionFormat, origin: string, sha256: string, input: Parameters<typeof dereference>[0], skipped: Skipped[]): Description {
  const refs = new WeakMap<object, string>();
  const result = dereference(input, { onDereference: ({ schema, ref }) => refs.set(schema, ref) });
  for (const error of result.errors ?? []) skipped.push({ pointer: '', reason: `${error.message} (left unresolved)` });
  return { format, origin, sha256, document: result.schema as JsonObject, refOf: (node) => refs.get(node), skipped };
}

function parseText(text: string, origin: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new PullPushError(DiscoveryErrorCode.Unparseable, `${origin} is not valid JSON: ${(error as Error).message}`, {
        hint: 'Fix the JSON at the position given (a trailing comma or an unquoted key is the usual cause), or give the YAML form.',
        cause: error,
      });
    }
  }
  try {
    // Large descriptions reuse anchors heavily; the alias limit guards against billion-laughs documents.
    return parseYaml(text, { maxAliasCount: 10_000, uniqueKeys: false });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    throw new PullPushError(DiscoveryErrorCode.Unparseable, `${origin} is not valid YAML${where}: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'Fix the YAML at that line (indentation and unquoted colons are the usual causes).',
      cause: error,
    });
  }
}

function openApiOf(parsed: unknown, origin: string, skipped: Skipped[]): { format: DescriptionFormat; document: JsonObject } {
  if (isObject(parsed)) {
    // `swagger: 2.0` unquoted in YAML is the number 2: common in published files.
    if (parsed['swagger'] === '2.0' || parsed['swagger'] === 2) return { format: 'openapi-2.0', document: { ...parsed, swagger: '2.0' } };
    const openapi = parsed['openapi'];
    if (typeof openapi === 'string' && openapi.startsWith('3.0')) return { format: 'openapi-3.0', document: parsed };
    if (typeof openapi === 'string' && openapi.startsWith('3.1')) return { format: 'openapi-3.1', document: parsed };
    const schema = isObject(parsed['info']) ? parsed['info']['schema'] : undefined;
    if (typeof schema === 'string' && /schema\.getpostman\.com\/json\/collection\/v2\.[01]/.test(schema) && Array.isArray(parsed['item'])) {
      const format = schema.includes('v2.0') ? 'postman-2.0' : 'postman-2.1';
      resolvePostmanVariables(parsed);
      skipped.push({ pointer: '/item', reason: 'Postman collections hold no response schemas: records are located by convention and pagination by parameters only' });
      return { format, document: convert(parsed as unknown as Parameters<typeof convert>[0]) as unknown as JsonObject };
    }
    if (typeof openapi === 'string' || parsed['swagger'] !== undefined) {
      throw new PullPushError(DiscoveryErrorCode.NotADescription, `${origin} declares OpenAPI version ${String(openapi ?? parsed['swagger'])}, which discovery does not read.`, {
        hint: 'Discovery reads OpenAPI 2.0, 3.0 and 3.1 and Postman collections v2.0/v2.1.',
      });
    }
  }
  throw new PullPushError(DiscoveryErrorCode.NotADescription, `${origin} is neither an OpenAPI description nor a Postman collection: it has no "openapi", "swagger" or Postman "info.schema" key at the top.`, {
    hint: 'Give the OpenAPI (swagger.json, openapi.yaml) or Postman collection file of the API, not a page of its documentation.',
  });
}

/** Replaces {{name}} in request URLs and headers by the collection's variable values, so paths and hosts are real. */
function resolvePostmanVariables(collection: JsonObject): void {
  const values = new Map<string, string>();
  for (const variable of Array.isArray(collection['variable']) ? collection['variable'] : []) {
    if (isObject(variable) && typeof variable['key'] === 'string' && typeof variable['value'] === 'string' && !variable['value'].includes('{{')) {
      values.set(variable['key'], variable['value']);
    }
  }
  if (values.size === 0) return;
  const substitute = (text: string) => text.replace(/\{\{([^{}]+)\}\}/g, (whole, name: string) => values.get(name.trim()) ?? whole);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return substitute(node);
    if (Array.isArray(node)) return node.map(walk);
    if (isObject(node)) {
      for (const key of Object.keys(node)) node[key] = walk(node[key]);
    }
    return node;
  };
  const items = (nodes: unknown[]): void => {
    for (const item of nodes) {
      if (!isObject(item)) continue;
      if (Array.isArray(item['item'])) items(item['item']);
      if (isObject(item['request'])) {
        item['request']['url'] = walk(item['request']['url']);
        item['request']['header'] = walk(item['request']['header']);
      }
    }
  };
  items(collection['item'] as unknown[]);
}

/** `$ref`s to other files (not to this document, not to URLs), each once. */
function externalFileRefs(node: unknown, seen = new Set<object>(), found = new Set<string>()): string[] {
  if ((isObject(node) || Array.isArray(node)) && !seen.has(node)) {
    seen.add(node);
    const ref = isObject(node) ? node['$ref'] : undefined;
    if (typeof ref === 'string' && !ref.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(ref)) found.add(ref);
    for (const child of Array.isArray(node) ? node : Object.values(node)) externalFileRefs(child, seen, found);
  }
  return [...found];
}

function isWithin(folder: string, file: string): boolean {
  const within = relative(folder, file);
  return within !== '' && !within.startsWith('..') && !isAbsolute(within);
}
