// `pullpush probe <url>`: one read-only GET (a few more to tell keyset pagination apart) to an endpoint of an API
// that has no description, and what its answer shows: records, their schema, a key, pagination, rate limits.
import type { ProbeResult } from '@pullpush/discovery';
import type { AuthSpec } from '@pullpush/schema';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { addJsonOption, examples, type Context } from '../context.ts';
import { ExitCode } from '../errors.ts';
import type { NetworkFlags } from '../inputs.ts';
import type { Output } from '../output.ts';

interface ProbeFlags extends NetworkFlags {
  auth?: ProbeAuth;
  config?: string;
  json?: boolean;
}

/** --auth: how the probe authenticates, and the config keys it reads. */
interface ProbeAuth {
  spec: AuthSpec;
  keys: string[];
}

function probeAuth(value: string): ProbeAuth {
  if (value === 'bearer') return { spec: { kind: 'bearer', token: '{{ $config.accessToken }}' }, keys: ['accessToken'] };
  if (value === 'basic') return { spec: { kind: 'basic', username: '{{ $config.username }}', password: '{{ $config.password }}' }, keys: ['username', 'password'] };
  const match = /^(header|query):([A-Za-z0-9!#$%&'*+.^_`|~-]+)$/.exec(value);
  if (match) return { spec: { kind: 'apiKey', in: match[1] as 'header' | 'query', name: match[2] as string, value: '{{ $config.apiKey }}' }, keys: ['apiKey'] };
  throw new InvalidArgumentError('expected bearer, basic, header:<Name> or query:<name>.');
}

function printResult(out: Output, result: ProbeResult): void {
  out.line(`GET ${result.url} → ${result.status}`);
  out.line(`  records: ${result.records.path ?? '(the body)'}, ${result.records.count} on this page`);
  out.line(`  key: ${result.primaryKey[0]?.field ?? '(none found)'}`);
  out.line(`  pagination: ${result.pagination.spec.kind} (confidence ${result.pagination.confidence})`);
  for (const entry of result.pagination.evidence) out.line(`    ${out.style('dim', entry)}`);
  out.line(`  as a definition: "pagination": ${JSON.stringify(result.pagination.spec)}`);
  if (Object.keys(result.rateLimit).length > 0) out.line(`  rate limits: ${Object.entries(result.rateLimit).map(([name, value]) => `${name}: ${value}`).join(', ')}`);
  out.line(`  fields: ${Object.keys(result.schema?.properties ?? {}).join(', ') || '(none)'}`);
  out.line(`  sent ${result.requests} GET request${result.requests === 1 ? '' : 's'}; secrets are redacted. --json shows the sample and the schema.`);
}

export function registerProbe(program: Command, ctx: Context): void {
  const command = program
    .command('probe')
    .summary('look at one endpoint of an API without a description')
    .description(
      'Send a read-only GET to a list endpoint, with the connection\'s credentials, and report where the records are, their inferred schema, a key, the pagination style with its evidence (Link header, next URL, cursor, offset or page fields, has-more flags) and rate-limit headers. ' +
        'A bare list with nothing about pages gets up to three more GETs (?after=<last id> and the like) to tell keyset pagination from none. Credentials never appear in the result.',
    )
    .argument('<url>', 'the endpoint, with a small page size: https://api.example.com/v1/items?limit=5')
    .option('--auth <how>', 'bearer (config accessToken), basic (username, password), header:<Name> or query:<name> (apiKey)', probeAuth)
    .option('-c, --config <file>', 'the credentials (JSON file); PULLPUSH_<KEY> environment variables also work and win')
    .option('--allow-private-network', 'allow private and loopback addresses (refused by default)')
    .option('--allow-insecure-http', 'allow plain http URLs (refused by default)');
  addJsonOption(command, 'the probe result')
    .addHelpText(
      'after',
      examples(
        ['PULLPUSH_ACCESS_TOKEN=… pullpush probe "https://api.example.com/v1/items?limit=5" --auth bearer', 'a bearer token from the environment'],
        ['pullpush probe "https://api.example.com/items?per_page=5" --auth header:X-Api-Key -c key.json --json', 'an API key in a header, the result as JSON'],
      ) + '\nExit codes: 0 probed, 1 the request failed.\n',
    )
    .action(async (url: string, flags: ProbeFlags) => {
      ctx.json = flags.json === true;
      const { loadConfig, probeEndpoint } = await import('../libraries/discovery.ts');
      const keys = flags.auth?.keys ?? [];
      // The keys the auth reads, declared as secrets, so the config loader takes them from the file or PULLPUSH_<KEY>.
      const declared = { config: { type: 'object', required: keys, properties: Object.fromEntries(keys.map((key) => [key, { type: 'string', secret: true }])) } };
      const config = keys.length > 0 ? loadConfig(declared, flags.config, ctx.env).config : {};
      const result = await probeEndpoint(url, {
        ...(flags.auth ? { auth: flags.auth.spec, config } : {}),
        ...(flags.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
        ...(flags.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
        signal: ctx.signal,
      });
      if (flags.json) ctx.out.json(result);
      else printResult(ctx.out, result);
      ctx.exitCode = ExitCode.Ok;
    });
}
