// completion/complete: the values a prompt argument or a resource template variable can take, from the workspace
// and the canonical catalogue, filtered by what the client typed so far. An argument with no known set of values
// (free text such as build_connector's "api") completes to nothing.
import { listCanonicalTypes } from '@pullpush/canonical';
import type { CompleteRequest, CompleteResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServerRuntime } from './runtime.ts';

/** The protocol's limit on the values of one answer. */
const MAX_VALUES = 100;

type Context = Record<string, string>;

function definitionIds(runtime: ServerRuntime): string[] {
  return runtime.workspace.listDefinitions().map((definition) => definition.id);
}

function streamsOf(runtime: ServerRuntime, definition: string | undefined): string[] {
  if (definition === undefined || !runtime.workspace.hasDefinition(definition)) return [];
  const streams = runtime.workspace.getDefinition(definition).document['streams'];
  return typeof streams === 'object' && streams !== null ? Object.keys(streams) : [];
}

/** Candidates per prompt argument and per template variable; `context` holds the arguments already given. */
const PROMPT_ARGUMENTS: Record<string, Record<string, (runtime: ServerRuntime, context: Context) => string[]>> = {
  debug_failing_stream: {
    definition: (runtime) => definitionIds(runtime),
    stream: (runtime, context) => streamsOf(runtime, context['definition']),
    connection: (runtime) => runtime.workspace.listConnections().map((connection) => connection.name),
  },
};

const TEMPLATE_VARIABLES: Record<string, Record<string, (runtime: ServerRuntime, context: Context) => string[]>> = {
  'pullpush://definitions/{id}': { id: (runtime) => definitionIds(runtime) },
  'pullpush://definitions/{id}/revisions/{revision}': {
    id: (runtime) => definitionIds(runtime),
    revision: (runtime, context) => (context['id'] !== undefined && runtime.workspace.hasDefinition(context['id']) ? runtime.workspace.revisions(context['id']).map(String) : []),
  },
  'pullpush://canonical/{type}': { type: () => listCanonicalTypes().map((type) => `${type.name}@${type.version}`) },
  'pullpush://reports/{id}': { id: (runtime) => runtime.workspace.listReports().map((report) => report.id) },
};

export function complete(runtime: ServerRuntime, params: CompleteRequest['params']): CompleteResult {
  const { ref, argument } = params;
  const table = ref.type === 'ref/prompt' ? PROMPT_ARGUMENTS[ref.name] : TEMPLATE_VARIABLES[ref.uri];
  const candidates = table?.[argument.name]?.(runtime, params.context?.arguments ?? {}) ?? [];
  const typed = argument.value.toLowerCase();
  const matching = candidates.filter((value) => value.toLowerCase().startsWith(typed));
  return { completion: { values: matching.slice(0, MAX_VALUES), total: matching.length, hasMore: matching.length > MAX_VALUES } };
}
