// createPullPushServer: the MCP SDK's low-level Server with PullPush's tools, resources and prompts. Input and
// output schemas are the TypeBox schemas the tools are written with (plain JSON Schema), arguments are checked
// against them before a handler runs, and every failure of a tool becomes an `isError` result a model can act on;
// failures of the protocol (an unknown tool, prompt or resource) are the JSON-RPC errors the specification names.
import { readFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { PullPushError, type Issue } from '@pullpush/canonical';
import type { ConnectorOptions } from '@pullpush/engine';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { complete } from './completions.ts';
import { McpErrorCode } from './errors.ts';
import { getPrompt, listPrompts } from './prompts.ts';
import { listResources, listResourceTemplates, readResource } from './resources.ts';
import { ServerRuntime, type RegistrySettings } from './runtime.ts';
import { defineTool, READ_ONLY, type ElicitationAnswer, type ElicitationRequest, type ToolDefinition } from './tool.ts';
import { ALL_TOOLS } from './tools/index.ts';
import { TOOLSET_NAMES, TOOLSETS, toolsetOf, toolsOf, unknownToolsets, type ToolsetName, type ToolsetSelection } from './toolsets.ts';
import Type from 'typebox';
import { Workspace } from './workspace/workspace.ts';

export interface PullPushServerOptions {
  /** The workspace directory (default ./pullpush) or an open Workspace. */
  workspace?: string | Workspace;
  /** Environment for the workspace key (PULLPUSH_SECRET_KEY); default process.env. */
  env?: Record<string, string | undefined>;
  /** A PostgreSQL URL for the stores of flows to a connector (shared with `pullpush worker`); default a SQLite file per flow in the workspace. */
  flowStore?: string;
  /**
   * Engine options for every connector the tools run: the network policy of the embedding application
   * (allowPrivateNetwork, allowInsecureHttp), timeouts, a clock.
   */
  engine?: Omit<ConnectorOptions, 'connection'>;
  /** Tools to serve (default all). */
  tools?: readonly ToolDefinition[];
  /**
   * Which of them a session lists: 'all' (default), some toolsets (['discover', 'sync']), or 'dynamic': only
   * list_toolsets and enable_toolset until the assistant enables toolsets (tools/list_changed announces them).
   */
  toolsets?: ToolsetSelection;
  /** Shares runs, statistics and the store between servers (one per HTTP session); its workspace is used. */
  runtime?: ServerRuntime;
  /** The marketplace registry of the marketplace tools (and the token and key to publish with). */
  registry?: RegistrySettings;
}

export interface PullPushServer extends Server {
  /** The shared state of the tools: workspace, runs, statistics. */
  readonly runtime: ServerRuntime;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const INSTRUCTIONS = `PullPush builds, validates, tests and runs data connectors: declarative JSON definitions that a deterministic engine runs against real APIs, mapping records to canonical types (commerce.order, crm.contact, …).
Workflow: with an OpenAPI or Postman description, discover_api → generate_connector (save: true, verify: true); without one, get_connector_schema (section "outline", then the sections you write) → create_definition → validate_definition (fix each error at its pointer; explain_error helps). Then create_connection → test_connector (read-only) → run_sync → sync_status.
Secrets go into connections only, by reference (secretsFrom an environment variable); they are stored encrypted and never returned.`;

const DYNAMIC_INSTRUCTIONS = `${INSTRUCTIONS}
This session starts with two tools: list_toolsets shows the toolsets (discover, author, canonical, test, connect, sync, flows, manage) and enable_toolset adds the ones the task needs.`;

/** A pointer for each Ajv error: the failing value's place, or the missing / unknown property's. */
function argumentIssues(errors: readonly ErrorObject[] | null | undefined): Issue[] {
  return (errors ?? []).map((error) => {
    const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
    const child = params.missingProperty ?? params.additionalProperty;
    const pointer = child === undefined ? error.instancePath || '/' : `${error.instancePath}/${child}`;
    const allowed = params.allowedValues ? ` (one of ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')})` : '';
    const message = error.keyword === 'additionalProperties' ? `unknown argument "${child}"` : `${error.message ?? error.keyword}${allowed}`;
    return { pointer, message, rule: error.keyword };
  });
}

/** A failure as a tool result: the code, message, hint and pointers, as text a model reads and as JSON. */
export function errorResult(error: unknown): CallToolResult {
  const failure =
    error instanceof PullPushError
      ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), issues: [...error.issues] }
      : { code: McpErrorCode.Internal, message: (error as Error)?.message ?? String(error), issues: [] as Issue[] };
  const lines = [`${failure.code}: ${failure.message}`];
  if ('hint' in failure && failure.hint) lines.push(`Hint: ${failure.hint}`);
  for (const issue of failure.issues.slice(0, 20)) lines.push(`  at ${issue.pointer}: ${issue.message}`);
  return { isError: true, content: [{ type: 'text', text: lines.join('\n') }, { type: 'text', text: JSON.stringify({ error: failure }) }] };
}

/** What resources/list shows, as one string to compare. */
function resourceSignature(runtime: ServerRuntime): string {
  return listResources(runtime)
    .map((resource) => resource.uri)
    .join('\n');
}

/** MCP's code for a resource that does not exist (the specification's "Resource not found"). */
export const RESOURCE_NOT_FOUND = -32002;

/**
 * A failure of the protocol itself (an unknown tool, prompt or resource; a missing prompt argument) as the JSON-RPC
 * error the specification names, with PullPush's code, hint and pointers in `data`.
 */
export function protocolError(jsonRpcCode: number, error: PullPushError): McpError {
  return new McpError(jsonRpcCode, error.message, { code: error.code, ...(error.hint ? { hint: error.hint } : {}), issues: [...error.issues] });
}

/** Runs a resource or prompt handler; its PullPushErrors become protocol errors with `jsonRpcCode`. */
async function answering<T>(jsonRpcCode: number, handle: () => T | Promise<T>): Promise<T> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof PullPushError) throw protocolError(jsonRpcCode, error);
    throw error;
  }
}

/** The two tools of dynamic mode: what toolsets there are, and enabling some (which announces tools/list_changed). */
function toolsetTools(enabled: Set<ToolsetName>, announce: () => void): ToolDefinition[] {
  const Names = Type.Array(Type.Enum(TOOLSET_NAMES), { minItems: 1, uniqueItems: true, description: `Toolsets to enable: ${TOOLSET_NAMES.join(', ')}.` });
  return [
    defineTool({
      name: 'list_toolsets',
      title: 'List toolsets',
      description: 'Lists the toolsets of this server — what each is for, its tools, whether it is enabled. Enable the ones your task needs with enable_toolset.',
      group: 'toolsets',
      input: Type.Object({}, { additionalProperties: false }),
      output: Type.Object({ toolsets: Type.Array(Type.Object({ name: Type.String(), description: Type.String(), tools: Type.Array(Type.String()), enabled: Type.Boolean() })) }),
      annotations: READ_ONLY,
      handler: () => ({ toolsets: TOOLSET_NAMES.map((name) => ({ name, description: TOOLSETS[name].description, tools: [...TOOLSETS[name].tools], enabled: enabled.has(name) })) }),
    }),
    defineTool({
      name: 'enable_toolset',
      title: 'Enable toolsets',
      description: 'Adds the tools of one or more toolsets to this session (tools/list_changed tells the client; list the tools again). For a description-driven connector: discover, then connect, test and sync.',
      group: 'toolsets',
      input: Type.Object({ toolsets: Names }, { additionalProperties: false }),
      output: Type.Object({ enabled: Type.Array(Type.String()), added: Type.Array(Type.String({ description: 'Tools added now.' })) }),
      annotations: { ...READ_ONLY, idempotentHint: true },
      handler: (args) => {
        const fresh = (args.toolsets as ToolsetName[]).filter((name) => !enabled.has(name));
        for (const name of fresh) enabled.add(name);
        if (fresh.length > 0) announce();
        return { enabled: [...enabled], added: fresh.flatMap((name) => [...TOOLSETS[name].tools]) };
      },
    }),
  ];
}

export function createPullPushServer(options: PullPushServerOptions = {}): PullPushServer {
  const runtime =
    options.runtime ?? new ServerRuntime(options.workspace instanceof Workspace ? options.workspace : new Workspace(options.workspace, { ...(options.env ? { env: options.env } : {}), ...(options.flowStore ? { flowStore: options.flowStore } : {}) }), options.engine, options.registry);
  const workspace = runtime.workspace;
  // A shared runtime outlives each session's server: only the server that made it closes it.
  const ownsRuntime = options.runtime === undefined;
  const universe = options.tools ?? ALL_TOOLS;
  const selection = options.toolsets ?? 'all';
  const dynamic = selection === 'dynamic';
  if (Array.isArray(selection) && unknownToolsets(selection).length > 0) {
    throw new PullPushError(McpErrorCode.InvalidArguments, `No toolset ${unknownToolsets(selection).map((name) => `"${name}"`).join(', ')}.`, { hint: `Toolsets: ${TOOLSET_NAMES.join(', ')} (or dynamic).` });
  }
  const enabled = new Set<ToolsetName>(selection === 'all' ? TOOLSET_NAMES : dynamic ? [] : (selection as readonly ToolsetName[]));
  const metaTools = dynamic ? toolsetTools(enabled, () => void server.sendToolListChanged().catch(() => undefined)) : [];
  // Tools outside every toolset (an application's own) are always served.
  const served = () => [...metaTools, ...(selection === 'all' ? universe : [...toolsOf(universe, [...enabled]), ...universe.filter((tool) => toolsetOf(tool.name) === undefined)])];
  const inUniverse = new Map([...metaTools, ...universe].map((tool) => [tool.name, tool]));
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validators = new Map<string, ValidateFunction>();
  const validatorOf = (tool: ToolDefinition) => {
    let validate = validators.get(tool.name);
    if (!validate) validators.set(tool.name, (validate = ajv.compile(tool.input)));
    return validate;
  };

  const server = new Server(
    { name: 'pullpush', title: 'PullPush', version: packageVersion() },
    // No `logging` capability: the server sends no log notifications (progress goes through notifications/progress).
    { capabilities: { tools: { listChanged: dynamic }, resources: { listChanged: true }, prompts: { listChanged: false }, completions: {} }, instructions: dynamic ? DYNAMIC_INSTRUCTIONS : INSTRUCTIONS },
  ) as PullPushServer;
  Object.defineProperty(server, 'runtime', { value: runtime });

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: served().map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: tool.input as { type: 'object' },
      outputSchema: tool.output as { type: 'object' },
      annotations: { title: tool.title, ...tool.annotations },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args = {} } = request.params;
    const known = inUniverse.get(name);
    const tool = known && served().includes(known) ? known : undefined;
    if (!tool) {
      const toolset = known ? toolsetOf(name) : undefined;
      const hint = !toolset ? 'tools/list gives the tools.' : dynamic ? `It is in the toolset "${toolset}": call enable_toolset with toolsets ["${toolset}"] first.` : `It is in the toolset "${toolset}", which this server does not serve (pullpush mcp --toolsets).`;
      throw protocolError(ErrorCode.InvalidParams, new PullPushError(McpErrorCode.UnknownTool, known ? `The tool "${name}" is not enabled in this session.` : `No tool named "${name}".`, { hint }));
    }
    const started = performance.now();
    const validate = validatorOf(tool);
    if (!validate(args)) {
      runtime.record(name, performance.now() - started, true);
      const issues = argumentIssues(validate.errors);
      return errorResult(new PullPushError(McpErrorCode.InvalidArguments, `The arguments of ${name} do not match its input schema.`, { hint: 'Fix each argument at its pointer and call again.', issues }));
    }
    const progressToken = request.params._meta?.progressToken;
    const context = {
      workspace,
      runtime,
      signal: extra.signal,
      progress: async (progress: number, total?: number, message?: string) => {
        if (progressToken === undefined) return;
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, ...(total === undefined ? {} : { total }), ...(message ? { message } : {}) } });
      },
      ...(server.getClientCapabilities()?.elicitation
        ? { elicit: async (question: ElicitationRequest): Promise<ElicitationAnswer> => (await server.elicitInput(question, { signal: extra.signal })) as ElicitationAnswer }
        : {}),
    };
    // A tool that may write can change what resources/list shows: compared before and after.
    const resourcesBefore = tool.annotations.readOnlyHint === true ? undefined : resourceSignature(runtime);
    try {
      const result = (await tool.handler(args, context)) as Record<string, unknown>;
      runtime.record(name, performance.now() - started, false);
      if (resourcesBefore !== undefined && resourceSignature(runtime) !== resourcesBefore) runtime.events.emit('resources-changed');
      // Compact: the text is for a model's context, where indentation nearly doubles the cost.
      return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
    } catch (error) {
      runtime.record(name, performance.now() - started, true);
      return errorResult(error);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: listResources(runtime) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: listResourceTemplates() }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => answering(RESOURCE_NOT_FOUND, () => readResource(runtime, request.params.uri)));
  server.setRequestHandler(CompleteRequestSchema, (request) => complete(runtime, request.params));
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: listPrompts() }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => answering(ErrorCode.InvalidParams, () => getPrompt(request.params.name, request.params.arguments ?? {})));

  const announce = () => void server.sendResourceListChanged().catch(() => undefined);
  runtime.events.on('resources-changed', announce);
  const close = server.close.bind(server);
  server.close = async () => {
    runtime.events.off('resources-changed', announce);
    if (ownsRuntime) await runtime.close();
    await close();
  };
  return server;
}
