// What the PostgreSQL store and the PostgreSQL outbox share about a server: the pool, the schema name checked,
// identifiers quoted, the URL named without its password, the driver's failures turned into PullPush errors, and
// DDL that other processes may be running at the same moment.
import { createHash } from 'node:crypto';
import { PullPushError } from '@pullpush/canonical';
import pg from 'pg';
import { SyncErrorCode } from './errors.ts';

/** A PostgreSQL identifier, quoted: names come from canonical types, connectors and the caller's schema. */
export function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The connection URL with its password masked, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

const names = new Map<string, string>();

/** A prepared statement's name: a digest of its text (which names its schema), so equal texts share a plan. */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `pullpush_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** A server, a schema in it and a pool of connections to it; `description` names them without the password. */
export class PostgresConnection {
  readonly schema: string;
  readonly description: string;
  readonly pool: pg.Pool;

  constructor(url: string, options: { schema?: string; maxConnections?: number }) {
    this.schema = options.schema ?? 'public';
    // Quoted everywhere; '-' is allowed for the flow schemas named after flow ids (flow-store.ts).
    if (!/^[a-z_][a-z0-9_-]{0,62}$/.test(this.schema)) {
      throw new PullPushError(SyncErrorCode.InvalidDestination, `"${this.schema}" is not a PostgreSQL schema name PullPush uses.`, {
        hint: 'Use lower-case letters, digits and underscores, starting with a letter: ?schema=shop_sync.',
      });
    }
    this.description = `${redactedUrl(url)}${this.schema === 'public' ? '' : ` (schema ${this.schema})`}`;
    this.pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 4 });
    // An idle connection the server drops must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** A table of the schema, quoted. */
  table(name: string): string {
    return `${quoted(this.schema)}.${quoted(name)}`;
  }

  /** A driver failure as a PullPush error naming the server; `nothingWritten` tells the hint what a failed write left. */
  failure(error: unknown, what: string, nothingWritten = 'Nothing of this batch was written and its checkpoint did not move; rerun the sync once the database accepts writes.'): PullPushError {
    if (error instanceof PullPushError) return error;
    const code = (error as { code?: string }).code;
    const unreachable = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000';
    return new PullPushError(SyncErrorCode.Database, `${what} on ${this.description}: ${(error as Error).message}`, {
      hint: unreachable ? 'Check the URL (host, port, database, user and password) and that PostgreSQL accepts connections from here.' : nothingWritten,
    });
  }

  /**
   * A query with values runs as a named prepared statement: each connection plans it once, not at every call (the
   * outbox runs the same few statements for every record delivered).
   */
  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], client?: pg.PoolClient): Promise<pg.QueryResult<R>> {
    try {
      if (values.length === 0) return await (client ?? this.pool).query<R>(text);
      return await (client ?? this.pool).query<R>({ name: statementName(text), text, values });
    } catch (error) {
      throw this.failure(error, 'A query failed');
    }
  }

  /** Runs `work` in one transaction on one connection: committed when it returns, rolled back when it throws. */
  async transaction<T>(what: string, work: (client: pg.PoolClient) => Promise<T>, nothingWritten?: string): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw this.failure(error, 'Connecting failed');
    });
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.failure(error, what, nothingWritten);
    } finally {
      client.release();
    }
  }

  /**
   * DDL (`IF NOT EXISTS`) that another process may be running at the same moment: that is not atomic in
   * PostgreSQL, and the loser of the race gets a unique violation on the catalogue. Run again, the statements
   * find what the winner made (and a script of several statements runs its remaining ones).
   */
  async createOnce(ddl: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.pool.query(ddl);
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 3 || (code !== '23505' && code !== '42P07')) throw this.failure(error, 'Creating the tables failed');
      }
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
