// The workspace directory an assistant works in (default ./pullpush): definitions (one JSON file per version),
// flows, connections (secrets sealed), test reports, and the SQLite file syncs write to. Everything is plain
// files, so it can be inspected and tracked in git (except `.secret-key`, which the workspace ignores for git).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PullPushError } from '@pullpush/canonical';
import { McpErrorCode } from '../errors.ts';
import { assertName, readJson, writeJsonAtomic } from './files.ts';
import { loadSecretKey, SecretBox, type SealedSecret } from './secrets.ts';

type Json = Record<string, unknown>;

export interface DefinitionSummary {
  id: string;
  name: string;
  /** The definition's own semantic version. */
  version: string;
  /** Workspace revision: 1, 2, … (one file each). */
  revision: number;
  revisions: number;
  streams: string[];
  updatedAt: string;
}

export interface DefinitionRevision {
  id: string;
  revision: number;
  savedAt: string;
  document: Json;
}

export interface StoredConnection {
  name: string;
  connector: string;
  /** Replaces the definition's base URL for this connection (a sandbox, a self-hosted install). */
  baseUrl?: string;
  /** Config values that are not secrets, as given. */
  config: Json;
  secrets: Record<string, SealedSecret>;
  createdAt: string;
  updatedAt: string;
}

/** A connection as tools show it: secret values replaced by a mask. */
export interface MaskedConnection {
  name: string;
  connector: string;
  baseUrl?: string;
  config: Json;
  secretKeys: string[];
  createdAt: string;
  updatedAt: string;
}

export interface StoredReport {
  id: string;
  connector: string;
  connection?: string;
  verdict: string;
  createdAt: string;
  report: Json;
}

export const SECRET_MASK = '••••••';

export interface WorkspaceOptions {
  /** Environment for PULLPUSH_SECRET_KEY and secrets given by reference (default process.env). */
  env?: Record<string, string | undefined>;
  /** Key file (default <workspace>/.secret-key); created with a fresh key when no key is configured. */
  keyFile?: string;
  now?: () => Date;
  /**
   * A PostgreSQL URL (`postgres://…[?schema=prefix]`) where flows to a connector keep their stores — the schema
   * `<prefix>_flow_<flow id>`, shared with `pullpush worker` and `pullpush flow … --db` — instead of `flows/<id>.db`.
   */
  flowStore?: string;
}

function revisionFile(revision: number): string {
  return `v${String(revision).padStart(4, '0')}.json`;
}

export class Workspace {
  readonly root: string;
  readonly #options: WorkspaceOptions;
  #box: SecretBox | undefined;

  constructor(root = './pullpush', options: WorkspaceOptions = {}) {
    this.root = resolve(root);
    this.#options = options;
    try {
      for (const folder of ['definitions', 'flows', 'connections', 'reports']) mkdirSync(join(this.root, folder), { recursive: true });
      const ignore = join(this.root, '.gitignore');
      if (!existsSync(ignore)) writeFileSync(ignore, '.secret-key\n*.db\n*.db-wal\n*.db-shm\n');
    } catch (error) {
      throw new PullPushError(McpErrorCode.Workspace, `Cannot use ${this.root} as the workspace: ${(error as Error).message}`, { hint: 'Pass a writable directory (--workspace).' });
    }
  }

  /** A variable of the server's environment (the `env` option, else the process's): secrets given by reference. */
  environmentValue(name: string): string | undefined {
    return (this.#options.env ?? process.env)[name];
  }

  #now(): string {
    return (this.#options.now?.() ?? new Date()).toISOString();
  }

  get #secrets(): SecretBox {
    this.#box ??= new SecretBox(loadSecretKey({ keyFile: this.#options.keyFile ?? join(this.root, '.secret-key'), ...(this.#options.env ? { env: this.#options.env } : {}) }));
    return this.#box;
  }

  /** The SQLite file syncs write to unless told otherwise. */
  get databasePath(): string {
    return join(this.root, 'pullpush.db');
  }

  // ── definitions ──────────────────────────────────────────────────────────────────────────────────────

  #definitionDir(id: string): string {
    return join(this.root, 'definitions', assertName(id, 'definition id'));
  }

  revisions(id: string): number[] {
    const dir = this.#definitionDir(id);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((file) => /^v(\d+)\.json$/.exec(file)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  hasDefinition(id: string): boolean {
    return this.revisions(id).length > 0;
  }

  /** A revision of a definition (default the latest); MCP_NOT_FOUND names what exists. */
  getDefinition(id: string, revision?: number): DefinitionRevision {
    const revisions = this.revisions(id);
    const wanted = revision ?? revisions.at(-1);
    if (wanted === undefined || !revisions.includes(wanted)) {
      const known = this.listDefinitions().map((definition) => definition.id);
      throw new PullPushError(
        McpErrorCode.NotFound,
        revisions.length === 0 ? `No definition "${id}" in the workspace.` : `Definition ${id} has no revision ${wanted}.`,
        { hint: revisions.length === 0 ? `Definitions: ${known.join(', ') || 'none yet (create_definition)'}.` : `Revisions: ${revisions.join(', ')}.` },
      );
    }
    const path = join(this.#definitionDir(id), revisionFile(wanted));
    return { id, revision: wanted, savedAt: statSync(path).mtime.toISOString(), document: readJson<Json>(path) };
  }

  /** Saves a new revision (the first creates the definition). */
  saveDefinition(id: string, document: Json): DefinitionRevision {
    const next = (this.revisions(id).at(-1) ?? 0) + 1;
    const path = join(this.#definitionDir(id), revisionFile(next));
    writeJsonAtomic(path, document);
    // The file's time, as getDefinition reports it: one source for when a revision was saved.
    return { id, revision: next, savedAt: statSync(path).mtime.toISOString(), document };
  }

  deleteDefinition(id: string): number {
    const revisions = this.revisions(id);
    if (revisions.length === 0) this.getDefinition(id);
    rmSync(this.#definitionDir(id), { recursive: true, force: true });
    return revisions.length;
  }

  listDefinitions(): DefinitionSummary[] {
    const dir = join(this.root, 'definitions');
    return readdirSync(dir)
      .filter((id) => /^[a-z][a-z0-9_-]*$/.test(id) && this.hasDefinition(id))
      .sort()
      .map((id) => {
        const latest = this.getDefinition(id);
        const document = latest.document;
        return {
          id,
          name: typeof document['name'] === 'string' ? document['name'] : id,
          version: typeof document['version'] === 'string' ? document['version'] : '',
          revision: latest.revision,
          revisions: this.revisions(id).length,
          streams: Object.keys((document['streams'] as Json | undefined) ?? {}),
          updatedAt: latest.savedAt,
        };
      });
  }

  // ── flows ────────────────────────────────────────────────────────────────────────────────────────────

  #flowPath(id: string): string {
    return join(this.root, 'flows', `${assertName(id, 'flow id')}.json`);
  }

  /**
   * Where the flow keeps its records, checkpoints, outbox and dead-letter queue (connector destinations): its own
   * SQLite file in the workspace, or the PostgreSQL database the server was given (`flowStore`).
   */
  flowStoreLocation(id: string): string {
    assertName(id, 'flow id');
    return this.#options.flowStore ?? join(this.root, 'flows', `${id}.db`);
  }

  saveFlow(id: string, flow: Json): void {
    writeJsonAtomic(this.#flowPath(id), flow);
  }

  getFlow(id: string): Json {
    const path = this.#flowPath(id);
    if (!existsSync(path)) throw new PullPushError(McpErrorCode.NotFound, `No flow "${id}" in the workspace.`, { hint: `Flows: ${this.listFlows().join(', ') || 'none yet (create_flow)'}.` });
    return readJson<Json>(path);
  }

  listFlows(): string[] {
    return readdirSync(join(this.root, 'flows'))
      .map((file) => /^([a-z][a-z0-9_-]*)\.json$/.exec(file)?.[1])
      .filter((id): id is string => id !== undefined)
      .sort();
  }

  deleteFlow(id: string): void {
    this.getFlow(id);
    rmSync(this.#flowPath(id));
  }

  // ── connections ──────────────────────────────────────────────────────────────────────────────────────

  #connectionPath(name: string): string {
    return join(this.root, 'connections', `${assertName(name, 'connection name')}.json`);
  }

  #readConnection(name: string): StoredConnection {
    const path = this.#connectionPath(name);
    if (!existsSync(path)) {
      throw new PullPushError(McpErrorCode.NotFound, `No connection "${name}" in the workspace.`, { hint: `Connections: ${this.listConnections().map((c) => c.name).join(', ') || 'none yet (create_connection)'}.` });
    }
    return readJson<StoredConnection>(path);
  }

  /**
   * Stores a connection; `secretKeys` are the config keys the definition marks secret: their values are sealed,
   * the rest kept as given. Replaces an existing connection of that name only when `replace` is set.
   */
  saveConnection(input: { name: string; connector: string; baseUrl?: string; config: Json; secretKeys: readonly string[]; replace?: boolean }): MaskedConnection {
    const path = this.#connectionPath(input.name);
    const existing = existsSync(path) ? readJson<StoredConnection>(path) : undefined;
    if (existing && !input.replace) {
      throw new PullPushError(McpErrorCode.AlreadyExists, `A connection named "${input.name}" exists.`, { hint: 'Pick another name, delete it first, or use rotate_secret to change a secret.' });
    }
    const config: Json = {};
    const secrets: Record<string, SealedSecret> = {};
    for (const [key, value] of Object.entries(input.config)) {
      if (input.secretKeys.includes(key) && typeof value === 'string') secrets[key] = this.#secrets.seal(value);
      else config[key] = value;
    }
    const now = this.#now();
    const stored: StoredConnection = {
      name: input.name,
      connector: input.connector,
      ...(input.baseUrl === undefined ? {} : { baseUrl: input.baseUrl }),
      config,
      secrets,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    writeJsonAtomic(path, stored, 0o600);
    return this.#mask(stored);
  }

  #mask(stored: StoredConnection): MaskedConnection {
    const secretKeys = Object.keys(stored.secrets).sort();
    return {
      name: stored.name,
      connector: stored.connector,
      ...(stored.baseUrl === undefined ? {} : { baseUrl: stored.baseUrl }),
      config: { ...stored.config, ...Object.fromEntries(secretKeys.map((key) => [key, SECRET_MASK])) },
      secretKeys,
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
    };
  }

  getConnection(name: string): MaskedConnection {
    return this.#mask(this.#readConnection(name));
  }

  listConnections(): MaskedConnection[] {
    return readdirSync(join(this.root, 'connections'))
      .filter((file) => /^[a-z][a-z0-9_-]*\.json$/.test(file))
      .sort()
      .map((file) => this.#mask(readJson<StoredConnection>(join(this.root, 'connections', file))));
  }

  /** The full config, secrets opened: for the engine only, never for a tool result. */
  connectionConfig(name: string): { connector: string; config: Json; secretValues: string[] } {
    const stored = this.#readConnection(name);
    const secrets = Object.fromEntries(Object.entries(stored.secrets).map(([key, sealed]) => [key, this.#secrets.open(sealed, `Secret ${key} of connection ${name}`)]));
    return { connector: stored.connector, config: { ...stored.config, ...secrets }, secretValues: Object.values(secrets) };
  }

  /** Replaces one secret value (a rotated API key, a refresh token the API rotated). */
  rotateSecret(name: string, key: string, value: string): MaskedConnection {
    const stored = this.#readConnection(name);
    stored.secrets[key] = this.#secrets.seal(value);
    delete stored.config[key];
    stored.updatedAt = this.#now();
    writeJsonAtomic(this.#connectionPath(name), stored, 0o600);
    return this.#mask(stored);
  }

  deleteConnection(name: string): void {
    this.#readConnection(name);
    rmSync(this.#connectionPath(name));
  }

  // ── test reports ─────────────────────────────────────────────────────────────────────────────────────

  saveReport(input: Omit<StoredReport, 'id' | 'createdAt'>): StoredReport {
    const createdAt = this.#now();
    const id = `${createdAt.replaceAll(/[-:.]/g, '').replace('T', '-').slice(0, 15)}-${input.connector}-${randomUUID().slice(0, 8)}`;
    const stored: StoredReport = { id, createdAt, ...input };
    writeJsonAtomic(join(this.root, 'reports', `${id}.json`), stored);
    return stored;
  }

  getReport(id: string): StoredReport {
    const path = join(this.root, 'reports', `${id}.json`);
    if (!/^[0-9a-z_-]+$/i.test(id) || !existsSync(path)) {
      throw new PullPushError(McpErrorCode.NotFound, `No test report "${id}".`, { hint: 'list_test_reports gives the ids.' });
    }
    return readJson<StoredReport>(path);
  }

  /** Reports, newest first, optionally of one connector. */
  listReports(connector?: string): Array<Omit<StoredReport, 'report'>> {
    return readdirSync(join(this.root, 'reports'))
      .filter((file) => file.endsWith('.json'))
      .map((file) => readJson<StoredReport>(join(this.root, 'reports', file)))
      .filter((report) => connector === undefined || report.connector === connector)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .map(({ report: _report, ...summary }) => summary);
  }
}
