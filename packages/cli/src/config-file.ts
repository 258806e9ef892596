// Rotated refresh tokens (and any other config value a connector learns) are written back into the --config
// file: read it, set the key, replace the file atomically. The value is never printed.
import { readFileSync } from 'node:fs';
import type { LoadedConfig } from '@pullpush/sync';
import { CliError, CliErrorCode } from './errors.ts';
import { replaceJsonFile } from './json-file.ts';
import type { Output } from './output.ts';

/** Sets `key` to `value` in the JSON object stored at `file`, atomically. */
export function writeConfigValue(file: string, key: string, value: string): void {
  let config: Record<string, unknown>;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    config = parsed as Record<string, unknown>;
  } catch (error) {
    throw new CliError(CliErrorCode.File, `Cannot update the config file ${file} with the rotated value of "${key}": ${(error as NodeJS.ErrnoException).code ?? 'it is not a JSON object'}.`, {
      hint: 'The connector rotated a credential; keep the config file a writable JSON object so the new value can be saved.',
    });
  }
  config[key] = value;
  try {
    replaceJsonFile(file, config);
  } catch (error) {
    throw new CliError(CliErrorCode.File, `Cannot write the config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
      hint: 'Make the file and its directory writable: the connector rotated a credential that must be saved.',
    });
  }
}

/**
 * The engine's `onConfigUpdate`: saves rotated values into the --config file and warns (without the value) when
 * they cannot be saved where they came from.
 */
export function configUpdater(file: string | undefined, loaded: LoadedConfig, out: Output): (key: string, value: string) => void {
  return (key, value) => {
    const source = loaded.sources[key];
    loaded.config[key] = value;
    if (file === undefined) {
      out.warn(`The connector rotated the config value "${key}", but no --config file was given to save it in: the ${source?.variable ?? 'old'} value no longer works. Pass --config <file> next time.`);
      return;
    }
    writeConfigValue(file, key, value);
    if (source?.from === 'env') {
      out.warn(`The connector rotated the config value "${key}" and saved it in ${file}, but ${source.variable ?? 'its environment variable'} still holds the old value and takes precedence: unset it.`);
    }
  };
}
