// Contract checks of the example connector definitions against the real API descriptions in ../shared/apis
// (relative to the repository root): every stream's request path must be a path of the API's spec, and for JSON
// specs every query parameter the stream sends must be one the operation declares. Skipped when the folder is
// not there (it is not part of this repository).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConnectorDefinition } from '../src/index.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const apisDir = join(repoRoot, '..', 'shared', 'apis');
const hasApis = existsSync(apisDir);

/** Spec folder of a connector id, when it is not the id itself. */
const SPEC_FOLDERS: Record<string, string> = { jira: 'jira-cloud-platform' };

const examplesDir = new URL('../examples/', import.meta.url);
const definitions = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((file) => ({ file, doc: JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')) as ConnectorDefinition }))
  .filter(({ doc }) => doc.dsl === 'pullpush/v1');

type Stream = ConnectorDefinition['streams'][string];
type Placement = { in: 'query' | 'body' | 'header'; name: string };
type Parameter = { name?: string; in?: string; $ref?: string };
type Operation = { parameters?: Parameter[] };
type PathItem = Record<string, Operation | Parameter[] | undefined> & { parameters?: Parameter[] };

interface Spec {
  file: string;
  /** Path prefix every spec path is relative to: the server URL's path (OpenAPI 3) or basePath (Swagger 2). */
  prefix: string;
  paths: string[];
  /** Parsed document of JSON specs; YAML specs are only searched as text. */
  json?: { paths: Record<string, PathItem>; [key: string]: unknown };
}

const PLACEHOLDER = /\{\{[\s\S]*?\}\}/g;

function urlPath(url: string): string {
  const path = new URL(url.replace(PLACEHOLDER, 'placeholder')).pathname;
  return path.replace(/\/+$/, '');
}

function loadSpec(folder: string): Spec {
  const names = readdirSync(folder).filter((name) => /\.(json|ya?ml)$/.test(name) && !/postman/i.test(name));
  const name = ['openapi.json', 'openapi.yaml', 'openapi.yml'].find((candidate) => names.includes(candidate)) ?? names[0];
  if (name === undefined) throw new Error(`no JSON or YAML spec in ${folder}`);
  const file = join(folder, name);
  const text = readFileSync(file, 'utf8');
  if (name.endsWith('.json')) {
    const json = JSON.parse(text) as Spec['json'] & { swagger?: string; basePath?: string; servers?: { url: string }[] };
    const server = json.servers?.[0]?.url;
    const prefix = json.swagger !== undefined ? (json.basePath ?? '').replace(/\/+$/, '') : server === undefined ? '' : urlPath(server);
    return { file, prefix, paths: Object.keys(json.paths), json };
  }
  // YAML: a text search is enough. Paths are the two-space-indented keys starting with a slash.
  const server = /^servers:\s*\n\s*-\s*url:\s*['"]?([^'"\s]+)/m.exec(text)?.[1];
  const paths = [...text.matchAll(/^ {2}['"]?(\/[^'":\s]*)['"]?:\s*$/gm)].map((match) => match[1] as string);
  return { file, prefix: server === undefined ? '' : urlPath(server), paths };
}

const specs = new Map<string, Spec>();
function specOf(folder: string): Spec {
  let spec = specs.get(folder);
  if (spec === undefined) specs.set(folder, (spec = loadSpec(folder)));
  return spec;
}

/** The full request path with each `{{ … }}` placeholder as a `{…}` parameter: /v1/repos/{…}/issues. */
function requestPath(doc: ConnectorDefinition, stream: Stream): string {
  const path = stream.request.path;
  const full = /^https?:\/\//.test(path) ? urlPath(path) : urlPath(doc.http.baseUrl) + path;
  return full.replace(PLACEHOLDER, '{…}');
}

/**
 * A pattern matching spec paths for a request path: a placeholder stands for one or more `{param}` segments
 * (a partition "owner/name" fills /repos/{owner}/{repo}), literal text must be equal.
 */
function pathPattern(path: string): RegExp {
  const parts = path.split('{…}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('\\{[^/{}]+\\}(?:/\\{[^/{}]+\\})*')}$`);
}

function matchingPaths(spec: Spec, path: string): string[] {
  const pattern = pathPattern(path);
  return spec.paths.filter((specPath) => pattern.test(spec.prefix + specPath));
}

/** Query parameters a stream sends: its request query, pagination and incremental parameters. */
function queryParams(stream: Stream): string[] {
  const placements: (Placement | undefined)[] = [stream.incremental?.param];
  const pagination = stream.pagination as Record<string, unknown> | undefined;
  if (pagination !== undefined) {
    for (const key of ['param', 'offsetParam', 'limitParam', 'pageParam']) placements.push(pagination[key] as Placement | undefined);
    placements.push((pagination['pageSize'] as { param: Placement } | undefined)?.param);
  }
  const names = [...Object.keys(stream.request.query ?? {}), ...placements.filter((p) => p?.in === 'query').map((p) => (p as Placement).name)];
  // created[gte] is the deepObject parameter `created`.
  return [...new Set(names.map((name) => name.replace(/\[.*$/, '')))];
}

function resolve(json: NonNullable<Spec['json']>, parameter: Parameter): Parameter {
  if (parameter.$ref === undefined) return parameter;
  let node: unknown = json;
  for (const key of parameter.$ref.replace(/^#\//, '').split('/')) node = (node as Record<string, unknown>)[key];
  return node as Parameter;
}

function declaredQueryParams(spec: Spec, specPath: string, method: string): Set<string> {
  const json = spec.json as NonNullable<Spec['json']>;
  const item = json.paths[specPath] as PathItem;
  const operation = item[method.toLowerCase()] as Operation | undefined;
  const parameters = [...(item.parameters ?? []), ...(operation?.parameters ?? [])].map((parameter) => resolve(json, parameter));
  return new Set(parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name as string));
}

describe.skipIf(!hasApis)(
  hasApis ? `examples against the API descriptions in ${apisDir}` : `examples against API descriptions: skipped, ${apisDir} not found`,
  () => {
    for (const { file, doc } of definitions) {
      const folder = join(apisDir, SPEC_FOLDERS[doc.id] ?? doc.id);
      const hasSpec = existsSync(folder);
      describe.skipIf(!hasSpec)(hasSpec ? `${file} (${doc.id})` : `${file}: skipped, no spec folder ${folder}`, () => {
        for (const [name, stream] of Object.entries(doc.streams)) {
          const path = requestPath(doc, stream);
          const method = stream.request.method ?? 'GET';

          it(`${name}: ${method} ${path} is a path of the spec`, () => {
            const spec = specOf(folder);
            expect(matchingPaths(spec, path), `no path of ${spec.file} (prefix "${spec.prefix}") matches ${path}`).not.toEqual([]);
          });

          it(`${name}: the spec declares the query parameters sent`, () => {
            const spec = specOf(folder);
            if (spec.json === undefined) return; // YAML specs are only searched for paths.
            const specPath = matchingPaths(spec, path)[0];
            expect(specPath, `no path matches ${path}`).toBeDefined();
            const declared = declaredQueryParams(spec, specPath as string, method);
            expect(queryParams(stream).filter((param) => !declared.has(param))).toEqual([]);
          });
        }
      });
    }
  },
);
