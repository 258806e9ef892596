// Connection tools: a connection is a definition's config stored in the workspace, the keys the definition marks
// `secret: true` sealed (AES-256-GCM) and never returned. Also what every tool that runs a connector shares: the
// definition and config to run (a stored connection or an inline config), engine options with rotated tokens
// written back to the connection, and a redactor for every secret in play.
import { PullPushError, type Issue } from '@pullpush/canonical';
import type { ConnectorOptions } from '@pullpush/engine';
import { loadEngine } from '../libraries/load.ts';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import type { ServerRuntime } from '../runtime.ts';
import { defineTool, DESTROYS, READ_ONLY, READS_REMOTE, WRITES, type ToolContext } from '../tool.ts';
import type { MaskedConnection, Workspace } from '../workspace/workspace.ts';
import { compact, ConnectionName, DefinitionId, JsonObject, Revision, FreeObject } from './schemas.ts';

type Json = Record<string, unknown>;

/** `value` without its undefined properties, typed so (those become optional): compact with inference. */
export type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> };
export function defined<T extends object>(value: T): Defined<T> {
  return compact<Defined<T>>(value);
}

// ── shared by the tools that run a connector ─────────────────────────────────────────────────────────────

/** Arguments that say what to run: a stored definition with a stored connection or an inline config. */
export const SourceFields = {
  definition: Type.Optional(DefinitionId),
  revision: Type.Optional(Revision),
  connection: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64, description: 'A stored connection (create_connection) whose config, secrets included, is used.' })),
  config: Type.Optional(
    FreeObject({
      description: 'A config given inline instead of a connection (to test before creating one). Values of secret keys are redacted from every result and never stored.',
    }),
  ),
};

export interface SourceArgs {
  definition?: string;
  revision?: number;
  connection?: string;
  config?: Json;
}

export interface OpenedSource {
  /** The workspace definition id. */
  definitionId: string;
  definition: Json;
  /** The config to run with, secrets opened: for the engine only. */
  config: Json;
  /** The stored connection's name, or "default" for an inline config. */
  connection: string;
  stored: boolean;
  /** runtime.engine plus the connection and, for a stored connection, rotated tokens written back (sealed). */
  engine: ConnectorOptions;
  /** Every secret in play (and any the connector learns) replaced by ***, deep. */
  redact<T>(value: T): T;
}

/** The config keys a definition marks `secret: true`. */
export function secretKeysOf(definition: Json): string[] {
  const properties = ((definition['config'] as Json | undefined)?.['properties'] ?? {}) as Record<string, { secret?: unknown } | undefined>;
  return Object.entries(properties)
    .filter(([, schema]) => schema?.secret === true)
    .map(([key]) => key)
    .sort();
}

/** The definition and config a tool runs, from `{ definition?, revision?, connection? | config? }`. */
export async function openSource(runtime: ServerRuntime, args: SourceArgs): Promise<OpenedSource> {
  if (args.connection !== undefined && args.config !== undefined) {
    throw new PullPushError(McpErrorCode.InvalidArguments, 'Give either a connection or an inline config, not both.', { hint: 'Drop config to use the stored connection.' });
  }
  const definitionId = args.definition ?? (args.connection === undefined ? undefined : runtime.workspace.getConnection(args.connection).connector);
  if (definitionId === undefined) {
    throw new PullPushError(McpErrorCode.InvalidArguments, 'Say which definition to run: a definition id, or a connection (which names its definition).', {
      hint: 'list_definitions and list_connections give what exists.',
    });
  }
  const source = runtime.source({ definition: definitionId, revision: args.revision, connection: args.connection, config: args.config });
  const redactor = new (await loadEngine()).Redactor();
  if (args.connection !== undefined) redactor.add(...runtime.workspace.connectionConfig(args.connection).secretValues);
  for (const key of secretKeysOf(source.definition)) if (typeof source.config[key] === 'string') redactor.add(source.config[key] as string);
  const baseUrl = args.connection === undefined ? undefined : runtime.workspace.getConnection(args.connection).baseUrl;
  const engine: ConnectorOptions = { ...runtime.engine, connection: source.connection, ...(baseUrl === undefined ? {} : { baseUrl }) };
  const outer = runtime.engine.onConfigUpdate;
  const connection = args.connection;
  if (connection !== undefined || outer) {
    // A rotated refresh token (or another value the connector learns) replaces the stored secret, sealed.
    engine.onConfigUpdate = async (key, value) => {
      redactor.add(value);
      if (connection !== undefined) runtime.workspace.rotateSecret(connection, key, value);
      await outer?.(key, value);
    };
  }
  return {
    definitionId,
    definition: source.definition,
    config: source.config,
    connection: source.connection,
    stored: args.connection !== undefined,
    engine,
    redact: (value) => redactor.value(value),
  };
}

/** An error with every secret of the source redacted (engine errors are already; ours are made sure of). */
export function redactedError(error: unknown, source: Pick<OpenedSource, 'redact'>): unknown {
  if (error instanceof PullPushError) {
    return new PullPushError(error.code, source.redact(error.message), {
      ...(error.hint ? { hint: source.redact(error.hint) } : {}),
      issues: error.issues.map((issue) => source.redact({ ...issue })),
    });
  }
  if (error instanceof Error) return new PullPushError(McpErrorCode.Internal, source.redact(error.message));
  return error;
}

/** Runs `work` with the source's secrets redacted from whatever it throws. */
export async function withRedaction<T>(source: Pick<OpenedSource, 'redact'>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw redactedError(error, source);
  }
}

export const ErrorInfo = Type.Object({ code: Type.String(), message: Type.String(), hint: Type.Optional(Type.String()) });
export interface ErrorInfoOut {
  code: string;
  message: string;
  hint?: string;
}

/** A caught failure as a result field: code, redacted message and hint. */
export function errorInfo(error: unknown, source: Pick<OpenedSource, 'redact'>): ErrorInfoOut {
  if (error instanceof PullPushError) return compact<ErrorInfoOut>({ code: error.code, message: source.redact(error.message), hint: error.hint ? source.redact(error.hint) : undefined });
  return { code: (error as Error)?.name === 'AbortError' ? McpErrorCode.Cancelled : McpErrorCode.Internal, message: source.redact(error instanceof Error ? error.message : String(error)) };
}

export const CheckResult = Type.Object({
  ok: Type.Boolean({ description: 'Whether auth worked and the first page of the check stream came back.' }),
  connector: Type.String(),
  connection: Type.String(),
  stream: Type.Optional(Type.String({ description: 'The check stream (the definition\'s check.stream, else its first stream).' })),
  status: Type.Optional(Type.Integer({ description: 'HTTP status of the first page.' })),
  records: Type.Optional(Type.Integer({ description: 'Records on the first page.' })),
  requests: Type.Integer({ description: 'Requests sent, retries and token requests included.' }),
  durationMs: Type.Integer(),
  error: Type.Optional(ErrorInfo),
});
export interface CheckOut {
  ok: boolean;
  connector: string;
  connection: string;
  stream?: string;
  status?: number;
  records?: number;
  requests: number;
  durationMs: number;
  error?: ErrorInfoOut;
}

/** Auth and the first page of the check stream, read-only; a failure is a result (ok false), not a throw. */
export async function checkSource(source: OpenedSource, signal: AbortSignal): Promise<CheckOut> {
  const started = performance.now();
  const base = { connector: source.definitionId, connection: source.connection };
  let connector;
  try {
    connector = await (await loadEngine()).compileConnector(source.definition, source.config, { ...source.engine, readOnly: true });
  } catch (error) {
    return { ...base, ok: false, requests: 0, durationMs: Math.round(performance.now() - started), error: errorInfo(error, source) };
  }
  try {
    const result = await connector.check(signal);
    return { ...base, ok: true, stream: result.stream, status: result.status, records: result.records, requests: connector.requestCount, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ...base, ok: false, requests: connector.requestCount, durationMs: Math.round(performance.now() - started), error: errorInfo(error, source) };
  } finally {
    await connector.close();
  }
}

// ── config validation ────────────────────────────────────────────────────────────────────────────────────

function configIssues(errors: readonly ErrorObject[] | null | undefined, at: string): Issue[] {
  return (errors ?? []).map((error) => {
    const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
    const child = params.missingProperty ?? params.additionalProperty;
    const pointer = `${at}${error.instancePath}${child === undefined ? '' : `/${child}`}`;
    const message = error.keyword === 'additionalProperties' ? `unknown config key "${child}"` : error.keyword === 'required' ? 'is required' : (error.message ?? error.keyword);
    return { pointer, message, rule: error.keyword };
  });
}

/** Problems of a config against the definition's config schema, pointers under `at` (values never quoted). */
export function validateConfig(definition: Json, config: Json, at = '/config'): Issue[] {
  const schema = definition['config'] as Json | undefined;
  const issues: Issue[] = [];
  if (schema) {
    const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    if (!validate(config)) issues.push(...configIssues(validate.errors, at));
  }
  for (const key of secretKeysOf(definition)) {
    if (config[key] !== undefined && typeof config[key] !== 'string') issues.push({ pointer: `${at}/${key}`, message: 'a secret must be a string', rule: 'secret' });
  }
  return issues;
}

// ── the tools ────────────────────────────────────────────────────────────────────────────────────────────

const Masked = Type.Object({
  name: Type.String(),
  connector: Type.String({ description: 'The definition id the connection is for.' }),
  baseUrl: Type.Optional(Type.String({ description: "The base URL that replaces the definition's for this connection." })),
  config: FreeObject({ description: 'The config, every secret shown as ••••••.' }),
  secretKeys: Type.Array(Type.String(), { description: 'Config keys stored sealed.' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const masked = (connection: MaskedConnection) => ({ ...connection, config: { ...connection.config }, secretKeys: [...connection.secretKeys] });

/** Variables that hold the server's own secrets: never readable as a connection's config. */
const SERVER_SECRETS = new Set(['PULLPUSH_SECRET_KEY', 'PULLPUSH_MCP_TOKEN']);

/** The values of `secretsFrom`, read from the server's environment; errors name variables, never values. */
function resolveSecretReferences(workspace: Workspace, inline: Json, references: Record<string, { env: string }>): Json {
  const values: Json = {};
  for (const [key, { env }] of Object.entries(references)) {
    if (Object.hasOwn(inline, key)) {
      throw new PullPushError(McpErrorCode.InvalidArguments, `"${key}" is given both in config and in secretsFrom.`, { hint: 'Give it once, by reference (secretsFrom).' });
    }
    if (SERVER_SECRETS.has(env)) throw new PullPushError(McpErrorCode.InvalidArguments, `${env} holds the server's own secret and cannot be a connection's config.`, { hint: 'Name the variable that holds the API credential.' });
    const value = workspace.environmentValue(env);
    if (value === undefined || value === '') {
      throw new PullPushError(McpErrorCode.InvalidArguments, `${env} is not set in the server's environment.`, { hint: `Ask the user to set ${env} where the PullPush MCP server runs, then call create_connection again.` });
    }
    values[key] = value;
  }
  return values;
}

/**
 * Secret config keys neither given nor referenced, asked of the user through the client's form when it can show
 * one (MCP elicitation): the values go from the user to the server, never through the model.
 */
async function askForSecrets(definition: Json, given: Json, connection: string, elicit: ToolContext['elicit']): Promise<Json> {
  const properties = ((definition['config'] as Json | undefined)?.['properties'] ?? {}) as Record<string, { title?: unknown; description?: unknown }>;
  const missing = secretKeysOf(definition).filter((key) => !Object.hasOwn(given, key));
  if (missing.length === 0 || !elicit) return {};
  const answer = await elicit({
    message: `Connection "${connection}" needs ${missing.join(', ')}. The value${missing.length === 1 ? ' goes' : 's go'} to the PullPush server only, encrypted at rest; the assistant never sees ${missing.length === 1 ? 'it' : 'them'}.`,
    requestedSchema: {
      type: 'object',
      properties: Object.fromEntries(
        missing.map((key) => [
          key,
          { type: 'string' as const, title: typeof properties[key]?.title === 'string' ? properties[key].title : key, ...(typeof properties[key]?.description === 'string' ? { description: properties[key].description } : {}) },
        ]),
      ),
      required: missing,
    },
  });
  if (answer.action !== 'accept') {
    throw new PullPushError(McpErrorCode.InvalidArguments, `The user did not give ${missing.join(', ')} (${answer.action === 'decline' ? 'declined' : 'cancelled'}): nothing was stored.`, {
      hint: `Ask the user again, or have them set an environment variable where the server runs and give it with secretsFrom.`,
    });
  }
  return Object.fromEntries(missing.filter((key) => typeof answer.content?.[key] === 'string' && answer.content[key] !== '').map((key) => [key, answer.content?.[key]]));
}

export const connectionsTools = [
  defineTool({
    name: 'create_connection',
    title: 'Create a connection',
    description:
      "Stores a connection: a name, the definition it is for and its config. Never put secrets in config: give them by reference, secretsFrom { \"apiKey\": { \"env\": \"PULLPUSH_SHOP_API_KEY\" } }, and the server reads the value from its own environment (ask the user to set the variable where the server runs); or leave them out, and where the client supports elicitation the server asks the user for them in a form. Either way the values never pass through your context. The config is checked against the definition's config schema first (every problem at its pointer); keys the schema marks secret: true are encrypted at rest and never shown again (results show ••••••). A secret given in plain text in config is accepted with a warning. Then test_connection, run_sync.",
    group: 'connections',
    input: Type.Object(
      {
        connection: ConnectionName,
        definition: DefinitionId,
        config: JsonObject,
        secretsFrom: Type.Optional(
          Type.Record(
            Type.String({ minLength: 1 }),
            Type.Object(
              { env: Type.String({ pattern: '^PULLPUSH_[A-Z0-9_]+$', description: 'A variable of the server\'s environment, named PULLPUSH_… (not PULLPUSH_SECRET_KEY or PULLPUSH_MCP_TOKEN).' }) },
              { additionalProperties: false },
            ),
            { description: 'Config values the server reads from its environment, by config key: the values never pass through the model.' },
          ),
        ),
        baseUrl: Type.Optional(
          Type.String({
            format: 'uri',
            pattern: '^https?://',
            description:
              "Replaces the definition's base URL for this connection: a sandbox, or a self-hosted install when the definition's base URL is fixed (one that reads {{ $config.baseUrl }} takes it from config instead). Plain http and private addresses work only where the server allows them.",
          }),
        ),
        replace: Type.Optional(Type.Boolean({ description: 'Replace an existing connection of that name (default false).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      connection: Masked,
      warnings: Type.Optional(Type.Array(Type.String(), { description: 'Secrets that were given in plain text, and so passed through the model.' })),
    }),
    annotations: WRITES,
    async handler(args, { workspace, elicit }) {
      const { document } = workspace.getDefinition(args.definition);
      const given = { ...args.config, ...resolveSecretReferences(workspace, args.config, args.secretsFrom ?? {}) };
      const config = { ...given, ...(await askForSecrets(document, given, args.connection, elicit)) };
      const issues = validateConfig(document, config);
      if (issues.length > 0) {
        const keys = Object.keys(((document['config'] as Json | undefined)?.['properties'] ?? {}) as Json);
        throw new PullPushError(McpErrorCode.InvalidArguments, `The config does not match the config schema of ${args.definition}: ${issues.length} problem(s).`, {
          hint: `Fix each key at its pointer. Config keys: ${keys.join(', ') || 'none'}${secretKeysOf(document).length ? ` (secret: ${secretKeysOf(document).join(', ')})` : ''}.`,
          issues,
        });
      }
      const connection = workspace.saveConnection({
        name: args.connection,
        connector: args.definition,
        config,
        secretKeys: secretKeysOf(document),
        ...(args.baseUrl === undefined ? {} : { baseUrl: args.baseUrl }),
        ...(args.replace ? { replace: true } : {}),
      });
      const inline = secretKeysOf(document).filter((key) => Object.hasOwn(args.config, key));
      const warnings = inline.map((key) => `"${key}" was given in plain text, so it passed through the model's context; give it by reference next time (secretsFrom: { "${key}": { "env": "PULLPUSH_…" } }).`);
      return { connection: masked(connection), ...(warnings.length > 0 ? { warnings } : {}) };
    },
  }),
  defineTool({
    name: 'list_connections',
    title: 'List connections',
    description: 'Lists the stored connections (optionally of one definition) with their non-secret config; secrets are shown as ••••••.',
    group: 'connections',
    input: Type.Object({ definition: Type.Optional(DefinitionId) }, { additionalProperties: false }),
    output: Type.Object({ connections: Type.Array(Masked) }),
    annotations: READ_ONLY,
    handler: (args, { workspace }) => ({
      connections: workspace
        .listConnections()
        .filter((connection) => args.definition === undefined || connection.connector === args.definition)
        .map(masked),
    }),
  }),
  defineTool({
    name: 'get_connection',
    title: 'Get a connection',
    description: 'Returns one stored connection: its definition, non-secret config values, which keys are secret (shown as ••••••), and when it was created and last changed.',
    group: 'connections',
    input: Type.Object({ connection: ConnectionName }, { additionalProperties: false }),
    output: Type.Object({ connection: Masked }),
    annotations: READ_ONLY,
    handler: (args, { workspace }) => ({ connection: masked(workspace.getConnection(args.connection)) }),
  }),
  defineTool({
    name: 'test_connection',
    title: 'Test a stored connection',
    description:
      "Checks that a stored connection works: authenticates and reads the first page of the definition's check stream, read-only. Returns ok with the HTTP status and record count, or ok false with the coded error (secrets redacted) — a failing check is a result, not an error.",
    group: 'connections',
    input: Type.Object({ connection: ConnectionName, revision: Type.Optional(Revision) }, { additionalProperties: false }),
    output: CheckResult,
    annotations: READS_REMOTE,
    async handler(args, { runtime, signal }) {
      const source = await openSource(runtime, compact<SourceArgs>({ connection: args.connection, revision: args.revision }));
      return source.redact(await checkSource(source, signal));
    },
  }),
  defineTool({
    name: 'delete_connection',
    title: 'Delete a connection',
    description: 'Deletes a stored connection and its sealed secrets. Sync checkpoints and synced records of the connection stay in the database (reset_state forgets checkpoints).',
    group: 'connections',
    input: Type.Object({ connection: ConnectionName }, { additionalProperties: false }),
    output: Type.Object({ deleted: Type.String() }),
    annotations: DESTROYS,
    handler(args, { workspace }) {
      workspace.deleteConnection(args.connection);
      return { deleted: args.connection };
    },
  }),
  defineTool({
    name: 'rotate_secret',
    title: 'Rotate a connection secret',
    description:
      "Replaces one secret of a stored connection (a new API key, a re-issued token): the value is checked against the definition's config schema and stored encrypted. Only keys the definition marks secret: true can be rotated; change other config values with create_connection { replace: true }.",
    group: 'connections',
    input: Type.Object(
      { connection: ConnectionName, key: Type.String({ minLength: 1, description: 'The secret config key.' }), value: Type.String({ minLength: 1, description: 'The new secret value.' }) },
      { additionalProperties: false },
    ),
    output: Type.Object({ connection: Masked, rotated: Type.String() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    handler(args, { workspace }) {
      const current = workspace.getConnection(args.connection);
      const { document } = workspace.getDefinition(current.connector);
      const secretKeys = secretKeysOf(document);
      if (!secretKeys.includes(args.key)) {
        throw new PullPushError(McpErrorCode.InvalidArguments, `${args.key} is not a secret of ${current.connector}.`, {
          hint: secretKeys.length ? `Secret keys: ${secretKeys.join(', ')}. Other config values change with create_connection { replace: true }.` : `${current.connector} declares no secret config keys.`,
          issues: [{ pointer: '/key', message: 'not a secret config key', rule: 'secret' }],
        });
      }
      const { config } = workspace.connectionConfig(args.connection);
      const issues = validateConfig(document, { ...config, [args.key]: args.value }).filter((issue) => issue.pointer === `/config/${args.key}`);
      if (issues.length > 0) {
        throw new PullPushError(McpErrorCode.InvalidArguments, `The new value of ${args.key} does not match the config schema of ${current.connector}.`, {
          hint: 'Check the value (its schema: get_definition, config).',
          issues: issues.map((issue) => ({ ...issue, pointer: '/value' })),
        });
      }
      return { connection: masked(workspace.rotateSecret(args.connection, args.key, args.value)), rotated: args.key };
    },
  }),
];
