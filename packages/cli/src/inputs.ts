// What commands that call an API read: connection configs (a JSON file and/or PULLPUSH_<KEY> variables) and the
// network flags that let a definition reach a local API.
import type { ConnectorOptions } from '@pullpush/engine';
import { environmentName, loadConnectionConfig, type LoadedConfig } from '@pullpush/sync';
import { CliError, isExpectedError, UsageError } from './errors.ts';

/** Config keys the definition's config schema declares, with the environment variable of each. */
export function configVariables(definition: unknown): Array<{ key: string; variable: string; secret: boolean; required: boolean }> {
  const config = (definition as { config?: { properties?: Record<string, { secret?: boolean }>; required?: string[] } } | null)?.config;
  const required = new Set(config?.required ?? []);
  return Object.entries(config?.properties ?? {}).map(([key, schema]) => ({ key, variable: environmentName(key), secret: schema.secret === true, required: required.has(key) }));
}

/** `--config shop=shop.config.json` (repeatable, flows and workers): connection id → file. */
export function connectionConfigFiles(values: readonly string[] = []): Map<string, string> {
  const files = new Map<string, string>();
  for (const value of values) {
    const at = value.indexOf('=');
    if (at < 1) throw new UsageError(`--config ${value}: expected <connection>=<file>.`, 'Name the connection the file is for: --config shop=shop.config.json.');
    files.set(value.slice(0, at), value.slice(at + 1));
  }
  return files;
}

/** The connection config from `--config <file>` and PULLPUSH_<KEY> variables (which win). */
export function loadConfig(definition: unknown, file: string | undefined, env: Record<string, string | undefined>): LoadedConfig {
  return loadConnectionConfig({ definition, env, ...(file === undefined ? {} : { file }) });
}

/** Adds where config values can come from to the engine's "config does not match" error. */
export function explainConfigError(error: unknown, definition: unknown): unknown {
  if (!isExpectedError(error) || error.code !== 'ENGINE_INVALID_CONFIG') return error;
  const variables = configVariables(definition).filter((entry) => entry.required);
  const where = variables.length > 0 ? ` Required: ${variables.map((entry) => `${entry.key} (or ${entry.variable})`).join(', ')}.` : '';
  return new CliError(error.code, error.message, {
    hint: `Put the values in a JSON file passed with --config <file>, or set them as environment variables.${where}`,
    issues: error.issues,
  });
}

/** The flags shared by every command that calls an API. */
export interface NetworkFlags {
  baseUrl?: string;
  allowPrivateNetwork?: boolean;
  allowInsecureHttp?: boolean;
}

/** Engine options from the network flags; absent flags keep the engine's safe defaults. */
export function networkOptions(flags: NetworkFlags): Pick<ConnectorOptions, 'baseUrl' | 'allowPrivateNetwork' | 'allowInsecureHttp'> {
  return {
    ...(flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl }),
    ...(flags.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
    ...(flags.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
  };
}
