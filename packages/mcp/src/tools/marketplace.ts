// Marketplace tools: search the registry, read a connector's page, install one into the workspace (verified:
// integrity and both signatures), list what is installed, and publish a stored definition — only with a stored
// passing test report of exactly that revision. The registry and the publishing key are the server's settings.
import { PullPushError } from '@pullpush/canonical';
import { RegistryPackageInfo, RegistrySearchHit } from '@pullpush/schema';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import { loadRegistry } from '../libraries/load.ts';
import type { RegistrySettings, ServerRuntime } from '../runtime.ts';
import { defineTool, READ_ONLY, type ToolAnnotations } from '../tool.ts';
import { DefinitionId, Revision } from './schemas.ts';

const PackageName = Type.String({ pattern: '^@[a-z0-9][a-z0-9-]{0,38}/[a-z0-9][a-z0-9_-]{0,63}$', description: 'A package name: @scope/name.' });
/** Reads the registry over the network. */
const READS_REGISTRY: ToolAnnotations = { ...READ_ONLY, openWorldHint: true };
/** Writes to the workspace, or publishes, after reading the registry. */
const WRITES_REGISTRY: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

function registryOf(runtime: ServerRuntime): RegistrySettings {
  if (!runtime.registry) {
    throw new PullPushError(McpErrorCode.InvalidArguments, 'This server has no marketplace registry.', { hint: 'Ask the user to start the server with a registry (pullpush login, or PULLPUSH_REGISTRY).' });
  }
  return runtime.registry;
}

async function client(runtime: ServerRuntime, withToken = false) {
  const { url, token } = registryOf(runtime);
  const { RegistryClient } = await loadRegistry();
  return new RegistryClient({ url, ...(withToken && token ? { token } : {}) });
}

function lockfileOf(runtime: ServerRuntime): string {
  return join(runtime.workspace.root, 'pullpush-lock.json');
}

export const marketplaceTools = [
  defineTool({
    name: 'search_marketplace',
    title: 'Search the marketplace',
    description: 'Searches the registry for published, verified connectors by words of their names, descriptions, canonical types (commerce.order), auth kinds and stream names: name, latest version, description, canonical types, auth kind, streams, install count and the verification of the latest version.',
    group: 'marketplace',
    input: Type.Object({ query: Type.String({ maxLength: 200 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'At most this many (default 10).' })) }, { additionalProperties: false }),
    output: Type.Object({ results: Type.Array(RegistrySearchHit) }),
    annotations: READS_REGISTRY,
    async handler(args, { runtime }) {
      return { results: await (await client(runtime)).search(args.query, args.limit ?? 10) };
    },
  }),
  defineTool({
    name: 'get_marketplace_connector',
    title: 'Read a marketplace connector',
    description: "A published connector's page: owner, description, dist-tags, install count, and every version with its verification (the test verdict and the streams it covered), yanked and deprecated flags.",
    group: 'marketplace',
    input: Type.Object({ name: PackageName }, { additionalProperties: false }),
    output: RegistryPackageInfo,
    annotations: READS_REGISTRY,
    async handler(args, { runtime }) {
      return (await client(runtime)).info(args.name);
    },
  }),
  defineTool({
    name: 'install_connector',
    title: 'Install a marketplace connector',
    description:
      'Installs a published connector into the workspace by name: a dist-tag (default latest), an exact version or a semver range (@acme/shop@^1.0.0). Its integrity and both signatures (publisher and registry) are checked before anything is written; the definition is then stored as a workspace definition (a new revision when its id exists) and recorded in the workspace lockfile.',
    group: 'marketplace',
    input: Type.Object({ spec: Type.String({ minLength: 3, maxLength: 200, description: '@scope/name, optionally @range.' }) }, { additionalProperties: false }),
    output: Type.Object({ name: Type.String(), version: Type.String(), integrity: Type.String(), definition: Type.String({ description: 'The workspace definition id it is stored under.' }), revision: Type.Integer(), deprecated: Type.Union([Type.String(), Type.Null()]) }),
    annotations: WRITES_REGISTRY,
    async handler(args, { runtime, workspace }) {
      const { install } = await loadRegistry();
      const installed = await install(await client(runtime), args.spec, { dir: join(workspace.root, 'connectors'), lockfile: lockfileOf(runtime) });
      const id = String(installed.definition['id']);
      const saved = workspace.saveDefinition(id, installed.definition);
      runtime.events.emit('resources-changed');
      return { name: installed.name, version: installed.version, integrity: installed.integrity, definition: id, revision: saved.revision, deprecated: installed.deprecated };
    },
  }),
  defineTool({
    name: 'list_installed_connectors',
    title: 'List installed connectors',
    description: 'Lists the connectors installed from the marketplace into this workspace, as its lockfile records them: name, version, integrity, registry.',
    group: 'marketplace',
    input: Type.Object({}, { additionalProperties: false }),
    output: Type.Object({ connectors: Type.Record(Type.String(), Type.Object({ version: Type.String(), integrity: Type.String(), registry: Type.String() })) }),
    annotations: READ_ONLY,
    handler(_args, { runtime }) {
      const path = lockfileOf(runtime);
      return { connectors: existsSync(path) ? ((JSON.parse(readFileSync(path, 'utf8')) as { connectors: Record<string, { version: string; integrity: string; registry: string }> }).connectors ?? {}) : {} };
    },
  }),
  defineTool({
    name: 'publish_definition',
    title: 'Publish a definition to the marketplace',
    description:
      "Publishes a stored definition (a revision, default the latest) under a package name of the server's account, signed with the server's key. Only with a stored test report (test_connector) of exactly that revision in which auth and every stream passed; the registry checks the same again.",
    group: 'marketplace',
    input: Type.Object({ definition: DefinitionId, revision: Type.Optional(Revision), name: PackageName }, { additionalProperties: false }),
    output: Type.Object({ name: Type.String(), version: Type.String(), integrity: Type.String(), report: Type.String({ description: 'The id of the report published with it.' }) }),
    annotations: WRITES_REGISTRY,
    async handler(args, { runtime, workspace }) {
      const settings = registryOf(runtime);
      if (!settings.token || !settings.signer) {
        throw new PullPushError(McpErrorCode.InvalidArguments, 'This server has no publish token or signing key for the registry.', { hint: 'Ask the user to run pullpush login and pullpush keys create where the server runs, then restart it.' });
      }
      const { definitionArtifact } = await loadRegistry();
      const stored = workspace.getDefinition(args.definition, args.revision);
      const { integrity } = definitionArtifact(stored.document);
      const passing = workspace
        .listReports(args.definition)
        .map((summary) => workspace.getReport(summary.id))
        .find((report) => report.verdict === 'pass' && report.report['integrity'] === integrity);
      if (!passing) {
        throw new PullPushError(McpErrorCode.InvalidArguments, `No passing test report of ${args.definition} revision ${stored.revision} is stored.`, {
          hint: 'Run test_connector on exactly this revision (with a connection) until it passes, then publish.',
        });
      }
      const published = await (await client(runtime, true)).publish(args.name, stored.document, passing.report, settings.signer);
      return { ...published, report: passing.id };
    },
  }),
];
