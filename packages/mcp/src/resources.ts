// Resources: what an assistant may read by URI — workspace definitions, canonical type schemas, the DSL JSON
// Schemas, example definitions of real APIs and test reports.
import type { ReadResourceResult, Resource, ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import { canonicalJsonSchema, getCanonicalType, listCanonicalTypes, PullPushError } from '@pullpush/canonical';
import { definitionJsonSchema, flowJsonSchema } from '@pullpush/schema';
import { McpErrorCode } from './errors.ts';
import { getExample, listExamples } from './examples.ts';
import type { ServerRuntime } from './runtime.ts';

const JSON_TYPE = 'application/json';
const SCHEMAS: Record<string, () => unknown> = {
  'connector-definition.v1.json': definitionJsonSchema,
  'flow.v1.json': flowJsonSchema,
};

export function listResources(runtime: ServerRuntime): Resource[] {
  return [
    ...Object.keys(SCHEMAS).map((file) => ({ uri: `pullpush://schema/${file}`, name: file, title: `DSL JSON Schema: ${file}`, mimeType: JSON_TYPE })),
    ...listCanonicalTypes().map((type) => ({
      uri: `pullpush://canonical/${type.name}@${type.version}`,
      name: `${type.name}@${type.version}`,
      title: `Canonical type ${type.name}@${type.version}`,
      description: type.description,
      mimeType: JSON_TYPE,
    })),
    ...listExamples().map((example) => ({
      uri: `pullpush://examples/${example.name}`,
      name: `example ${example.name}`,
      title: `Example definition: ${example.title} (${example.auth} auth; ${example.pagination.join(', ')} pagination)`,
      mimeType: JSON_TYPE,
    })),
    ...runtime.workspace.listDefinitions().map((definition) => ({
      uri: `pullpush://definitions/${definition.id}`,
      name: definition.id,
      title: `Definition ${definition.name} (revision ${definition.revision})`,
      mimeType: JSON_TYPE,
    })),
    ...runtime.workspace.listReports().map((report) => ({ uri: `pullpush://reports/${report.id}`, name: report.id, title: `Test report of ${report.connector}: ${report.verdict}`, mimeType: JSON_TYPE })),
  ];
}

export function listResourceTemplates(): ResourceTemplate[] {
  return [
    { uriTemplate: 'pullpush://definitions/{id}', name: 'definition', title: 'A connector definition (latest revision)', mimeType: JSON_TYPE },
    { uriTemplate: 'pullpush://definitions/{id}/revisions/{revision}', name: 'definition-revision', title: 'A revision of a connector definition', mimeType: JSON_TYPE },
    { uriTemplate: 'pullpush://canonical/{type}', name: 'canonical-type', title: 'JSON Schema of a canonical type (name@version)', mimeType: JSON_TYPE },
    { uriTemplate: 'pullpush://reports/{id}', name: 'test-report', title: 'A stored test report', mimeType: JSON_TYPE },
  ];
}

function json(uri: string, value: unknown): ReadResourceResult {
  return { contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify(value) }] };
}

export function readResource(runtime: ServerRuntime, uri: string): ReadResourceResult {
  const match = /^pullpush:\/\/([a-z]+)\/(.+)$/.exec(uri);
  const [kind, rest] = [match?.[1], match?.[2] ?? ''];
  if (kind === 'schema' && SCHEMAS[rest]) return json(uri, SCHEMAS[rest]());
  if (kind === 'canonical') {
    const [name, version] = rest.split('@');
    return json(uri, canonicalJsonSchema(getCanonicalType(name ?? '', version === undefined ? undefined : Number(version))));
  }
  if (kind === 'definitions') {
    const [id, , revision] = rest.split('/');
    return json(uri, runtime.workspace.getDefinition(id ?? '', revision === undefined ? undefined : Number(revision)).document);
  }
  if (kind === 'reports') return json(uri, runtime.workspace.getReport(rest));
  if (kind === 'examples') return json(uri, getExample(rest));
  throw new PullPushError(McpErrorCode.NotFound, `No resource ${uri}.`, { hint: 'resources/list and resources/templates/list give what exists.' });
}
