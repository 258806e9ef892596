// The example connector definitions @pullpush/schema ships (real APIs: Stripe, GitHub, Jira, Slack): what a
// finished definition looks like, for an assistant to read before writing its own. Read from the package's
// `examples` folder, found through its package.json.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PullPushError } from '@pullpush/canonical';
import { McpErrorCode } from './errors.ts';

type Json = Record<string, unknown>;

export interface ExampleSummary {
  name: string;
  title: string;
  auth: string;
  streams: string[];
  /** The pagination kinds its streams use. */
  pagination: string[];
}

const folder = join(dirname(createRequire(import.meta.url).resolve('@pullpush/schema/package.json')), 'examples');

let known: string[] | undefined;

/** Connector definitions only (the folder also holds flows); read once, as they ship with the package. */
function names(): string[] {
  known ??= readdirSync(folder)
    .filter((file) => file.endsWith('.json') && !file.startsWith('flow-'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
  return known;
}

export function getExample(name: string): Json {
  if (!names().includes(name)) {
    throw new PullPushError(McpErrorCode.NotFound, `No example "${name}".`, { hint: `Examples: ${names().join(', ')}.` });
  }
  return JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8')) as Json;
}

let summaries: ExampleSummary[] | undefined;

/** The examples, read once: they ship with the package and do not change while the server runs. */
export function listExamples(): ExampleSummary[] {
  summaries ??= names().map((name) => {
    const document = getExample(name);
    const streams = (document['streams'] ?? {}) as Record<string, Json>;
    const kinds = Object.values(streams).map((stream) => String((stream['pagination'] as Json | undefined)?.['kind'] ?? 'none'));
    return { name, title: String(document['name'] ?? name), auth: String((document['auth'] as Json | undefined)?.['kind'] ?? 'none'), streams: Object.keys(streams), pagination: [...new Set(kinds)].sort() };
  });
  return summaries;
}
