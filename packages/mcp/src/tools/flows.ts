// Flow tools: flows (a source connection's streams → a destination) stored in the workspace, validated against
// the definitions they name before they are saved.
import { PullPushError } from '@pullpush/canonical';
import { validateFlow, type Problem } from '@pullpush/schema';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import { defineTool, DESTROYS, READ_ONLY, WRITES } from '../tool.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { compact, JsonObject, Problem as ProblemSchema, type ProblemOut, FreeObject } from './schemas.ts';

type Json = Record<string, unknown>;

const FlowId = Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64, description: 'Flow id in the workspace.' });

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The connector definitions a flow names that the workspace holds, and problems for those it does not. */
function namedDefinitions(workspace: Workspace, flow: Json): { definitions: Record<string, unknown>; problems: Problem[]; warnings: Problem[] } {
  const definitions: Record<string, unknown> = {};
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const known = workspace.listDefinitions().map((definition) => definition.id);
  const source = isObject(flow['source']) ? flow['source'] : {};
  const destination = isObject(flow['destination']) ? flow['destination'] : {};
  const named: Array<[string | undefined, string, string | undefined, string]> = [
    [text(source['connector']), '/source/connector', text(source['connection']), '/source/connection'],
    ...(destination['kind'] === 'connector' ? [[text(destination['connector']), '/destination/connector', text(destination['connection']), '/destination/connection'] as [string | undefined, string, string | undefined, string]] : []),
  ];
  const connections = new Set(workspace.listConnections().map((connection) => connection.name));
  for (const [connector, pointer, connection, connectionPointer] of named) {
    if (connector === undefined || !/^[a-z][a-z0-9_-]{0,63}$/.test(connector)) continue;
    if (known.includes(connector)) definitions[connector] = workspace.getDefinition(connector).document;
    else {
      problems.push({
        code: McpErrorCode.NotFound,
        severity: 'error',
        pointer,
        message: `no connector definition "${connector}" in the workspace`,
        hint: known.length > 0 ? `Definitions: ${known.join(', ')}.` : 'Create the connector definition first (create_definition).',
      });
    }
    if (connection !== undefined && !connections.has(connection)) {
      warnings.push({
        code: McpErrorCode.NotFound,
        severity: 'warning',
        pointer: connectionPointer,
        message: `no connection "${connection}" in the workspace yet`,
        hint: 'Create it with create_connection before running the flow.',
      });
    }
  }
  return { definitions, problems, warnings };
}

function describe(problem: Problem): string {
  return problem.suggestion ? `${problem.message} (did you mean "${problem.suggestion}"?)` : problem.message;
}

const FlowSummary = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  connector: Type.Optional(Type.String()),
  connection: Type.Optional(Type.String()),
  streams: Type.Array(Type.String()),
  destination: Type.Optional(Type.String({ description: 'Destination kind: sqlite, jsonl, postgres or connector.' })),
  schedule: Type.Optional(Type.String()),
  mode: Type.String(),
});

function summary(id: string, flow: Json) {
  const source = isObject(flow['source']) ? flow['source'] : {};
  const destination = isObject(flow['destination']) ? flow['destination'] : {};
  const schedule = isObject(flow['schedule']) ? flow['schedule'] : {};
  const every = text(schedule['every']);
  const cron = text(schedule['cron']);
  return compact<{ id: string; streams: string[]; mode: string }>({
    id,
    name: text(flow['name']),
    connector: text(source['connector']),
    connection: text(source['connection']),
    streams: Array.isArray(source['streams']) ? source['streams'].filter((stream): stream is string => typeof stream === 'string') : [],
    destination: text(destination['kind']),
    schedule: every ? `every ${every}` : cron ? `cron ${cron}` : undefined,
    mode: text(flow['mode']) ?? 'live',
  });
}

export const flowsTools = [
  defineTool({
    name: 'create_flow',
    title: 'Create a flow',
    description:
      'Stores a flow (dsl "pullpush/flow/v1"): which streams of a source connection to read and where the canonical records go. run_flow runs a flow whose destination is a connector (sync, then delivery through its writes) in the mode of the flow (live, shadow or paused: set_flow_mode); for sqlite and jsonl destinations run_sync syncs the source connection; postgres destinations run with the CLI (pullpush flow run, pullpush sync --to postgres://…), not here; schedules are not acted on. The flow is validated first, including that the source connector definition exists in the workspace and has the streams named; an invalid flow is refused with every problem at its pointer. Set replace to overwrite a flow of the same id. Warnings (e.g. a connection not created yet) come back with the result.',
    group: 'flows',
    input: Type.Object(
      {
        flow: FreeObject({ description: 'The flow document.' }),
        replace: Type.Optional(Type.Boolean({ description: 'Overwrite an existing flow of the same id (default false).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({ id: Type.String(), replaced: Type.Boolean(), warnings: Type.Array(ProblemSchema) }),
    annotations: WRITES,
    handler(args, { workspace }) {
      const flow = args.flow;
      const { definitions, problems, warnings } = namedDefinitions(workspace, flow);
      const result = validateFlow(flow, { definitions });
      const errors = [...result.errors, ...problems];
      if (errors.length > 0) {
        throw new PullPushError(McpErrorCode.InvalidDocument, `The flow is not valid (${errors.length} problem${errors.length === 1 ? '' : 's'}); nothing was saved.`, {
          hint: errors.find((problem) => problem.hint)?.hint ?? 'Fix each problem at its pointer and call create_flow again; get_connector_schema { "kind": "flow" } describes every key.',
          issues: errors.map((problem) => ({ pointer: problem.pointer, message: describe(problem), rule: problem.code })),
        });
      }
      const id = flow['id'] as string;
      const exists = workspace.listFlows().includes(id);
      if (exists && !args.replace) {
        throw new PullPushError(McpErrorCode.AlreadyExists, `A flow with id "${id}" exists.`, { hint: 'Pass "replace": true to overwrite it, or give the flow another id.' });
      }
      workspace.saveFlow(id, flow);
      return { id, replaced: exists, warnings: [...result.warnings, ...warnings].map(compact<ProblemOut>) };
    },
  }),
  defineTool({
    name: 'list_flows',
    title: 'List flows',
    description: 'Lists the flows stored in the workspace: id, name, source connector, connection and streams, destination kind, schedule and mode (live or shadow).',
    group: 'flows',
    input: Type.Object({}, { additionalProperties: false }),
    output: Type.Object({ flows: Type.Array(FlowSummary) }),
    annotations: READ_ONLY,
    handler: (_args, { workspace }) => ({ flows: workspace.listFlows().map((id) => summary(id, workspace.getFlow(id))) }),
  }),
  defineTool({
    name: 'get_flow',
    title: 'Get a flow',
    description: 'Returns a stored flow document by id, as create_flow saved it.',
    group: 'flows',
    input: Type.Object({ flow: FlowId }, { additionalProperties: false }),
    output: Type.Object({ id: Type.String(), flow: JsonObject }),
    annotations: READ_ONLY,
    handler: (args, { workspace }) => ({ id: args.flow, flow: workspace.getFlow(args.flow) }),
  }),
  defineTool({
    name: 'delete_flow',
    title: 'Delete a flow',
    description: 'Deletes a stored flow. The connector definition, the connection and data already synced are kept. Cannot be undone (get_flow first to keep a copy).',
    group: 'flows',
    input: Type.Object({ flow: FlowId }, { additionalProperties: false }),
    output: Type.Object({ id: Type.String(), deleted: Type.Literal(true) }),
    annotations: DESTROYS,
    handler(args, { workspace }) {
      workspace.deleteFlow(args.flow);
      return { id: args.flow, deleted: true as const };
    },
  }),
];
