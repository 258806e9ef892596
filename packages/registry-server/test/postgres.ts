// The PostgreSQL server the tests may use: PULLPUSH_TEST_POSTGRES_URL names a database in which each test makes a
// schema of its own, dropped after the file, so two test runs at once never meet. CI starts PostgreSQL and sets the
// URL (.ci/run): there a missing URL fails the run. Elsewhere the PostgreSQL tests skip with a message saying how to
// run them.
import pg from 'pg';
import { afterAll } from 'vitest';

export const POSTGRES_URL = process.env['PULLPUSH_TEST_POSTGRES_URL'];
if (POSTGRES_URL === undefined) {
  if (process.env['CI']) throw new Error('PULLPUSH_TEST_POSTGRES_URL is not set: CI must start PostgreSQL (.ci/run) so these tests run.');
  console.warn('PostgreSQL registry store tests skipped: set PULLPUSH_TEST_POSTGRES_URL=postgres://user:password@127.0.0.1:5432/db (a database the tests may create schemas in).');
}

/** Rows of a query on the test database. */
export async function postgresRows(text: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

let schemaCount = 0;

/** Fresh schema names for one test file, each dropped after it. */
export function useSchemas(): () => string {
  const schemas: string[] = [];
  afterAll(async () => {
    if (POSTGRES_URL === undefined || schemas.length === 0) return;
    await postgresRows(schemas.map((schema) => `DROP SCHEMA IF EXISTS "${schema}" CASCADE;`).join('\n'));
  });
  return () => {
    const schema = `pullpush_registry_test_${process.pid}_${Date.now().toString(36)}_${(schemaCount += 1)}`;
    schemas.push(schema);
    return schema;
  };
}

/** The test database's URL with `?schema=` set: what `startRegistry({ db })` and `pullpush registry serve --db` take. */
export function postgresLocation(schema: string): string {
  const url = new URL(POSTGRES_URL as string);
  url.searchParams.set('schema', schema);
  return url.toString();
}
