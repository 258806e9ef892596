// One contract for every registry store: the same tests run against SQLite (a file in a temp dir) and PostgreSQL (a
// schema of its own in the database PULLPUSH_TEST_POSTGRES_URL names, dropped afterwards; see postgres.ts for when
// those tests skip and when they must run).
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistryApp, openRegistryStore, PostgresRegistryStore, SqliteRegistryStore, startRegistry, type NewVersion, type RegistryStore } from '../src/index.ts';
import { POSTGRES_URL, postgresLocation, postgresRows, useSchemas } from './postgres.ts';

/** A store under test, another opening of the same data (a restart, or a second process), and its stored token hashes. */
interface Subject {
  store: RegistryStore;
  reopen(): RegistryStore;
  tokenHashes(): Promise<string[]>;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const freshSchema = useSchemas();

function sqlite(): Subject {
  const dir = mkdtempSync(join(tmpdir(), 'pullpush-registry-contract-'));
  dirs.push(dir);
  const path = join(dir, 'registry.db');
  return {
    store: new SqliteRegistryStore(path),
    reopen: () => new SqliteRegistryStore(path),
    tokenHashes: async () => {
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        return db
          .prepare('SELECT hash FROM tokens')
          .all()
          .map((row) => String(row['hash']));
      } finally {
        db.close();
      }
    },
  };
}

function postgres(): Subject {
  const schema = freshSchema();
  return {
    store: new PostgresRegistryStore(POSTGRES_URL as string, { schema }),
    reopen: () => new PostgresRegistryStore(POSTGRES_URL as string, { schema }),
    tokenHashes: async () => (await postgresRows(`SELECT hash FROM "${schema}".registry_tokens`)).map((row) => String(row['hash'])),
  };
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

function newVersion(name: string, version: string, extra: Partial<NewVersion> = {}): NewVersion {
  return {
    name,
    version,
    integrity: `sha512-${name}@${version}`,
    artifact: JSON.stringify({ id: name, version }),
    keyId: 'key_0123456789abcdef',
    signature: `signature of ${name}@${version}`,
    countersignature: `countersignature of ${name}@${version}`,
    verification: { verdict: 'pass', streams: ['orders'], testedAt: at(0) },
    owner: 'acme',
    description: `${name} for tests`,
    index: { canonicalTypes: [], authKind: 'none', streams: ['orders'] },
    ...extra,
  };
}

const SHOP = newVersion('@acme/shop', '1.0.0', {
  description: 'Shop orders, customers and products of the test shop.',
  index: { canonicalTypes: ['commerce.order@1', 'commerce.customer@1'], authKind: 'bearer', streams: ['orders', 'customers'] },
});
const CRM = newVersion('@acme/crm', '1.0.0', {
  description: 'CRM contacts; it also reads the contacts a shop keeps.',
  index: { canonicalTypes: ['crm.contact@1'], authKind: 'api_key', streams: ['contacts'] },
});
const TICKETS = newVersion('@acme/tickets', '1.0.0', {
  description: 'Tickets and comments of the Café desk.',
  index: { canonicalTypes: ['ticketing.ticket@1'], authKind: 'oauth2', streams: ['tickets', 'comments'] },
});

const stores: Array<[string, () => Subject, boolean]> = [
  ['SqliteRegistryStore', sqlite, true],
  ['PostgresRegistryStore', postgres, POSTGRES_URL !== undefined],
];

describe.each(stores)('%s (registry store contract)', (_name, open, available) => {
  const test = it.skipIf(!available);
  const opened: RegistryStore[] = [];
  const track = <T extends RegistryStore>(store: T): T => {
    opened.push(store);
    return store;
  };
  const subject = () => {
    const made = open();
    track(made.store);
    return { ...made, reopen: () => track(made.reopen()) };
  };
  /** Closes a store now (a restart), not again after the suite. */
  const closeNow = async (store: RegistryStore) => {
    opened.splice(opened.indexOf(store), 1);
    await store.close();
  };
  afterAll(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  test('creates an account once, with a publish token; tokens of either scope authenticate and are stored as sha256 only', async () => {
    const { store, tokenHashes } = subject();
    const { token } = await store.createAccount('acme');
    expect(token).toMatch(/^pp_pub_[A-Za-z0-9_-]{32}$/);
    expect(await store.authenticate(token)).toEqual({ account: 'acme', scope: 'publish' });
    await expect(Promise.resolve().then(() => store.createAccount('acme'))).rejects.toMatchObject({ code: 'REGISTRY_FORBIDDEN', status: 403, message: 'The account "acme" exists.' });

    const read = await store.createToken('acme', 'read');
    expect(read).toMatch(/^pp_read_/);
    expect(await store.authenticate(read)).toEqual({ account: 'acme', scope: 'read' });
    expect(await store.authenticate('pp_pub_forged')).toBeUndefined();

    const hashes = await tokenHashes();
    expect(hashes.sort()).toEqual([token, read].map((value) => createHash('sha256').update(value).digest('hex')).sort());
  });

  test('registers a publisher key once per account: the same key again is the same id, another account may not take it', async () => {
    const { store } = subject();
    await store.createAccount('acme');
    await store.createAccount('other');
    const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const id = await store.addKey('acme', publicKey);
    expect(id).toMatch(/^key_[0-9a-f]{16}$/);
    expect(await store.addKey('acme', publicKey)).toBe(id);
    await expect(Promise.resolve().then(() => store.addKey('other', publicKey))).rejects.toMatchObject({ code: 'REGISTRY_FORBIDDEN' });
    expect(await store.key(id)).toEqual({ account: 'acme', publicKey });
    expect(await store.key('key_none')).toBeUndefined();
  });

  test('makes its signing key once: the same from every opening, at the same moment or after a restart', async () => {
    const { store, reopen } = subject();
    const others = [reopen(), reopen(), reopen()];
    const keys = await Promise.all([store, ...others].map(async (each) => each.registryKey()));
    const [first] = keys;
    expect(first?.id).toMatch(/^registry_[0-9a-f]{16}$/);
    expect(first?.publicKey).toContain('BEGIN PUBLIC KEY');
    expect(first?.privateKey).toContain('BEGIN PRIVATE KEY');
    for (const key of keys) expect(key).toEqual(first);
    for (const each of [store, ...others]) await closeNow(each);
    expect(await reopen().registryKey()).toEqual(first);
  });

  test('publishes versions: the package on its first, latest moved by each, a version never twice, a package of another account never', async () => {
    const { store } = subject();
    await store.createAccount('acme');
    await store.createAccount('other');
    expect(await store.getPackage('@acme/shop')).toBeUndefined();
    await store.publish(SHOP, at(1));
    expect(await store.getPackage('@acme/shop')).toEqual({
      name: '@acme/shop',
      owner: 'acme',
      description: SHOP.description,
      distTags: { latest: '1.0.0' },
      downloads: 0,
      versions: [
        {
          name: '@acme/shop',
          version: '1.0.0',
          integrity: SHOP.integrity,
          artifact: SHOP.artifact,
          keyId: SHOP.keyId,
          signature: SHOP.signature,
          countersignature: SHOP.countersignature,
          verification: SHOP.verification,
          yanked: false,
          deprecated: null,
          publishedAt: at(1),
        },
      ],
    });
    await store.publish({ ...SHOP, version: '1.1.0', integrity: 'sha512-second', description: 'The shop, second edition.' }, at(2));
    const found = await store.getPackage('@acme/shop');
    expect(found).toMatchObject({ description: 'The shop, second edition.', distTags: { latest: '1.1.0' } });
    expect(found?.versions.map((version) => [version.version, version.publishedAt])).toEqual([
      ['1.0.0', at(1)],
      ['1.1.0', at(2)],
    ]);

    await expect(Promise.resolve().then(() => store.publish({ ...SHOP, integrity: 'sha512-changed' }, at(3)))).rejects.toMatchObject({
      code: 'REGISTRY_VERSION_EXISTS',
      status: 409,
      message: '@acme/shop@1.0.0 is published; versions are immutable.',
    });
    await expect(Promise.resolve().then(() => store.publish({ ...SHOP, version: '2.0.0', owner: 'other' }, at(3)))).rejects.toMatchObject({ code: 'REGISTRY_FORBIDDEN' });
    // Neither refusal changed anything.
    expect(await store.getPackage('@acme/shop')).toEqual(found);
  });

  test('lets exactly one of four racing publishes of one version win, each from its own opening of the store', async () => {
    const { store, reopen } = subject();
    await store.createAccount('acme');
    const racers = [store, reopen(), reopen(), reopen()];
    const outcomes = await Promise.allSettled(racers.map(async (racer, index) => racer.publish({ ...SHOP, integrity: `sha512-racer-${index}` }, at(index))));
    const won = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
    expect(won).toHaveLength(1);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'REGISTRY_VERSION_EXISTS' });
    const found = await store.getPackage('@acme/shop');
    expect(found?.versions.map((version) => version.integrity)).toEqual([`sha512-racer-${won[0]}`]);
    expect(found?.distTags).toEqual({ latest: '1.0.0' });
  });

  test('points dist-tags anywhere, deprecates a version or the whole package (null undoes it), yanks and un-yanks', async () => {
    const { store } = subject();
    await store.createAccount('acme');
    await store.publish(SHOP, at(1));
    await store.publish({ ...SHOP, version: '1.1.0' }, at(2));
    await store.setDistTag('@acme/shop', 'beta', '1.1.0');
    await store.setDistTag('@acme/shop', 'latest', '1.0.0');
    expect((await store.getPackage('@acme/shop'))?.distTags).toEqual({ latest: '1.0.0', beta: '1.1.0' });

    const states = async () => (await store.getPackage('@acme/shop'))?.versions.map((version) => [version.version, version.deprecated, version.yanked]);
    await store.setDeprecated('@acme/shop', '1.0.0', 'Use 1.1.0.');
    expect(await states()).toEqual([
      ['1.0.0', 'Use 1.1.0.', false],
      ['1.1.0', null, false],
    ]);
    await store.setDeprecated('@acme/shop', undefined, 'Moved to @acme/store.');
    expect(await states()).toEqual([
      ['1.0.0', 'Moved to @acme/store.', false],
      ['1.1.0', 'Moved to @acme/store.', false],
    ]);
    await store.setDeprecated('@acme/shop', undefined, null);
    await store.setYanked('@acme/shop', '1.1.0', true);
    expect(await states()).toEqual([
      ['1.0.0', null, false],
      ['1.1.0', null, true],
    ]);
    await store.setYanked('@acme/shop', '1.1.0', false);
    expect(await states()).toEqual([
      ['1.0.0', null, false],
      ['1.1.0', null, false],
    ]);
  });

  test("counts downloads per version and sums them for the package and its search hit", async () => {
    const { store } = subject();
    await store.createAccount('acme');
    await store.publish(SHOP, at(1));
    await store.publish({ ...SHOP, version: '1.1.0' }, at(2));
    await Promise.all([1, 2, 3].map(async () => store.countDownload('@acme/shop', '1.0.0')));
    await store.countDownload('@acme/shop', '1.1.0');
    await store.countDownload('@acme/shop', '9.9.9');
    expect((await store.getPackage('@acme/shop'))?.downloads).toBe(4);
    expect((await store.search('shop', 10))[0]?.downloads).toBe(4);
  });

  test('searches names, descriptions, canonical types, auth kinds and streams: every word a prefix, all required, best match first', async () => {
    const { store } = subject();
    await store.createAccount('acme');
    for (const [index, version] of [SHOP, CRM, TICKETS].entries()) await store.publish(version, at(index));
    const names = async (query: string, limit = 20) => (await store.search(query, limit)).map((hit) => hit.name);

    expect(await store.search('commerce.order', 20)).toEqual([
      {
        name: '@acme/shop',
        description: SHOP.description,
        latest: '1.0.0',
        canonicalTypes: ['commerce.order@1', 'commerce.customer@1'],
        authKind: 'bearer',
        streams: ['orders', 'customers'],
        downloads: 0,
        verification: SHOP.verification,
      },
    ]);
    // "shop" three times in the shop's row, once in the CRM's: the shop first; the limit cuts after it.
    expect(await names('shop')).toEqual(['@acme/shop', '@acme/crm']);
    expect(await names('SHOP', 1)).toEqual(['@acme/shop']);
    expect(await names('shop ord')).toEqual(['@acme/shop']);
    expect(await names('contact')).toEqual(['@acme/crm']);
    expect(await names('crm.contact')).toEqual(['@acme/crm']);
    expect(await names('bearer')).toEqual(['@acme/shop']);
    expect(await names('comments')).toEqual(['@acme/tickets']);
    expect(await names('cafe')).toEqual(['@acme/tickets']);
    expect(await names('@acme/tick')).toEqual(['@acme/tickets']);
    expect((await names('acme')).sort()).toEqual(['@acme/crm', '@acme/shop', '@acme/tickets']);
    expect(await names('nothing matches')).toEqual([]);
    expect(await names('"shop" OR NOT * -')).toEqual([]);
    // Without words: the packages in the order they were indexed; a new version re-indexes its package.
    expect(await names('')).toEqual(['@acme/shop', '@acme/crm', '@acme/tickets']);
    expect(await names('', 2)).toEqual(['@acme/shop', '@acme/crm']);
    await store.publish({ ...SHOP, version: '1.1.0', description: 'The shop, second edition.' }, at(5));
    expect(await names('')).toEqual(['@acme/crm', '@acme/tickets', '@acme/shop']);
    expect(await store.search('edition', 20)).toMatchObject([{ name: '@acme/shop', latest: '1.1.0' }]);
    expect(await names('products')).toEqual([]);
  });

  test("keeps an audit log: an account's own entries and those on its packages, newest first (in the order written)", async () => {
    const { store } = subject();
    await store.createAccount('acme');
    await store.createAccount('other');
    await store.publish(SHOP, at(1));
    // Written in this order, with times that run backwards: the order written is what counts.
    await store.audit({ account: 'acme', action: 'create-account' }, at(30));
    await store.audit({ account: 'other', action: 'create-account' }, at(20));
    await store.audit({ account: 'acme', action: 'publish', name: '@acme/shop', version: '1.0.0', detail: SHOP.integrity }, at(10));
    await store.audit({ account: 'other', action: 'dist-tag', name: '@acme/shop', version: '1.0.0', detail: 'beta' }, at(5));
    await store.audit({ account: 'other', action: 'add-key', detail: 'key_other' }, at(1));

    expect(await store.auditOf('acme', 10)).toEqual([
      { at: at(5), account: 'other', action: 'dist-tag', name: '@acme/shop', version: '1.0.0', detail: 'beta' },
      { at: at(10), account: 'acme', action: 'publish', name: '@acme/shop', version: '1.0.0', detail: SHOP.integrity },
      { at: at(30), account: 'acme', action: 'create-account', name: null, version: null, detail: null },
    ]);
    expect((await store.auditOf('other', 10)).map((entry) => entry.action)).toEqual(['add-key', 'dist-tag', 'create-account']);
    expect((await store.auditOf('acme', 2)).map((entry) => entry.action)).toEqual(['dist-tag', 'publish']);
    expect(await store.auditOf('nobody', 10)).toEqual([]);
  });
});

describe.skipIf(POSTGRES_URL === undefined)('PostgresRegistryStore', () => {
  it('keeps its tables, all named registry_*, in the schema it is given, created by whichever of several stores comes first', async () => {
    const schema = freshSchema();
    const racers = Array.from({ length: 4 }, () => new PostgresRegistryStore(POSTGRES_URL as string, { schema }));
    try {
      const keys = await Promise.all(racers.map(async (store) => store.registryKey()));
      for (const key of keys) expect(key).toEqual(keys[0]);
      const tables = await postgresRows(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' ORDER BY table_name`);
      expect(tables.map((row) => row['table_name'])).toEqual([
        'registry_accounts',
        'registry_audit',
        'registry_dist_tags',
        'registry_packages',
        'registry_publisher_keys',
        'registry_search',
        'registry_signing_key',
        'registry_tokens',
        'registry_versions',
      ]);
    } finally {
      await Promise.all(racers.map((store) => store.close()));
    }
  });

  it('finds names that start with a query holding no word to search for', async () => {
    const store = new PostgresRegistryStore(POSTGRES_URL as string, { schema: freshSchema() });
    try {
      await store.createAccount('acme');
      await store.publish(SHOP, at(1));
      expect((await store.search('@', 10)).map((hit) => hit.name)).toEqual(['@acme/shop']);
      expect(await store.search('%', 10)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('opens from a postgres:// location with ?schema=, naming the server without the password; anything else is a SQLite file', async () => {
    const schema = freshSchema();
    const url = new URL(postgresLocation(schema));
    const store = openRegistryStore(url.toString());
    try {
      expect(store).toBeInstanceOf(PostgresRegistryStore);
      expect(store.description).toContain(`schema ${schema}`);
      if (url.password) expect(store.description).toContain(`${url.username}:***@${url.host}`);
      await store.createAccount('acme');
      expect(await postgresRows(`SELECT name FROM "${schema}".registry_accounts`)).toEqual([{ name: 'acme' }]);
    } finally {
      await store.close();
    }
    const dir = mkdtempSync(join(tmpdir(), 'pullpush-registry-open-'));
    dirs.push(dir);
    const file = openRegistryStore(join(dir, 'registry.db'));
    expect(file).toBeInstanceOf(SqliteRegistryStore);
    await file.close();
  });
});

describe('PostgresRegistryStore without a server', () => {
  const unreachable = 'postgres://someone:s3cret-pw@127.0.0.1:1/nowhere';

  it('says which server it cannot reach, without the password, and how to fix it', async () => {
    const store = new PostgresRegistryStore(unreachable, { schema: 'registry' });
    try {
      const failure = await Promise.resolve(store.search('shop', 10)).then(
        () => undefined,
        (error: unknown) => error as { code: string; message: string; hint: string },
      );
      expect(failure).toMatchObject({ code: 'REGISTRY_DATABASE', hint: expect.stringContaining('Check the URL') });
      expect(failure?.message).toContain('127.0.0.1:1');
      expect(failure?.message).toContain('schema registry');
      expect(failure?.message).not.toContain('s3cret-pw');
    } finally {
      await store.close();
    }
  });

  it('fails at start rather than on the first request, and answers HTTP clients 503 without the database address', async () => {
    await expect(startRegistry({ db: unreachable })).rejects.toMatchObject({ code: 'REGISTRY_DATABASE', message: expect.not.stringContaining('s3cret-pw') });
    const store = new PostgresRegistryStore(unreachable);
    try {
      const answer = await createRegistryApp({ store, rateLimits: false }).request('/-/search?q=shop');
      expect(answer.status).toBe(503);
      const body = JSON.stringify(await answer.json());
      expect(body).toContain('REGISTRY_DATABASE');
      expect(body).not.toContain('127.0.0.1');
    } finally {
      await store.close();
    }
  });

  it('refuses a schema name it would have to quote', () => {
    expect(() => new PostgresRegistryStore(unreachable, { schema: 'Registry"; DROP' })).toThrow(expect.objectContaining({ code: 'REGISTRY_DATABASE' }));
    expect(() => openRegistryStore('postgres://')).toThrow(expect.objectContaining({ code: 'REGISTRY_DATABASE', hint: expect.stringContaining('?schema=name') }));
  });
});
