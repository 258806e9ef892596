// A connection's config from a JSON file and/or environment variables (`PULLPUSH_API_KEY` for `apiKey`), so
// secrets can stay out of files. Values from the environment win, and are read as the type the definition's
// config schema declares (numbers, booleans, JSON for arrays and objects).
import { readFileSync } from 'node:fs';
import { PullPushError } from '@pullpush/canonical';
import { SyncErrorCode } from './errors.ts';

type Json = Record<string, unknown>;

export interface LoadConfigOptions {
  /** The connector definition (its `config` JSON Schema names the keys and their types). */
  definition: unknown;
  /** A JSON file holding the config object. */
  file?: string;
  /** Environment to read (default process.env); pass {} to ignore it. */
  env?: Record<string, string | undefined>;
  /** Variable name prefix (default PULLPUSH_). */
  prefix?: string;
}

export interface LoadedConfig {
  config: Json;
  /** Where each key came from; values are never repeated here. */
  sources: Record<string, { from: 'file' | 'env'; variable?: string }>;
}

/** `apiKey` → `API_KEY`, `client_secret` → `CLIENT_SECRET`. */
export function environmentName(key: string, prefix = 'PULLPUSH_'): string {
  return prefix + key.replaceAll(/([a-z0-9])([A-Z])/g, '$1_$2').replaceAll(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

function configProperties(definition: unknown): Record<string, Json> {
  const config = (definition as { config?: { properties?: Record<string, Json> } } | null)?.config;
  return config?.properties ?? {};
}

function declaredTypes(schema: Json): string[] {
  const type = schema['type'];
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
}

/** An environment string as the type the schema declares; a value that does not read as it is an error. */
function coerce(text: string, schema: Json, variable: string): unknown {
  const types = declaredTypes(schema);
  if (types.length === 0 || types.includes('string')) return text;
  const parsed = (() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  })();
  const ok =
    (types.includes('integer') && Number.isInteger(parsed)) ||
    (types.includes('number') && typeof parsed === 'number') ||
    (types.includes('boolean') && typeof parsed === 'boolean') ||
    (types.includes('array') && Array.isArray(parsed)) ||
    (types.includes('object') && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed));
  if (!ok) {
    throw new PullPushError(SyncErrorCode.InvalidConfig, `The environment variable ${variable} does not read as ${types.join(' or ')}.`, {
      hint: types.includes('array') || types.includes('object') ? 'Write the value as JSON.' : `Write a ${types.join(' or ')} literal (42, true).`,
    });
  }
  return parsed;
}

export function loadConnectionConfig(options: LoadConfigOptions): LoadedConfig {
  const config: Json = {};
  const sources: LoadedConfig['sources'] = {};
  if (options.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      throw new PullPushError(SyncErrorCode.ConfigFile, `Cannot read the config file ${options.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
        hint: 'Pass the path of a JSON file holding the connection config (--config), or set the values as environment variables.',
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // The parser's message can quote the file's text, which holds secrets: only its position is kept.
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      throw new PullPushError(SyncErrorCode.ConfigFile, `The config file ${options.file} is not valid JSON${position ? ` (at character ${position})` : ''}.`, {
        hint: 'The file must hold one JSON object: {"apiKey": "…"}.',
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new PullPushError(SyncErrorCode.ConfigFile, `The config file ${options.file} must hold a JSON object.`, { hint: 'Write {"key": value, …}.' });
    }
    for (const [key, value] of Object.entries(parsed)) {
      config[key] = value;
      sources[key] = { from: 'file' };
    }
  }
  const env = options.env ?? process.env;
  for (const [key, schema] of Object.entries(configProperties(options.definition))) {
    const variable = environmentName(key, options.prefix);
    const text = env[variable];
    if (text === undefined) continue;
    config[key] = coerce(text, schema, variable);
    sources[key] = { from: 'env', variable };
  }
  return { config, sources };
}
