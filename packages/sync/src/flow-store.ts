// Where a flow to a connector keeps its records, checkpoints and outbox: a SQLite file of its own (the default,
// `<flow id>.db`), or a PostgreSQL schema of its own. A PostgreSQL location names the database and, with
// `?schema=<prefix>`, a prefix (default `pullpush`): the flow's store is the schema `<prefix>_flow_<flow id>`, so
// every process that is given the same URL — `pullpush flow run`, `flow status`, `dlq`, a worker — finds the same
// store, and two flows never share record tables (canonical keys are business identities: two shops' stock levels
// of one SKU and location have the same key, and must not overwrite each other across flows).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Outbox, type FlowOutbox } from './outbox.ts';
import { parseDestination } from './open-destination.ts';
import { PostgresConnection } from './postgres-connection.ts';
import { PostgresOutbox } from './postgres-outbox.ts';
import { PostgresStore } from './postgres-store.ts';
import { SqliteStore } from './sqlite-store.ts';

/** Whether a flow store location names a PostgreSQL server. */
export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location.trim());
}

/** The URL without `?schema=`, and the prefix it named (default `pullpush`). */
export function postgresPrefix(location: string): { url: string; prefix: string } {
  const spec = parseDestination(location) as { url: string; schema?: string };
  return { url: spec.url, prefix: spec.schema ?? 'pullpush' };
}

/** `<prefix>_flow_<flow id>`, shortened with a digest of the id when it would pass PostgreSQL's 63 characters. */
export function flowSchema(prefix: string, flow: string): string {
  const name = `${prefix}_flow_${flow}`;
  if (name.length <= 63) return name;
  return `${name.slice(0, 54)}_${createHash('sha256').update(flow).digest('hex').slice(0, 8)}`;
}

/** The flow's store as the destination its sync writes to: each changed record goes to the flow's outbox too. */
export function openFlowStore(location: string, flow: string): SqliteStore | PostgresStore {
  if (!isPostgresLocation(location)) return new SqliteStore(location, { outbox: flow });
  const { url, prefix } = postgresPrefix(location);
  return new PostgresStore(url, { outbox: flow, schema: flowSchema(prefix, flow) });
}

/** The flow's outbox, id map, dead letters and run log at that location. */
export function openFlowOutbox(location: string, flow: string): FlowOutbox {
  if (!isPostgresLocation(location)) return new Outbox(location, flow);
  const { url, prefix } = postgresPrefix(location);
  return new PostgresOutbox(url, flow, { schema: flowSchema(prefix, flow) });
}

/** Whether the flow ever stored anything there; asking creates no file and no schema. */
export async function flowStoreExists(location: string, flow: string): Promise<boolean> {
  if (!isPostgresLocation(location)) return existsSync(location);
  const { url, prefix } = postgresPrefix(location);
  const connection = new PostgresConnection(url, { schema: flowSchema(prefix, flow), maxConnections: 1 });
  try {
    const { rows } = await connection.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [connection.table('pullpush_outbox')]);
    return rows[0]?.found === true;
  } finally {
    await connection.end();
  }
}
