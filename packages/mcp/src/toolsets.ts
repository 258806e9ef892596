// Toolsets: the tools grouped by the task an assistant is on, so a session lists only what it needs. Every tool is
// in exactly one toolset. A server serves all of them, the ones it is started with (`--toolsets discover,sync`), or,
// in dynamic mode, only `list_toolsets` and `enable_toolset` until the assistant enables what it needs.
// No runtime imports: the command line reads the toolset names for its help without loading the server.
import type { ToolDefinition } from './tool.ts';

export const TOOLSETS = {
  discover: {
    description: 'From an API description (OpenAPI, Postman) or a probed endpoint to a drafted, verified definition: discover_api, generate_connector, the mock API, probe_endpoint.',
    tools: ['discover_api', 'generate_connector', 'start_mock_api', 'stop_mock_api', 'probe_endpoint'],
  },
  author: {
    description: 'Write and fix definitions by hand: the DSL by section, examples, template variables, validation, error explanations, create, update, get, list.',
    tools: ['get_connector_schema', 'get_example', 'list_template_variables', 'validate_definition', 'explain_error', 'create_definition', 'update_definition', 'get_definition', 'list_definitions'],
  },
  canonical: {
    description: 'The canonical types a mapping targets: list and describe them, validate a record, map one native record, suggest mappings from a sample.',
    tools: ['list_canonical_types', 'get_canonical_type', 'validate_canonical', 'map_record', 'suggest_mappings'],
  },
  test: {
    description: 'Read-only test runs against the live API and their stored reports.',
    tools: ['test_connector', 'check_auth', 'test_stream', 'get_test_report', 'list_test_reports'],
  },
  connect: {
    description: 'Connections: a definition plus its config, secrets stored encrypted (given by reference from the environment).',
    tools: ['create_connection', 'list_connections', 'get_connection', 'test_connection', 'delete_connection', 'rotate_secret'],
  },
  sync: {
    description: 'Read samples, run syncs into the workspace database, follow and cancel runs, checkpoints, failed records.',
    tools: ['read_sample', 'run_sync', 'sync_status', 'cancel_run', 'list_runs', 'get_run', 'get_state', 'reset_state', 'list_failed_records'],
  },
  flows: {
    description: "Flow documents (a source connection to a destination); running a flow to a connector destination, its mode and status, shadow trials of new revisions, and its dead-letter queue.",
    tools: ['create_flow', 'list_flows', 'get_flow', 'delete_flow', 'run_flow', 'preview_flow', 'reconcile_flow', 'flow_status', 'set_flow_mode', 'shadow_flow', 'dlq_list', 'dlq_clusters', 'dlq_retry', 'dlq_discard'],
  },
  marketplace: {
    description: 'The connector marketplace: search it, read a connector, install one (verified) into the workspace, list what is installed, publish a tested definition.',
    tools: ['search_marketplace', 'get_marketplace_connector', 'install_connector', 'list_installed_connectors', 'publish_definition'],
  },
  manage: {
    description: 'Definition history (versions, diffs, rollback, export, delete) and the health of the server and its data.',
    tools: ['list_definition_versions', 'diff_definition_versions', 'rollback_definition', 'export_definition', 'delete_definition', 'system_health', 'event_stats'],
  },
} as const satisfies Record<string, { description: string; tools: readonly string[] }>;

export type ToolsetName = keyof typeof TOOLSETS;
export const TOOLSET_NAMES = Object.keys(TOOLSETS) as ToolsetName[];

/** Which tools a server serves: every toolset, some of them, or dynamic (the assistant enables them). */
export type ToolsetSelection = 'all' | 'dynamic' | readonly ToolsetName[];

/** The toolset a tool is in. */
export function toolsetOf(tool: string): ToolsetName | undefined {
  return TOOLSET_NAMES.find((name) => (TOOLSETS[name].tools as readonly string[]).includes(tool));
}

/** The names that are not toolsets. */
export function unknownToolsets(names: readonly string[]): string[] {
  return names.filter((name) => !(TOOLSET_NAMES as readonly string[]).includes(name));
}

/** The tools of the given toolsets, in the order `all` lists them. */
export function toolsOf(all: readonly ToolDefinition[], toolsets: readonly ToolsetName[]): ToolDefinition[] {
  const wanted = new Set(toolsets.flatMap((name) => TOOLSETS[name].tools as readonly string[]));
  return all.filter((tool) => wanted.has(tool.name));
}
