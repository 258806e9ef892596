// The registry's store named by one string, as `pullpush registry serve --db` names it: a PostgreSQL URL
// (`postgres://user:password@host:5432/database[?schema=name]`) or the path of a SQLite file.
import { RegistryError, RegistryErrorCode } from './errors.ts';
import { PostgresRegistryStore } from './postgres-store.ts';
import { SqliteRegistryStore } from './store.ts';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** A PostgreSQL URL with its `schema` parameter (ours, not the driver's) taken out. */
export function parsePostgresLocation(location: string): { url: string; schema?: string } {
  let url: URL | undefined;
  try {
    url = new URL(location);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.hostname === '') {
    throw new RegistryError(RegistryErrorCode.Database, 503, 'The PostgreSQL location of the registry is not a URL with a host.', 'Write postgres://user:password@host:5432/database, optionally with ?schema=name.');
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return { url: url.toString(), ...(schema ? { schema } : {}) };
}

/** The PostgreSQL store for a postgres:// or postgresql:// URL, the SQLite store (a file, created when missing) otherwise. */
export function openRegistryStore(location: string): SqliteRegistryStore | PostgresRegistryStore {
  const trimmed = location.trim();
  if (!POSTGRES_URL.test(trimmed)) return new SqliteRegistryStore(location);
  const { url, schema } = parsePostgresLocation(trimmed);
  return new PostgresRegistryStore(url, schema ? { schema } : {});
}
