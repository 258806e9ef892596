// What the tools share while a server runs: the workspace, engine options applied to every connector (the
// network policy of the embedding application), the SQLite store syncs write to, runs in progress and call
// statistics for system_health.
import { EventEmitter } from 'node:events';
import { PullPushError } from '@pullpush/canonical';
import type { ConnectorOptions } from '@pullpush/engine';
import type { MockApi } from '@pullpush/discovery';
import { validateDefinition, type ValidationResult } from '@pullpush/schema';
import type { SqliteStore, SyncSummary } from '@pullpush/sync';
import { loadSync } from './libraries/load.ts';
import { McpErrorCode } from './errors.ts';
import type { Workspace } from './workspace/workspace.ts';

type Json = Record<string, unknown>;

export interface ActiveRun {
  summary: SyncSummary;
  controller: AbortController;
  done: Promise<SyncSummary>;
  progress: { stream: string; records: number; written: number };
}

export interface ToolStats {
  calls: number;
  errors: number;
  totalMs: number;
}

export interface SourceSpec {
  /** Definition id in the workspace. */
  definition: string;
  revision?: number | undefined;
  /** A stored connection (its config, secrets opened) … */
  connection?: string | undefined;
  /** … or a config given inline (for tests before a connection exists). */
  config?: Json | undefined;
}

export interface RegistrySettings {
  url: string;
  /** A publish token (publish_definition needs one). */
  token?: string;
  /** The Ed25519 key registered to the token's account, to sign publishes with. */
  signer?: { keyId: string; privateKey: string };
}

export class ServerRuntime {
  readonly workspace: Workspace;
  readonly engine: Omit<ConnectorOptions, 'connection'>;
  readonly startedAt = new Date();
  readonly runs = new Map<string, ActiveRun>();
  readonly stats = new Map<string, ToolStats>();
  /**
   * 'resources-changed': a tool added or removed something resources/list shows. Every session's server over this
   * runtime listens, so each of its clients gets notifications/resources/list_changed.
   */
  readonly events = new EventEmitter<{ 'resources-changed': [] }>();
  /** Mock APIs started by start_mock_api, by id; closed with the runtime. */
  readonly mocks = new Map<string, MockApi>();
  #store: SqliteStore | undefined;

  /** The marketplace registry the marketplace tools use, and the key this server publishes with; none: no registry. */
  readonly registry: RegistrySettings | undefined;

  constructor(workspace: Workspace, engine: Omit<ConnectorOptions, 'connection'> = {}, registry?: RegistrySettings) {
    this.workspace = workspace;
    this.engine = engine;
    this.registry = registry;
  }

  /**
   * The workspace's SQLite file (destination, checkpoints, run log), opened once. @pullpush/sync is loaded the first
   * time a tool needs it, so a server starts without it.
   */
  async store(): Promise<SqliteStore> {
    if (!this.#store) {
      const { openSqliteStore } = await loadSync();
      this.#store ??= openSqliteStore(this.workspace.databasePath);
    }
    return this.#store;
  }

  /** A definition and the config to run it with, from a stored connection or an inline config. */
  source(spec: SourceSpec): { definition: Json; config: Json; connection: string } {
    const { document } = this.workspace.getDefinition(spec.definition, spec.revision);
    if (spec.connection !== undefined) {
      const stored = this.workspace.connectionConfig(spec.connection);
      if (stored.connector !== spec.definition) {
        throw new PullPushError(McpErrorCode.InvalidArguments, `Connection ${spec.connection} belongs to connector ${stored.connector}, not ${spec.definition}.`, {
          hint: 'Pass a connection created for this definition (list_connections).',
        });
      }
      return { definition: document, config: stored.config, connection: spec.connection };
    }
    return { definition: document, config: spec.config ?? {}, connection: 'default' };
  }

  /**
   * validateDefinition under this server's network policy: where the embedding application allows plain http
   * (local test APIs), an http base URL is a warning, as the engine treats it, not an error.
   */
  validateDefinition(document: unknown): ValidationResult {
    return validateDefinition(document, { allowInsecureHttp: this.engine.allowInsecureHttp === true });
  }

  record(tool: string, ms: number, failed: boolean): void {
    const stats = this.stats.get(tool) ?? { calls: 0, errors: 0, totalMs: 0 };
    stats.calls += 1;
    stats.totalMs += ms;
    if (failed) stats.errors += 1;
    this.stats.set(tool, stats);
  }

  async close(): Promise<void> {
    for (const run of this.runs.values()) run.controller.abort();
    await Promise.allSettled([...this.runs.values()].map((run) => run.done));
    await Promise.allSettled([...this.mocks.values()].map((mock) => mock.close()));
    this.mocks.clear();
    this.#store?.close();
    this.#store = undefined;
  }
}
