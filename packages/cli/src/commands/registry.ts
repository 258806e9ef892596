// The marketplace from the command line: `pullpush registry serve`, `login`, `keys create`, `publish`, `install`,
// `search`, `info`, `dist-tag`, `rollback`, `deprecate` and `yank`. The registry URL and token come from
// `pullpush login` (saved in ~/.pullpush/registry.json, mode 600) or from PULLPUSH_REGISTRY and
// PULLPUSH_REGISTRY_TOKEN; signing keys live in ~/.pullpush/keys, never leaving the machine.
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { addJsonOption, examples, positiveInteger, type Context } from '../context.ts';
import { CliError, ExitCode, UsageError } from '../errors.ts';

interface Settings {
  url: string;
  token?: string;
}

/** ~/.pullpush (HOME from the environment, so a test or a CI job can point it elsewhere). */
function home(ctx: Context): string {
  return join(ctx.env['HOME'] ?? homedir(), '.pullpush');
}

function settings(ctx: Context, flags: { registry?: string }): Settings {
  let saved: Partial<Settings> = {};
  try {
    saved = JSON.parse(readFileSync(join(home(ctx), 'registry.json'), 'utf8')) as Partial<Settings>;
  } catch {
    // No login yet: the flags and the environment say where the registry is.
  }
  const url = flags.registry ?? ctx.env['PULLPUSH_REGISTRY'] ?? saved.url;
  if (!url) throw new UsageError('No registry: pass --registry <url>, set PULLPUSH_REGISTRY, or log in first.', 'pullpush login --registry https://registry.example.com --account <name>');
  const token = ctx.env['PULLPUSH_REGISTRY_TOKEN'] ?? (saved.url === url ? saved.token : undefined);
  return { url, ...(token ? { token } : {}) };
}

function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * The registry the MCP server's marketplace tools use: the one logged in to (or PULLPUSH_REGISTRY), its token and
 * newest signing key; undefined when there is none.
 */
export function mcpRegistrySettings(ctx: Context): { url: string; token?: string; signer?: { keyId: string; privateKey: string } } | undefined {
  try {
    const found = settings(ctx, {});
    let signer: { keyId: string; privateKey: string } | undefined;
    try {
      signer = signingKey(ctx, found.url);
    } catch {
      signer = undefined;
    }
    return { ...found, ...(signer ? { signer } : {}) };
  } catch {
    return undefined;
  }
}

/** The newest signing key saved by `pullpush keys create` for this registry. */
function signingKey(ctx: Context, url: string): { keyId: string; privateKey: string } {
  const dir = join(home(ctx), 'keys');
  const files = (() => {
    try {
      return readdirSync(dir).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
  })();
  const keys = files.map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as { keyId: string; privateKey: string; registry: string; createdAt: string }).filter((key) => key.registry === url);
  const newest = keys.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!newest) throw new UsageError(`No signing key for ${url}.`, 'Create one: pullpush keys create.');
  return { keyId: newest.keyId, privateKey: newest.privateKey };
}

export function registerRegistry(program: Command, ctx: Context): void {
  const registry = program.command('registry').summary('run a marketplace registry');
  registry
    .command('serve')
    .summary('serve a registry over a SQLite file or PostgreSQL')
    .description('Serve the PullPush registry (publish, search, install of verified connectors, and the web catalogue at its root) over HTTP on 127.0.0.1, its data in one SQLite file or in registry_* tables of a PostgreSQL database. Runs until interrupted (Ctrl-C).')
    .option('--db <file|postgres://…>', 'the SQLite file, or a PostgreSQL URL (postgres://user:password@host:5432/db[?schema=name])', './registry.db')
    .option('--port <n>', 'the port (default: a free one, printed)', positiveInteger)
    .option('--host <address>', 'the address to listen on', '127.0.0.1')
    .option('--reads-per-minute <n>', 'requests that read, per account (or address without a token) and minute', positiveInteger, 1200)
    .option('--writes-per-hour <n>', 'publishes and other writes, per account (or address) and hour', positiveInteger, 120)
    .option('--json', 'print the URL as JSON on stdout')
    .addHelpText(
      'after',
      examples(
        ['pullpush registry serve --db ./registry.db --port 4873', 'a registry on http://127.0.0.1:4873; the catalogue page is its root'],
        ['pullpush registry serve --db "postgres://registry:$PGPASSWORD@db.internal:5432/pullpush?schema=registry"', 'its data in registry_* tables of that schema, shared by every registry process'],
      ),
    )
    .action(async (flags: { db: string; port?: number; host: string; readsPerMinute: number; writesPerHour: number; json?: boolean }) => {
      const { startRegistry } = await import('../libraries/registry.ts');
      const rateLimits = { reads: { limit: flags.readsPerMinute, windowMs: 60_000 }, writes: { limit: flags.writesPerHour, windowMs: 3_600_000 } };
      const running = await startRegistry({ db: flags.db, host: flags.host, rateLimits, ...(flags.port === undefined ? {} : { port: flags.port }) }).catch((error: unknown) => {
        // The registry's own errors (REGISTRY_DATABASE: PostgreSQL unreachable) are expected failures with a hint.
        if (!(error instanceof Error && error.name === 'RegistryError')) throw error;
        const { code, hint } = error as Error & { code: string; hint?: string };
        throw new CliError(code, error.message, hint === undefined ? {} : { hint });
      });
      if (flags.json) ctx.out.line(JSON.stringify({ url: running.url }));
      else ctx.out.errLine(`PullPush registry on ${running.url} (data in ${running.database}). Ctrl-C stops it.`);
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) return resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await running.close();
      ctx.exitCode = ExitCode.Ok;
    });

  program
    .command('login')
    .summary('create a registry account, or save a token, for publishing')
    .description('Create an account on a registry and save its publish token in ~/.pullpush/registry.json (mode 600); with PULLPUSH_REGISTRY_TOKEN set, save that token for the registry instead.')
    .requiredOption('--registry <url>', 'the registry URL')
    .option('--account <name>', 'the account to create (lower case; your packages are @<account>/…)')
    .action(async (flags: { registry: string; account?: string }) => {
      const { RegistryClient } = await import('../libraries/registry.ts');
      let token = ctx.env['PULLPUSH_REGISTRY_TOKEN'];
      let account = flags.account;
      if (!token) {
        if (!account) throw new UsageError('Give --account <name> to create an account, or set PULLPUSH_REGISTRY_TOKEN to save an existing token.');
        ({ token, account } = await new RegistryClient({ url: flags.registry }).createAccount(account));
      }
      mkdirSync(home(ctx), { recursive: true, mode: 0o700 });
      writePrivate(join(home(ctx), 'registry.json'), `${JSON.stringify({ url: flags.registry, token, ...(account ? { account } : {}) }, null, 2)}\n`);
      ctx.out.line(`Logged in to ${flags.registry}${account ? ` as ${account}` : ''}; the token is in ${join(home(ctx), 'registry.json')}.`);
      ctx.exitCode = ExitCode.Ok;
    });

  const keys = program.command('keys').summary('signing keys for publishing');
  keys
    .command('create')
    .summary('create an Ed25519 signing key and register it with the registry')
    .option('--registry <url>', 'the registry URL (default: the one logged in to)')
    .action(async (flags: { registry?: string }) => {
      const { RegistryClient } = await import('../libraries/registry.ts');
      const { url, token } = settings(ctx, flags);
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const keyId = await new RegistryClient({ url, ...(token ? { token } : {}) }).addKey(publicKey.export({ type: 'spki', format: 'pem' }).toString());
      const dir = join(home(ctx), 'keys');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writePrivate(join(dir, `${keyId}.json`), `${JSON.stringify({ keyId, registry: url, createdAt: new Date().toISOString(), privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, null, 2)}\n`);
      ctx.out.line(`Key ${keyId} registered with ${url}; its private half is in ${join(dir, `${keyId}.json`)} and never leaves this machine.`);
      ctx.exitCode = ExitCode.Ok;
    });

  const publish = program
    .command('publish')
    .summary('publish a verified connector definition')
    .description("Publish a connector definition under your scope, with the report of its passing read-only test (pullpush test <definition> --json > report.json): the registry checks that the report is of exactly this definition, re-validates it, and countersigns your signature.")
    .argument('<definition>', 'the connector definition (JSON file)')
    .requiredOption('--report <file>', 'its passing test report (pullpush test --json)')
    .requiredOption('--name <@scope/name>', 'the package name (@<account>/<name>)')
    .option('--registry <url>', 'the registry URL (default: the one logged in to)');
  addJsonOption(publish, 'the published version').action(async (file: string, flags: { report: string; name: string; registry?: string; json?: boolean }) => {
    ctx.json = flags.json === true;
    const { loadJsonDocument, RegistryClient } = await import('../libraries/registry.ts');
    const { url, token } = settings(ctx, flags);
    const published = await new RegistryClient({ url, ...(token ? { token } : {}) }).publish(flags.name, loadJsonDocument(file), loadJsonDocument(flags.report, 'test report'), signingKey(ctx, url));
    if (flags.json) ctx.out.json(published);
    else ctx.out.line(`Published ${published.name}@${published.version} (${published.integrity.slice(0, 24)}…) to ${url}.`);
    ctx.exitCode = ExitCode.Ok;
  });

  const installCommand = program
    .command('install')
    .summary('install connectors from the registry')
    .description('Install a connector by name (a dist-tag, an exact version or a semver range), verifying its integrity and both signatures before writing it to ./connectors/@scope/name.json and recording it in pullpush-lock.json; without a name, install exactly what the lockfile records.')
    .argument('[spec]', '@scope/name, @scope/name@^1.0.0, @scope/name@latest')
    .option('--dir <dir>', 'where definitions go', './connectors')
    .option('--lockfile <file>', 'the lockfile', './pullpush-lock.json')
    .option('--registry <url>', 'the registry URL (default: the one logged in to)');
  addJsonOption(installCommand, 'what was installed').action(async (spec: string | undefined, flags: { dir: string; lockfile: string; registry?: string; json?: boolean }) => {
    ctx.json = flags.json === true;
    const { install, installFromLockfile, RegistryClient } = await import('../libraries/registry.ts');
    const { url } = settings(ctx, flags);
    const client = new RegistryClient({ url });
    const installed = spec ? [await install(client, spec, flags)] : await installFromLockfile(client, flags);
    if (flags.json) ctx.out.json(installed.map(({ artifact: _artifact, definition: _definition, ...entry }) => entry));
    else for (const entry of installed) ctx.out.line(`${entry.name}@${entry.version} → ${entry.path}${entry.deprecated ? ` (deprecated: ${entry.deprecated})` : ''}`);
    ctx.exitCode = ExitCode.Ok;
  });

  const search = program.command('search').summary('search the registry').argument('<query>', 'words of names, descriptions, canonical types, auth kinds, streams').option('--registry <url>', 'the registry URL');
  addJsonOption(search, 'the results').action(async (query: string, flags: { registry?: string; json?: boolean }) => {
    ctx.json = flags.json === true;
    const { RegistryClient } = await import('../libraries/registry.ts');
    const results = await new RegistryClient({ url: settings(ctx, flags).url }).search(query);
    if (flags.json) ctx.out.json(results);
    else if (results.length === 0) ctx.out.line(`Nothing matches "${query}".`);
    else for (const hit of results) ctx.out.line(`${hit.name}@${hit.latest ?? '-'}  ${hit.description}  [${hit.authKind}; ${hit.canonicalTypes.join(', ') || 'raw'}; test ${hit.verification?.verdict ?? '-'} ${hit.verification?.testedAt.slice(0, 10) ?? ''}; ${hit.downloads} installs]`);
    ctx.exitCode = ExitCode.Ok;
  });

  const info = program.command('info').summary("a package's versions, dist-tags and verification").argument('<name>', '@scope/name').option('--registry <url>', 'the registry URL');
  addJsonOption(info, 'the package').action(async (name: string, flags: { registry?: string; json?: boolean }) => {
    ctx.json = flags.json === true;
    const { RegistryClient } = await import('../libraries/registry.ts');
    const found = await new RegistryClient({ url: settings(ctx, flags).url }).info(name);
    if (flags.json) ctx.out.json(found);
    else {
      ctx.out.line(`${found.name} by ${found.owner}: ${found.description}`);
      ctx.out.line(`  dist-tags: ${Object.entries(found.distTags).map(([tag, version]) => `${tag} → ${version}`).join(', ')}`);
      for (const version of found.versions) ctx.out.line(`  ${version.version}  ${version.verification.verdict} (${version.verification.streams.join(', ')})${version.yanked ? '  yanked' : ''}${version.deprecated ? `  deprecated: ${version.deprecated}` : ''}`);
    }
    ctx.exitCode = ExitCode.Ok;
  });

  const owner = async (flags: { registry?: string }) => {
    const { RegistryClient } = await import('../libraries/registry.ts');
    const { url, token } = settings(ctx, flags);
    return new RegistryClient({ url, ...(token ? { token } : {}) });
  };

  const audit = program
    .command('audit')
    .summary("your registry account's audit log")
    .description('What your account did on the registry and what was done to its packages (publishes, dist-tags, deprecations, yanks, keys), newest first.')
    .option('--limit <n>', 'at most this many entries', positiveInteger, 100)
    .option('--registry <url>', 'the registry URL');
  addJsonOption(audit, 'the entries').action(async (flags: { limit: number; registry?: string; json?: boolean }) => {
    ctx.json = flags.json === true;
    const entries = await (await owner(flags)).audit(flags.limit);
    if (flags.json) ctx.out.json(entries);
    else for (const entry of entries) ctx.out.line(`${entry.at}  ${entry.account}  ${entry.action}${entry.name ? `  ${entry.name}${entry.version ? `@${entry.version}` : ''}` : ''}${entry.detail ? `  ${entry.detail}` : ''}`);
    ctx.exitCode = ExitCode.Ok;
  });

  program
    .command('dist-tag')
    .summary('point a dist-tag at a version')
    .argument('<name>', '@scope/name')
    .argument('<tag>', 'the tag (latest, next, …)')
    .argument('<version>', 'the version')
    .option('--registry <url>', 'the registry URL')
    .action(async (name: string, tag: string, version: string, flags: { registry?: string }) => {
      const tags = await (await owner(flags)).setDistTag(name, tag, version);
      ctx.out.line(`${name}: ${Object.entries(tags).map(([entry, value]) => `${entry} → ${value}`).join(', ')}`);
      ctx.exitCode = ExitCode.Ok;
    });
  program
    .command('rollback')
    .summary('move latest back to a version')
    .argument('<name>', '@scope/name')
    .argument('<version>', 'the version latest goes back to')
    .option('--registry <url>', 'the registry URL')
    .action(async (name: string, version: string, flags: { registry?: string }) => {
      await (await owner(flags)).setDistTag(name, 'latest', version);
      ctx.out.line(`${name}: latest → ${version}`);
      ctx.exitCode = ExitCode.Ok;
    });
  program
    .command('deprecate')
    .summary('deprecate a package or one version, with a message ("" undoes it)')
    .argument('<spec>', '@scope/name or @scope/name@version')
    .argument('<message>', 'what users should do instead')
    .option('--registry <url>', 'the registry URL')
    .action(async (spec: string, message: string, flags: { registry?: string }) => {
      const at = spec.indexOf('@', 1);
      const [name, version] = at < 0 ? [spec, undefined] : [spec.slice(0, at), spec.slice(at + 1)];
      await (await owner(flags)).deprecate(name, message, version);
      ctx.out.line(`${spec}: ${message ? `deprecated: ${message}` : 'no longer deprecated'}`);
      ctx.exitCode = ExitCode.Ok;
    });
  program
    .command('yank')
    .summary('yank a version (kept for lockfiles, skipped by ranges)')
    .argument('<spec>', '@scope/name@version')
    .option('--undo', 'un-yank it')
    .option('--registry <url>', 'the registry URL')
    .action(async (spec: string, flags: { registry?: string; undo?: boolean }) => {
      const at = spec.indexOf('@', 1);
      if (at < 0) throw new UsageError('Name the version: @scope/name@1.2.3.');
      await (await owner(flags)).yank(spec.slice(0, at), spec.slice(at + 1), flags.undo !== true);
      ctx.out.line(`${spec}: ${flags.undo ? 'no longer yanked' : 'yanked'}`);
      ctx.exitCode = ExitCode.Ok;
    });
}
