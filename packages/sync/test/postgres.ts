// The PostgreSQL server of the tests: PULLPUSH_TEST_POSTGRES_URL names it (CI always sets it: .ci/run starts
// one, and a missing URL fails there). Elsewhere the PostgreSQL tests skip with a message saying how to run them.
// Each test works in a schema of its own, dropped at the end, so two test runs at once never meet.
import pg from 'pg';

export const POSTGRES_URL = process.env['PULLPUSH_TEST_POSTGRES_URL'];
if (POSTGRES_URL === undefined) {
  if (process.env['CI']) throw new Error('PULLPUSH_TEST_POSTGRES_URL is not set: CI must start PostgreSQL (.ci/run) so these tests run.');
  console.warn('PostgreSQL tests skipped: set PULLPUSH_TEST_POSTGRES_URL=postgres://user:password@127.0.0.1:5432/db (a database the tests may create schemas in).');
}

const created: string[] = [];
let count = 0;

/** A new schema name, to be dropped with every schema named after it (a queue's `<name>_jobs`, flows' `<name>_flow_…`). */
export function freshSchema(prefix = 'pullpush_test'): string {
  const schema = `${prefix}_${process.pid}_${Date.now().toString(36)}_${(count += 1)}`;
  created.push(schema);
  return schema;
}

/** The test server's URL with `?schema=` set: how the CLI and the worker name a schema. */
export function schemaUrl(schema: string): string {
  const url = new URL(POSTGRES_URL as string);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** Drops the schemas the tests made; PULLPUSH_TEST_KEEP_SCHEMAS=1 keeps them, to look into a failure. */
export async function dropSchemas(): Promise<void> {
  if (POSTGRES_URL === undefined || created.length === 0 || process.env['PULLPUSH_TEST_KEEP_SCHEMAS']) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const schema of created.splice(0)) {
      const { rows } = await client.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace WHERE nspname = $1 OR starts_with(nspname, $1 || '_')", [schema]);
      for (const { name } of rows) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    }
  } finally {
    await client.end();
  }
}
