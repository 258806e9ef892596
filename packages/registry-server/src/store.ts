// Where the registry keeps accounts, tokens, keys, packages, versions, dist-tags, its audit log and the search index.
// The interface is what the routes need, and may answer with promises (a database over the network does); the
// embedded implementation is one SQLite file through node:sqlite and answers at once. PostgreSQL fills the same
// interface in postgres-store.ts.
import { createHash, randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { RegistryAuditEntry, RegistrySearchHit, RegistryVersionInfo } from '@pullpush/schema';
import { RegistryError, RegistryErrorCode } from './errors.ts';
import { generateSigningKey } from './signing.ts';

/** A value, or a promise of it: what a store method answers (await it either way). */
export type MaybePromise<T> = T | Promise<T>;

export type TokenScope = 'read' | 'publish';

/** A version as the API shows it (RegistryVersionInfo), with its package name and artifact. */
export interface VersionRecord extends RegistryVersionInfo {
  name: string;
  artifact: string;
}

export interface PackageRecord {
  name: string;
  owner: string;
  description: string;
  versions: VersionRecord[];
  distTags: Record<string, string>;
  downloads: number;
}

export type SearchHit = RegistrySearchHit;

export interface NewVersion extends Omit<VersionRecord, 'yanked' | 'deprecated' | 'publishedAt'> {
  owner: string;
  description: string;
  /** Search terms: canonical types, auth kind, stream names. */
  index: { canonicalTypes: string[]; authKind: string; streams: string[] };
}

export interface AuditInput {
  account: string;
  action: string;
  name?: string;
  version?: string;
  detail?: string;
}

export interface RegistryStore {
  /** Where the data is, for messages: a file path, or a PostgreSQL URL with its password masked. */
  readonly description: string;
  createAccount(name: string): MaybePromise<{ token: string }>;
  createToken(account: string, scope: TokenScope): MaybePromise<string>;
  /** The account and scope of a token, or undefined. */
  authenticate(token: string): MaybePromise<{ account: string; scope: TokenScope } | undefined>;
  addKey(account: string, publicKey: string): MaybePromise<string>;
  key(id: string): MaybePromise<{ account: string; publicKey: string } | undefined>;
  /** The registry's own signing key, made on the first call and the same ever after. */
  registryKey(): MaybePromise<{ id: string; publicKey: string; privateKey: string }>;
  getPackage(name: string): MaybePromise<PackageRecord | undefined>;
  /** Adds a version (and the package on its first one); REGISTRY_VERSION_EXISTS when the version is there. */
  publish(version: NewVersion, at: string): MaybePromise<void>;
  setDistTag(name: string, tag: string, version: string): MaybePromise<void>;
  setDeprecated(name: string, version: string | undefined, message: string | null): MaybePromise<void>;
  setYanked(name: string, version: string, yanked: boolean): MaybePromise<void>;
  countDownload(name: string, version: string): MaybePromise<void>;
  /** Packages whose words start with every word of the query, best match first; without words, the first ones. */
  search(query: string, limit: number): MaybePromise<SearchHit[]>;
  audit(entry: AuditInput, at: string): MaybePromise<void>;
  /** What an account did and what was done to its packages, newest first. */
  auditOf(account: string, limit: number): MaybePromise<RegistryAuditEntry[]>;
  close(): MaybePromise<void>;
}

/** The words of a search query: each one a prefix, all of them required ("shop ord" finds a shop's orders). */
export function searchWords(query: string): string[] {
  return query.toLowerCase().match(/[a-z0-9_@.-]+/g) ?? [];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES accounts(name), scope TEXT NOT NULL CHECK (scope IN ('read', 'publish')), created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keys (id TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES accounts(name), public_key TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS registry_keys (id TEXT PRIMARY KEY, public_key TEXT NOT NULL, private_key TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS packages (name TEXT PRIMARY KEY, owner TEXT NOT NULL REFERENCES accounts(name), description TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
  name TEXT NOT NULL REFERENCES packages(name), version TEXT NOT NULL, integrity TEXT NOT NULL, artifact TEXT NOT NULL,
  key_id TEXT NOT NULL, signature TEXT NOT NULL, countersignature TEXT NOT NULL, verification TEXT NOT NULL,
  yanked INTEGER NOT NULL DEFAULT 0, deprecated TEXT, published_at TEXT NOT NULL, downloads INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (name, version)
);
CREATE TABLE IF NOT EXISTS dist_tags (name TEXT NOT NULL REFERENCES packages(name), tag TEXT NOT NULL, version TEXT NOT NULL, PRIMARY KEY (name, tag));
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, account TEXT NOT NULL, action TEXT NOT NULL, name TEXT, version TEXT, detail TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(name, description, canonical, auth, streams);
`;

/** Tokens are kept as their sha256: a copy of the database holds no usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new token of a scope: its prefix says what it may do. */
export function newToken(scope: TokenScope): string {
  return `pp_${scope === 'publish' ? 'pub' : 'read'}_${randomBytes(24).toString('base64url')}`;
}

/** A publisher key's id: derived from the key, so registering it twice gives the same id. */
export function publisherKeyId(publicKey: string): string {
  return `key_${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`;
}

/** The registry key's id, derived from its public half. */
export function registryKeyId(publicKey: string): string {
  return `registry_${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`;
}

/** The refusals every store gives in the same words. */
export const refusals = {
  accountExists: (name: string) => new RegistryError(RegistryErrorCode.Forbidden, 403, `The account "${name}" exists.`, 'Choose another account name, or log in with a token of that account.'),
  keyOfAnother: () => new RegistryError(RegistryErrorCode.Forbidden, 403, 'This key is registered to another account.', 'Create a key of your own (pullpush keys create).'),
  packageOfAnother: (name: string) => new RegistryError(RegistryErrorCode.Forbidden, 403, `${name} belongs to another account.`, 'Publish under your own scope.'),
  versionExists: (name: string, version: string) => new RegistryError(RegistryErrorCode.VersionExists, 409, `${name}@${version} is published; versions are immutable.`, 'Raise the version in the definition and publish again.'),
};

/** A version row as either store returns it (SQLite's 0/1 and JSON text; PostgreSQL's booleans, JSONB and Dates). */
export function versionOf(name: string, row: Record<string, unknown>): VersionRecord {
  const verification = row['verification'];
  const publishedAt = row['published_at'];
  return {
    name,
    version: String(row['version']),
    integrity: String(row['integrity']),
    artifact: String(row['artifact']),
    keyId: String(row['key_id']),
    signature: String(row['signature']),
    countersignature: String(row['countersignature']),
    verification: (typeof verification === 'string' ? JSON.parse(verification) : verification) as VersionRecord['verification'],
    yanked: row['yanked'] === 1 || row['yanked'] === true,
    deprecated: (row['deprecated'] as string | null) ?? null,
    publishedAt: publishedAt instanceof Date ? publishedAt.toISOString() : String(publishedAt),
  };
}

export class SqliteRegistryStore implements RegistryStore {
  readonly description: string;
  readonly #db: DatabaseSync;

  constructor(path: string) {
    this.description = path;
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
    this.#db.exec(SCHEMA);
  }

  #now(): string {
    return new Date().toISOString();
  }

  createAccount(name: string): { token: string } {
    const exists = this.#db.prepare('SELECT 1 FROM accounts WHERE name = ?').get(name);
    if (exists) throw refusals.accountExists(name);
    this.#db.prepare('INSERT INTO accounts (name, created_at) VALUES (?, ?)').run(name, this.#now());
    return { token: this.createToken(name, 'publish') };
  }

  createToken(account: string, scope: TokenScope): string {
    const token = newToken(scope);
    this.#db.prepare('INSERT INTO tokens (hash, account, scope, created_at) VALUES (?, ?, ?, ?)').run(hashToken(token), account, scope, this.#now());
    return token;
  }

  authenticate(token: string): { account: string; scope: TokenScope } | undefined {
    const row = this.#db.prepare('SELECT account, scope FROM tokens WHERE hash = ?').get(hashToken(token)) as { account: string; scope: TokenScope } | undefined;
    return row ? { account: row.account, scope: row.scope } : undefined;
  }

  addKey(account: string, publicKey: string): string {
    const id = publisherKeyId(publicKey);
    const existing = this.#db.prepare('SELECT account FROM keys WHERE id = ?').get(id) as { account: string } | undefined;
    if (existing && existing.account !== account) throw refusals.keyOfAnother();
    if (!existing) this.#db.prepare('INSERT INTO keys (id, account, public_key, created_at) VALUES (?, ?, ?, ?)').run(id, account, publicKey, this.#now());
    return id;
  }

  key(id: string): { account: string; publicKey: string } | undefined {
    const row = this.#db.prepare('SELECT account, public_key FROM keys WHERE id = ?').get(id) as { account: string; public_key: string } | undefined;
    return row ? { account: row.account, publicKey: row.public_key } : undefined;
  }

  registryKey(): { id: string; publicKey: string; privateKey: string } {
    const row = this.#db.prepare('SELECT id, public_key, private_key FROM registry_keys ORDER BY created_at LIMIT 1').get() as { id: string; public_key: string; private_key: string } | undefined;
    if (row) return { id: row.id, publicKey: row.public_key, privateKey: row.private_key };
    const { publicKey, privateKey } = generateSigningKey();
    const id = registryKeyId(publicKey);
    this.#db.prepare('INSERT OR IGNORE INTO registry_keys (id, public_key, private_key, created_at) VALUES (?, ?, ?, ?)').run(id, publicKey, privateKey, this.#now());
    return this.registryKey();
  }

  getPackage(name: string): PackageRecord | undefined {
    const row = this.#db.prepare('SELECT name, owner, description FROM packages WHERE name = ?').get(name) as { name: string; owner: string; description: string } | undefined;
    if (!row) return undefined;
    const versions = (this.#db.prepare('SELECT * FROM versions WHERE name = ? ORDER BY published_at').all(name) as Array<Record<string, unknown>>).map((version) => versionOf(name, version));

    const tags = this.#db.prepare('SELECT tag, version FROM dist_tags WHERE name = ?').all(name) as Array<{ tag: string; version: string }>;
    const downloads = (this.#db.prepare('SELECT coalesce(sum(downloads), 0) AS n FROM versions WHERE name = ?').get(name) as { n: number }).n;
    return { name, owner: row.owner, description: row.description, versions, distTags: Object.fromEntries(tags.map((tag) => [tag.tag, tag.version])), downloads: Number(downloads) };
  }

  publish(version: NewVersion, at: string): void {
    // One transaction, taken for writing at once: of two publishes of one version, the second sees the first's row.
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const owner = this.#db.prepare('SELECT owner FROM packages WHERE name = ?').get(version.name) as { owner: string } | undefined;
      if (owner && owner.owner !== version.owner) throw refusals.packageOfAnother(version.name);
      if (this.#db.prepare('SELECT 1 FROM versions WHERE name = ? AND version = ?').get(version.name, version.version)) throw refusals.versionExists(version.name, version.version);
      if (owner) this.#db.prepare('UPDATE packages SET description = ? WHERE name = ?').run(version.description, version.name);
      else this.#db.prepare('INSERT INTO packages (name, owner, description, created_at) VALUES (?, ?, ?, ?)').run(version.name, version.owner, version.description, at);
      this.#db
        .prepare('INSERT INTO versions (name, version, integrity, artifact, key_id, signature, countersignature, verification, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(version.name, version.version, version.integrity, version.artifact, version.keyId, version.signature, version.countersignature, JSON.stringify(version.verification), at);
      this.#db.prepare('INSERT INTO dist_tags (name, tag, version) VALUES (?, ?, ?) ON CONFLICT (name, tag) DO UPDATE SET version = excluded.version').run(version.name, 'latest', version.version);
      this.#db.prepare('DELETE FROM search WHERE name = ?').run(version.name);
      this.#db.prepare('INSERT INTO search (name, description, canonical, auth, streams) VALUES (?, ?, ?, ?, ?)').run(version.name, version.description, version.index.canonicalTypes.join(' '), version.index.authKind, version.index.streams.join(' '));
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  setDistTag(name: string, tag: string, version: string): void {
    this.#db.prepare('INSERT INTO dist_tags (name, tag, version) VALUES (?, ?, ?) ON CONFLICT (name, tag) DO UPDATE SET version = excluded.version').run(name, tag, version);
  }

  setDeprecated(name: string, version: string | undefined, message: string | null): void {
    if (version === undefined) this.#db.prepare('UPDATE versions SET deprecated = ? WHERE name = ?').run(message, name);
    else this.#db.prepare('UPDATE versions SET deprecated = ? WHERE name = ? AND version = ?').run(message, name, version);
  }

  setYanked(name: string, version: string, yanked: boolean): void {
    this.#db.prepare('UPDATE versions SET yanked = ? WHERE name = ? AND version = ?').run(yanked ? 1 : 0, name, version);
  }

  countDownload(name: string, version: string): void {
    this.#db.prepare('UPDATE versions SET downloads = downloads + 1 WHERE name = ? AND version = ?').run(name, version);
  }

  search(query: string, limit: number): SearchHit[] {
    // Each word a prefix, all of them required: "shop ord" finds testkit-shop's orders. Quotes keep FTS5 syntax out.
    const match = searchWords(query).map((word) => `"${word.replaceAll('"', '')}"*`).join(' ');
    const rows = (match === ''
      ? this.#db.prepare('SELECT name, description, canonical, auth, streams FROM search LIMIT ?').all(limit)
      : this.#db.prepare('SELECT name, description, canonical, auth, streams FROM search WHERE search MATCH ? ORDER BY rank LIMIT ?').all(match, limit)) as Array<Record<string, string>>;
    return rows.map((row) => {
      const name = String(row['name']);
      const latest = this.#db
        .prepare("SELECT t.version, v.verification FROM dist_tags t JOIN versions v ON v.name = t.name AND v.version = t.version WHERE t.name = ? AND t.tag = 'latest'")
        .get(name) as { version: string; verification: string } | undefined;
      const downloads = (this.#db.prepare('SELECT coalesce(sum(downloads), 0) AS n FROM versions WHERE name = ?').get(name) as { n: number }).n;
      return {
        name,
        description: String(row['description']),
        latest: latest?.version ?? null,
        canonicalTypes: String(row['canonical']).split(' ').filter((entry) => entry !== ''),
        authKind: String(row['auth']),
        streams: String(row['streams']).split(' ').filter((entry) => entry !== ''),
        downloads: Number(downloads),
        verification: latest ? (JSON.parse(latest.verification) as SearchHit['verification']) : null,
      };
    });
  }

  audit(entry: AuditInput, at: string): void {
    this.#db.prepare('INSERT INTO audit (at, account, action, name, version, detail) VALUES (?, ?, ?, ?, ?, ?)').run(at, entry.account, entry.action, entry.name ?? null, entry.version ?? null, entry.detail ?? null);
  }

  auditOf(account: string, limit: number): RegistryAuditEntry[] {
    return this.#db
      .prepare('SELECT at, account, action, name, version, detail FROM audit WHERE account = ? OR name IN (SELECT name FROM packages WHERE owner = ?) ORDER BY id DESC LIMIT ?')
      .all(account, account, limit)
      .map((row) => ({
        at: String(row['at']),
        account: String(row['account']),
        action: String(row['action']),
        name: (row['name'] as string | null) ?? null,
        version: (row['version'] as string | null) ?? null,
        detail: (row['detail'] as string | null) ?? null,
      }));
  }

  close(): void {
    this.#db.close();
  }
}
