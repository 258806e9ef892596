// The registry's HTTP API on Hono: accounts and tokens, publisher keys, publishing (verified, signed and
// countersigned), package information, downloads, dist-tags, deprecation, yanking and search, behind rate limits,
// beside the web catalogue's pages. Every refusal is a JSON error with a stable code and a hint.
import {
  RegistryAccountRequest,
  RegistryDeprecateRequest,
  RegistryDistTagRequest,
  RegistryKeyRequest,
  RegistryPublishRequest,
  RegistryTokenRequest,
  RegistryYankRequest,
} from '@pullpush/schema';
import { Hono, type Context } from 'hono';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { bodyLimit } from 'hono/body-limit';
import semver from 'semver';
import { RegistryError, RegistryErrorCode } from './errors.ts';
import { addCatalogue } from './catalogue.ts';
import { isAccountName, parsePackageName } from './names.ts';
import { REGISTRY_OPENAPI } from './openapi.ts';
import { addRateLimits, DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limits.ts';
import { ed25519PublicKey, signedText, signText, verifyText } from './signing.ts';
import type { RegistryStore, TokenScope } from './store.ts';
import { verifyDefinition, verifyReport } from './verification.ts';

export interface RegistryAppOptions {
  store: RegistryStore;
  /** Largest request body in bytes (default 5 MiB). */
  maxBodyBytes?: number;
  /** The clock (default now), for deterministic tests. */
  now?: () => Date;
  /** Reads and writes allowed per account (or client address) and window; false: none (DEFAULT_RATE_LIMITS). */
  rateLimits?: RateLimits | false;
}

const TAG = /^[a-z][a-z0-9._-]{0,31}$/;

export function createRegistryApp(options: RegistryAppOptions): Hono {
  const { store } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const app = new Hono();
  const maxSize = options.maxBodyBytes ?? 5 * 1024 * 1024;

  app.onError((error, c) => {
    // The database's address and its own message are for whoever runs the registry, not for its clients.
    if (error instanceof RegistryError && error.code === RegistryErrorCode.Database) return c.json({ error: { code: error.code, message: 'The registry cannot reach its database.', hint: 'Try again in a moment.' } }, 503);
    if (error instanceof RegistryError) return c.json({ error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } }, error.status);
    return c.json({ error: { code: 'REGISTRY_INTERNAL', message: 'The registry failed on its side.' } }, 500);
  });
  if (options.rateLimits !== false) addRateLimits(app, store, options.rateLimits ?? DEFAULT_RATE_LIMITS);
  app.use(
    '*',
    bodyLimit({
      maxSize,
      onError: () => {
        throw new RegistryError(RegistryErrorCode.TooLarge, 413, `The request body is over ${maxSize} bytes.`, 'A connector definition is a few kilobytes; check what is being sent.');
      },
    }),
  );

  const authenticate = async (c: Context, scope: TokenScope): Promise<string> => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const found = token ? await store.authenticate(token) : undefined;
    if (!found) throw new RegistryError(RegistryErrorCode.Unauthorized, 401, 'A valid token is required.', 'Log in first (pullpush login), or pass a token.');
    if (scope === 'publish' && found.scope !== 'publish') throw new RegistryError(RegistryErrorCode.Forbidden, 403, 'This token may only read.', 'Create a publish token (pullpush login).');
    return found.account;
  };
  /** The request body, checked against its schema in @pullpush/schema (the one the client's types come from). */
  const body = async <T extends TSchema>(c: Context, schema: T): Promise<Static<T>> => {
    const value: unknown = await c.req.json().catch(() => undefined);
    const [problem] = Value.Errors(schema, value);
    if (problem) {
      const where = problem.instancePath === '' ? 'The request body' : `The request body at ${problem.instancePath}`;
      const allowed = problem.keyword === 'enum' ? ` (${problem.params.allowedValues.join(', ')})` : '';
      throw new RegistryError(RegistryErrorCode.InvalidRequest, 400, `${where}: ${problem.message}${allowed}.`, 'See /openapi.json for what this route takes.');
    }
    return value as Static<T>;
  };
  const packageOf = (c: Context) => {
    const name = `${c.req.param('scope')}/${c.req.param('name')}`;
    parsePackageName(name);
    return name;
  };
  const owned = async (c: Context, name: string): Promise<string> => {
    const account = await authenticate(c, 'publish');
    const found = await store.getPackage(name);
    if (!found) throw new RegistryError(RegistryErrorCode.NotFound, 404, `No package ${name}.`);
    if (found.owner !== account) throw new RegistryError(RegistryErrorCode.Forbidden, 403, `${name} belongs to another account.`);
    return account;
  };
  const versionOf = async (name: string, version: string) => {
    const found = (await store.getPackage(name))?.versions.find((entry) => entry.version === version);
    if (!found) throw new RegistryError(RegistryErrorCode.NotFound, 404, `No version ${version} of ${name}.`, 'pullpush info lists the versions.');
    return found;
  };

  app.get('/openapi.json', (c) => c.json(REGISTRY_OPENAPI));
  addCatalogue(app, store);

  app.post('/-/accounts', async (c) => {
    const { name } = await body(c, RegistryAccountRequest);
    if (!isAccountName(name)) throw new RegistryError(RegistryErrorCode.InvalidName, 400, 'An account name is lower-case letters, digits and -, at most 39 characters.');
    const { token } = await store.createAccount(name);
    await store.audit({ account: name, action: 'create-account' }, now());
    return c.json({ account: name, token }, 201);
  });

  app.post('/-/tokens', async (c) => {
    const account = await authenticate(c, 'publish');
    const { scope } = await body(c, RegistryTokenRequest);
    return c.json({ token: await store.createToken(account, scope) }, 201);
  });

  app.post('/-/keys', async (c) => {
    const account = await authenticate(c, 'publish');
    const { publicKey } = await body(c, RegistryKeyRequest);
    if (!ed25519PublicKey(publicKey)) throw new RegistryError(RegistryErrorCode.InvalidRequest, 400, 'publicKey must be an Ed25519 public key in PEM.', 'Create one with pullpush keys create.');
    const id = await store.addKey(account, publicKey);
    await store.audit({ account, action: 'add-key', detail: id }, now());
    return c.json({ id }, 201);
  });

  app.get('/-/keys/:id', async (c) => {
    const key = await store.key(c.req.param('id'));
    if (!key) throw new RegistryError(RegistryErrorCode.NotFound, 404, `No key ${c.req.param('id')}.`);
    return c.json({ id: c.req.param('id'), account: key.account, publicKey: key.publicKey });
  });

  app.get('/-/registry-keys', async (c) => {
    const { id, publicKey } = await store.registryKey();
    return c.json({ keys: [{ id, publicKey }] });
  });

  app.get('/-/audit', async (c) => {
    const account = await authenticate(c, 'read');
    const limit = Math.min(1000, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
    return c.json({ entries: await store.auditOf(account, limit) });
  });

  app.get('/-/search', async (c) => {
    const limit = Math.min(100, Math.max(1, Number(c.req.query('limit') ?? 20) || 20));
    return c.json({ results: await store.search(c.req.query('q') ?? '', limit) });
  });

  app.put('/packages/:scope/:name', async (c) => {
    const account = await authenticate(c, 'publish');
    const name = packageOf(c);
    if (parsePackageName(name).scope !== account) throw new RegistryError(RegistryErrorCode.Forbidden, 403, `Account ${account} publishes under @${account}/, not ${name}.`, `Name it @${account}/${parsePackageName(name).name}.`);
    const { definition, report, signature } = await body(c, RegistryPublishRequest);
    const artifact = verifyDefinition(definition);
    verifyReport(report, artifact.integrity);
    const key = await store.key(signature.keyId);
    const text = signedText(name, artifact.version, artifact.integrity);
    if (!key || key.account !== account || !verifyText(text, signature.value, key.publicKey)) {
      throw new RegistryError(RegistryErrorCode.BadSignature, 422, `The signature of ${text.slice(0, 80)}… is not one of ${account}'s keys.`, 'Sign with a key registered to your account (pullpush keys create).');
    }
    const registry = await store.registryKey();
    const countersignature = signText(text, registry.privateKey);
    const document = definition as { description?: string; auth: { kind: string }; streams: Record<string, { canonical?: string }> };
    const tested = report as { startedAt?: string; verdict: string; streams: Array<{ stream: string }> };
    await store.publish(
      {
        name,
        version: artifact.version,
        integrity: artifact.integrity,
        artifact: artifact.text,
        keyId: signature.keyId,
        signature: signature.value,
        countersignature,
        verification: { verdict: tested.verdict, streams: tested.streams.map((stream) => stream.stream), testedAt: String(tested.startedAt ?? '') },
        owner: account,
        description: document.description ?? '',
        index: {
          canonicalTypes: [...new Set(Object.values(document.streams).flatMap((stream) => (stream.canonical ? [stream.canonical] : [])))],
          authKind: document.auth.kind,
          streams: Object.keys(document.streams),
        },
      },
      now(),
    );
    await store.audit({ account, action: 'publish', name, version: artifact.version, detail: artifact.integrity }, now());
    return c.json({ name, version: artifact.version, integrity: artifact.integrity, countersignature, registryKeyId: registry.id }, 201);
  });

  app.get('/packages/:scope/:name', async (c) => {
    const name = packageOf(c);
    const found = await store.getPackage(name);
    if (!found) throw new RegistryError(RegistryErrorCode.NotFound, 404, `No package ${name}.`, 'pullpush search finds packages.');
    const versions = [...found.versions].sort((a, b) => semver.compare(a.version, b.version));
    return c.json({
      name,
      owner: found.owner,
      description: found.description,
      distTags: found.distTags,
      downloads: found.downloads,
      versions: versions.map(({ artifact: _artifact, ...version }) => version),
    });
  });

  app.get('/packages/:scope/:name/:version', async (c) => {
    const name = packageOf(c);
    const found = await versionOf(name, c.req.param('version'));
    await store.countDownload(name, found.version);
    return c.json({ ...found, registryKeyId: (await store.registryKey()).id });
  });

  app.put('/packages/:scope/:name/dist-tags/:tag', async (c) => {
    const name = packageOf(c);
    const account = await owned(c, name);
    const tag = c.req.param('tag');
    const { version } = await body(c, RegistryDistTagRequest);
    if (!TAG.test(tag)) throw new RegistryError(RegistryErrorCode.InvalidRequest, 400, `"${tag}" is not a tag name.`);
    if ((await versionOf(name, version)).yanked) throw new RegistryError(RegistryErrorCode.InvalidRequest, 400, `${name}@${version} is yanked: a tag cannot point at it.`);
    await store.setDistTag(name, tag, version);
    await store.audit({ account, action: 'dist-tag', name, version, detail: tag }, now());
    return c.json({ name, distTags: (await store.getPackage(name))?.distTags ?? {} });
  });

  app.post('/packages/:scope/:name/deprecate', async (c) => {
    const name = packageOf(c);
    const account = await owned(c, name);
    const { version, message } = await body(c, RegistryDeprecateRequest);
    if (version !== undefined) await versionOf(name, version);
    await store.setDeprecated(name, version, message === '' ? null : message);
    await store.audit({ account, action: 'deprecate', name, ...(version === undefined ? {} : { version }), detail: message }, now());
    return c.json({ name, deprecated: message === '' ? null : message });
  });

  app.post('/packages/:scope/:name/:version/yank', async (c) => {
    const name = packageOf(c);
    const account = await owned(c, name);
    const version = (await versionOf(name, c.req.param('version'))).version;
    const { yanked } = await body(c, RegistryYankRequest);
    await store.setYanked(name, version, yanked !== false);
    await store.audit({ account, action: yanked === false ? 'unyank' : 'yank', name, version }, now());
    return c.json({ name, version, yanked: yanked !== false });
  });

  return app;
}
