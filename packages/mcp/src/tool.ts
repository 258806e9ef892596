// What a PullPush MCP tool is: a snake_case name, a title and a description written for a model, TypeBox input
// and output schemas (plain JSON Schema, sent as they are), annotations, and a handler that returns the
// structured result. Failures are PullPushErrors; the server turns them into `isError` results.
import type { TSchema, Static } from 'typebox';
import type { Workspace } from './workspace/workspace.ts';
import type { ServerRuntime } from './runtime.ts';

export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ToolContext {
  workspace: Workspace;
  runtime: ServerRuntime;
  /** Aborted when the client cancels the call (notifications/cancelled) or the server closes. */
  signal: AbortSignal;
  /** Reports progress to a client that asked for it (a progress token); a no-op otherwise. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /**
   * Asks the user directly through the client's form (MCP elicitation), the answer going to the server and not
   * through the model; present only when the client declares the elicitation capability.
   */
  elicit?: (request: ElicitationRequest) => Promise<ElicitationAnswer>;
}

export interface ElicitationRequest {
  message: string;
  /** A flat object schema of string, number, boolean and enum fields. */
  requestedSchema: { type: 'object'; properties: Record<string, { type: 'string'; title?: string; description?: string }>; required?: string[] };
}

export interface ElicitationAnswer {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, unknown>;
}

export interface ToolDefinition<I extends TSchema = TSchema, O extends TSchema = TSchema> {
  name: string;
  title: string;
  /** For a model: what the tool does, when to use it, what comes back. */
  description: string;
  group: ToolGroup;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  handler(args: Static<I>, context: ToolContext): Promise<Static<O>> | Static<O>;
}

export type ToolGroup = 'definitions' | 'flows' | 'validation' | 'canonical' | 'discovery' | 'testing' | 'connections' | 'sync' | 'monitoring' | 'marketplace' | 'toolsets';

/** Keeps the input and output types of one tool tied to its schemas. */
export function defineTool<I extends TSchema, O extends TSchema>(tool: ToolDefinition<I, O>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

/** Annotation presets: most tools are one of these. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
export const WRITES: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
export const DESTROYS: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
/**
 * Calls a remote API, which it only reads; not read-only nor idempotent for the client all the same: with a stored
 * connection, a refresh token the API rotates is written back into the workspace.
 */
export const READS_REMOTE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
