// The registry's store on PostgreSQL (through `pg`, pure JavaScript), for a registry that runs as several processes
// or beside other PullPush data: the same accounts, tokens, keys, packages, versions, dist-tags, audit log and search
// index as the SQLite store, in tables named registry_* of one schema. Races the SQLite store settles with its single
// writer are settled here by constraints: one signing key (a one-row table), one winner of racing publishes of a
// version (the primary key), one account of a name.
import type { RegistryAuditEntry } from '@pullpush/schema';
import pg from 'pg';
import { RegistryError, RegistryErrorCode } from './errors.ts';
import { generateSigningKey } from './signing.ts';
import {
  hashToken,
  newToken,
  publisherKeyId,
  refusals,
  registryKeyId,
  searchWords,
  versionOf,
  type AuditInput,
  type NewVersion,
  type PackageRecord,
  type RegistryStore,
  type SearchHit,
  type TokenScope,
} from './store.ts';

export interface PostgresRegistryStoreOptions {
  /** The schema the tables live in (created when missing); default `public`. */
  schema?: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Text longer than this is not indexed for search: a tsvector holds at most 1 MB. */
const MAX_INDEXED_CHARACTERS = 200_000;

const TABLES = (schema: string) => `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.registry_accounts (name TEXT PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL);
CREATE TABLE IF NOT EXISTS ${schema}.registry_tokens (
  hash TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES ${schema}.registry_accounts(name),
  scope TEXT NOT NULL CHECK (scope IN ('read', 'publish')), created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ${schema}.registry_publisher_keys (
  id TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES ${schema}.registry_accounts(name), public_key TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ${schema}.registry_signing_key (
  singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
  id TEXT NOT NULL, public_key TEXT NOT NULL, private_key TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ${schema}.registry_packages (
  name TEXT PRIMARY KEY, owner TEXT NOT NULL REFERENCES ${schema}.registry_accounts(name), description TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS registry_packages_owner ON ${schema}.registry_packages (owner);
CREATE TABLE IF NOT EXISTS ${schema}.registry_versions (
  name TEXT NOT NULL REFERENCES ${schema}.registry_packages(name), version TEXT NOT NULL, integrity TEXT NOT NULL, artifact TEXT NOT NULL,
  key_id TEXT NOT NULL, signature TEXT NOT NULL, countersignature TEXT NOT NULL, verification JSONB NOT NULL,
  yanked BOOLEAN NOT NULL DEFAULT false, deprecated TEXT, published_at TIMESTAMPTZ NOT NULL, downloads BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (name, version)
);
CREATE TABLE IF NOT EXISTS ${schema}.registry_dist_tags (
  name TEXT NOT NULL REFERENCES ${schema}.registry_packages(name), tag TEXT NOT NULL, version TEXT NOT NULL, PRIMARY KEY (name, tag)
);
CREATE TABLE IF NOT EXISTS ${schema}.registry_audit (
  id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL, account TEXT NOT NULL, action TEXT NOT NULL, name TEXT, version TEXT, detail TEXT
);
CREATE INDEX IF NOT EXISTS registry_audit_account ON ${schema}.registry_audit (account, id);
CREATE INDEX IF NOT EXISTS registry_audit_name ON ${schema}.registry_audit (name, id);
CREATE TABLE IF NOT EXISTS ${schema}.registry_search (
  id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE REFERENCES ${schema}.registry_packages(name),
  description TEXT NOT NULL, canonical TEXT NOT NULL, auth TEXT NOT NULL, streams TEXT NOT NULL, document TSVECTOR NOT NULL
);
CREATE INDEX IF NOT EXISTS registry_search_document ON ${schema}.registry_search USING GIN (document);`;

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

/**
 * Text as SQLite's FTS5 (unicode61) splits it: letters and digits, without diacritics, lower case; everything else
 * separates words. PostgreSQL's own parser would keep "commerce.order" whole (as a host name).
 */
function searchText(text: string): string {
  return text
    .slice(0, MAX_INDEXED_CHARACTERS)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The tsquery of a search, as the SQLite store matches: every word required, a word of several parts a phrase
 * ("commerce.order" is commerce followed by order), its last part a prefix. Only [a-z0-9] reaches the query.
 */
function tsquery(query: string): string {
  return searchWords(query)
    .map((word) => word.split(/[^a-z0-9]+/).filter((part) => part !== ''))
    .filter((parts) => parts.length > 0)
    .map((parts) => parts.map((part, index) => (index === parts.length - 1 ? `${part}:*` : part)).join(' <-> '))
    .join(' & ');
}

/** A LIKE pattern that matches names starting with the text, its own % and _ taken literally. */
function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();

type Queryable = pg.Pool | pg.PoolClient;

export class PostgresRegistryStore implements RegistryStore {
  readonly description: string;
  readonly schema: string;
  readonly #pool: pg.Pool;
  readonly #schema: string;
  #ready: Promise<void> | undefined;
  #registryKey: Promise<{ id: string; publicKey: string; privateKey: string }> | undefined;
  #open = true;

  constructor(url: string, options: PostgresRegistryStoreOptions = {}) {
    this.schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(this.schema)) {
      throw new RegistryError(RegistryErrorCode.Database, 503, `"${this.schema}" is not a PostgreSQL schema name the registry uses.`, 'Use lower-case letters, digits and underscores, starting with a letter or underscore: registry.');
    }
    this.#schema = `"${this.schema}"`;
    this.description = `${redactedUrl(url)}${this.schema === 'public' ? '' : ` (schema ${this.schema})`}`;
    this.#pool = new pg.Pool({ connectionString: url });
    // An idle connection the server drops must not crash the process; the next query reconnects.
    this.#pool.on('error', () => undefined);
  }

  #table(name: string): string {
    return `${this.#schema}.${name}`;
  }

  /** Creates the tables on first use; a failed attempt is retried by the next call (the server may come back). */
  #connect(): Promise<void> {
    if (!this.#open) return Promise.reject(new RegistryError(RegistryErrorCode.Database, 503, `The registry store ${this.description} is closed.`, 'Open it again.'));
    this.#ready ??= this.#createOnce(TABLES(this.#schema)).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /**
   * DDL (`IF NOT EXISTS`) that another process may run at the same moment: that is not atomic in PostgreSQL, and
   * the loser of the race gets a unique violation on the catalogue. Run again, the statements find what the winner
   * made.
   */
  async #createOnce(ddl: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.#pool.query(ddl);
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 3 || (code !== '23505' && code !== '42P07')) throw this.#failure(error, 'Creating the registry tables');
      }
    }
  }

  #failure(error: unknown, what: string): RegistryError {
    if (error instanceof RegistryError) return error;
    const code = (error as { code?: string }).code;
    const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', '28P01', '28000', '3D000', '57P03'].includes(code ?? '');
    return new RegistryError(
      RegistryErrorCode.Database,
      503,
      `${what} failed on ${this.description}: ${(error as Error).message}`,
      unreachable
        ? 'Check the URL (host, port, database, user and password) and that PostgreSQL accepts connections from here.'
        : `Check that the user may create and write tables in the schema ${this.schema}, and the PostgreSQL server's log.`,
    );
  }

  async #query<R extends pg.QueryResultRow>(what: string, text: string, values: unknown[] = [], on: Queryable = this.#pool): Promise<pg.QueryResult<R>> {
    await this.#connect();
    try {
      return await on.query<R>(text, values);
    } catch (error) {
      throw this.#failure(error, what);
    }
  }

  /** Runs the work in one transaction: committed whole, or rolled back whole on any error. */
  async #transaction<T>(what: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.#connect();
    const client = await this.#pool.connect().catch((error: unknown) => {
      throw this.#failure(error, what);
    });
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.#failure(error, what);
    } finally {
      client.release();
    }
  }

  async createAccount(name: string): Promise<{ token: string }> {
    return this.#transaction(`Creating the account ${name}`, async (client) => {
      const created = await client.query(`INSERT INTO ${this.#table('registry_accounts')} (name, created_at) VALUES ($1, now()) ON CONFLICT (name) DO NOTHING`, [name]);
      if (created.rowCount === 0) throw refusals.accountExists(name);
      return { token: await this.#insertToken(client, name, 'publish') };
    });
  }

  async createToken(account: string, scope: TokenScope): Promise<string> {
    return this.#insertToken(this.#pool, account, scope);
  }

  async #insertToken(on: Queryable, account: string, scope: TokenScope): Promise<string> {
    const token = newToken(scope);
    await this.#query('Creating a token', `INSERT INTO ${this.#table('registry_tokens')} (hash, account, scope, created_at) VALUES ($1, $2, $3, now())`, [hashToken(token), account, scope], on);
    return token;
  }

  async authenticate(token: string): Promise<{ account: string; scope: TokenScope } | undefined> {
    const { rows } = await this.#query<{ account: string; scope: TokenScope }>('Checking a token', `SELECT account, scope FROM ${this.#table('registry_tokens')} WHERE hash = $1`, [hashToken(token)]);
    return rows[0] ? { account: rows[0].account, scope: rows[0].scope } : undefined;
  }

  async addKey(account: string, publicKey: string): Promise<string> {
    const id = publisherKeyId(publicKey);
    const { rows } = await this.#query<{ account: string }>(
      'Registering a key',
      `WITH added AS (INSERT INTO ${this.#table('registry_publisher_keys')} (id, account, public_key, created_at) VALUES ($1, $2, $3, now()) ON CONFLICT (id) DO NOTHING RETURNING account)
       SELECT account FROM added UNION ALL SELECT account FROM ${this.#table('registry_publisher_keys')} WHERE id = $1`,
      [id, account, publicKey],
    );
    if (rows[0]?.account !== account) throw refusals.keyOfAnother();
    return id;
  }

  async key(id: string): Promise<{ account: string; publicKey: string } | undefined> {
    const { rows } = await this.#query<{ account: string; public_key: string }>('Reading a key', `SELECT account, public_key FROM ${this.#table('registry_publisher_keys')} WHERE id = $1`, [id]);
    return rows[0] ? { account: rows[0].account, publicKey: rows[0].public_key } : undefined;
  }

  registryKey(): Promise<{ id: string; publicKey: string; privateKey: string }> {
    // The key never changes once made, so it is read once per store.
    this.#registryKey ??= this.#readOrMakeRegistryKey().catch((error: unknown) => {
      this.#registryKey = undefined;
      throw error;
    });
    return this.#registryKey;
  }

  async #readOrMakeRegistryKey(): Promise<{ id: string; publicKey: string; privateKey: string }> {
    const read = async () => {
      const { rows } = await this.#query<{ id: string; public_key: string; private_key: string }>('Reading the registry key', `SELECT id, public_key, private_key FROM ${this.#table('registry_signing_key')}`);
      return rows[0] ? { id: rows[0].id, publicKey: rows[0].public_key, privateKey: rows[0].private_key } : undefined;
    };
    const found = await read();
    if (found) return found;
    // Two processes starting at once both get here; the one-row table keeps the first key, and both read it back.
    const { publicKey, privateKey } = generateSigningKey();
    await this.#query(
      'Saving the registry key',
      `INSERT INTO ${this.#table('registry_signing_key')} (id, public_key, private_key, created_at) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING`,
      [registryKeyId(publicKey), publicKey, privateKey],
    );
    const made = await read();
    if (!made) throw new RegistryError(RegistryErrorCode.Database, 503, `The registry key was saved but cannot be read back from ${this.description}.`, 'Check the PostgreSQL server log.');
    return made;
  }

  async getPackage(name: string): Promise<PackageRecord | undefined> {
    const found = await this.#query<{ owner: string; description: string }>('Reading a package', `SELECT owner, description FROM ${this.#table('registry_packages')} WHERE name = $1`, [name]);
    const row = found.rows[0];
    if (!row) return undefined;
    const [versions, tags] = await Promise.all([
      this.#query<Record<string, unknown>>('Reading versions', `SELECT * FROM ${this.#table('registry_versions')} WHERE name = $1 ORDER BY published_at, version`, [name]),
      this.#query<{ tag: string; version: string }>('Reading dist-tags', `SELECT tag, version FROM ${this.#table('registry_dist_tags')} WHERE name = $1`, [name]),
    ]);
    return {
      name,
      owner: row.owner,
      description: row.description,
      versions: versions.rows.map((version) => versionOf(name, version)),
      distTags: Object.fromEntries(tags.rows.map((tag) => [tag.tag, tag.version])),
      // BIGINT arrives as a string.
      downloads: versions.rows.reduce((sum, version) => sum + Number(version['downloads']), 0),
    };
  }

  async publish(version: NewVersion, at: string): Promise<void> {
    await this.#transaction(`Publishing ${version.name}@${version.version}`, async (client) => {
      // The upsert locks the package's row: racing publishes of one package take turns from here on.
      const owned = await client.query(
        `INSERT INTO ${this.#table('registry_packages')} AS p (name, owner, description, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET description = excluded.description WHERE p.owner = excluded.owner`,
        [version.name, version.owner, version.description, at],
      );
      if (owned.rowCount === 0) throw refusals.packageOfAnother(version.name);
      try {
        await client.query(
          `INSERT INTO ${this.#table('registry_versions')} (name, version, integrity, artifact, key_id, signature, countersignature, verification, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [version.name, version.version, version.integrity, version.artifact, version.keyId, version.signature, version.countersignature, JSON.stringify(version.verification), at],
        );
      } catch (error) {
        // The primary key is the last word on immutability, whatever another publish did meanwhile.
        if ((error as { code?: string }).code === '23505') throw refusals.versionExists(version.name, version.version);
        throw error;
      }
      await client.query(`INSERT INTO ${this.#table('registry_dist_tags')} (name, tag, version) VALUES ($1, 'latest', $2) ON CONFLICT (name, tag) DO UPDATE SET version = excluded.version`, [version.name, version.version]);
      // Deleted and inserted, as in SQLite: a republished package moves to the end of the unranked listing.
      await client.query(`DELETE FROM ${this.#table('registry_search')} WHERE name = $1`, [version.name]);
      const canonical = version.index.canonicalTypes.join(' ');
      const streams = version.index.streams.join(' ');
      await client.query(
        `INSERT INTO ${this.#table('registry_search')} (name, description, canonical, auth, streams, document) VALUES ($1, $2, $3, $4, $5, to_tsvector('simple', $6))`,
        [version.name, version.description, canonical, version.index.authKind, streams, [version.name, version.description, canonical, version.index.authKind, streams].map(searchText).join(' ')],
      );
    });
  }

  async setDistTag(name: string, tag: string, version: string): Promise<void> {
    await this.#query('Setting a dist-tag', `INSERT INTO ${this.#table('registry_dist_tags')} (name, tag, version) VALUES ($1, $2, $3) ON CONFLICT (name, tag) DO UPDATE SET version = excluded.version`, [name, tag, version]);
  }

  async setDeprecated(name: string, version: string | undefined, message: string | null): Promise<void> {
    if (version === undefined) await this.#query('Deprecating a package', `UPDATE ${this.#table('registry_versions')} SET deprecated = $1 WHERE name = $2`, [message, name]);
    else await this.#query('Deprecating a version', `UPDATE ${this.#table('registry_versions')} SET deprecated = $1 WHERE name = $2 AND version = $3`, [message, name, version]);
  }

  async setYanked(name: string, version: string, yanked: boolean): Promise<void> {
    await this.#query('Yanking a version', `UPDATE ${this.#table('registry_versions')} SET yanked = $1 WHERE name = $2 AND version = $3`, [yanked, name, version]);
  }

  async countDownload(name: string, version: string): Promise<void> {
    await this.#query('Counting a download', `UPDATE ${this.#table('registry_versions')} SET downloads = downloads + 1 WHERE name = $1 AND version = $2`, [name, version]);
  }

  async search(query: string, limit: number): Promise<SearchHit[]> {
    const words = tsquery(query);
    const text = query.trim().toLowerCase();
    // Ranked as FTS5's bm25 ranks when every word is required: more matches first, in shorter documents first
    // (normalization 1 divides by the log of the length); ties in the order the packages were indexed.
    const [where, order, values] =
      words !== ''
        ? [`s.document @@ to_tsquery('simple', $2)`, `ts_rank(s.document, to_tsquery('simple', $2), 1) DESC, s.id`, [limit, words]]
        : text !== ''
          ? // Nothing searchable in the query ("@", "-"): names that start with it.
            [`s.name ILIKE $2`, 's.name', [limit, prefixPattern(text)]]
          : ['true', 's.id', [limit]];
    const { rows } = await this.#query<Record<string, unknown>>(
      'Searching',
      `SELECT s.name, s.description, s.canonical, s.auth, s.streams, v.version AS latest, v.verification,
         (SELECT coalesce(sum(d.downloads), 0) FROM ${this.#table('registry_versions')} d WHERE d.name = s.name) AS downloads
       FROM ${this.#table('registry_search')} s
       LEFT JOIN ${this.#table('registry_dist_tags')} t ON t.name = s.name AND t.tag = 'latest'
       LEFT JOIN ${this.#table('registry_versions')} v ON v.name = t.name AND v.version = t.version
       WHERE ${where} ORDER BY ${order} LIMIT $1`,
      values,
    );
    return rows.map((row) => ({
      name: String(row['name']),
      description: String(row['description']),
      latest: (row['latest'] as string | null) ?? null,
      canonicalTypes: String(row['canonical']).split(' ').filter((entry) => entry !== ''),
      authKind: String(row['auth']),
      streams: String(row['streams']).split(' ').filter((entry) => entry !== ''),
      downloads: Number(row['downloads']),
      verification: (row['verification'] as SearchHit['verification'] | null) ?? null,
    }));
  }

  async audit(entry: AuditInput, at: string): Promise<void> {
    await this.#query('Writing the audit log', `INSERT INTO ${this.#table('registry_audit')} (at, account, action, name, version, detail) VALUES ($1, $2, $3, $4, $5, $6)`, [
      at,
      entry.account,
      entry.action,
      entry.name ?? null,
      entry.version ?? null,
      entry.detail ?? null,
    ]);
  }

  async auditOf(account: string, limit: number): Promise<RegistryAuditEntry[]> {
    const { rows } = await this.#query<{ at: Date; account: string; action: string; name: string | null; version: string | null; detail: string | null }>(
      'Reading the audit log',
      `SELECT at, account, action, name, version, detail FROM ${this.#table('registry_audit')}
       WHERE account = $1 OR name IN (SELECT name FROM ${this.#table('registry_packages')} WHERE owner = $1) ORDER BY id DESC LIMIT $2`,
      [account, limit],
    );
    return rows.map((row) => ({ at: iso(row.at), account: row.account, action: row.action, name: row.name, version: row.version, detail: row.detail }));
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    await this.#pool.end();
  }
}
