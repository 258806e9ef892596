// What every command gets (output, the SIGINT signal, the environment) and the option parsers they share.
import { InvalidArgumentError, type Command } from 'commander';
import type { Output } from './output.ts';

export interface Context {
  out: Output;
  /** Aborted on SIGINT. */
  signal: AbortSignal;
  env: Record<string, string | undefined>;
  /** Set by the command that ran: the process exit code. */
  exitCode: number;
  /** Whether the running command was asked for --json (errors are then printed as JSON too). */
  json: boolean;
}

/** `--max-records 100`: a positive integer, else a usage error. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^[0-9]+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive integer.');
  return number;
}

/** A share from 0 to 1: `0.99`. */
export function fraction(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) throw new InvalidArgumentError('expected a number from 0 to 1, such as 0.99.');
  return number;
}

/** Repeatable options: `--stream a --stream b`. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an absolute URL (https://sandbox.example.com/api).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidArgumentError('expected an http or https URL.');
  return value;
}

/**
 * The flags of every command that calls an API; `validate` takes them too (it calls nothing), so one command line
 * serves validate, test, read and sync.
 */
export function addNetworkOptions(command: Command, validateOnly = false): Command {
  const base = validateOnly
    ? "the base URL test, read and sync would use instead of the definition's (here only its form is checked)"
    : "send requests to this base URL instead of the definition's (a sandbox, a proxy, a self-hosted or local API)";
  return command
    .option('--base-url <url>', base, httpUrl)
    .option('--allow-private-network', validateOnly ? 'accepted for the same command line as test and sync (validate sends no request)' : 'allow private and loopback addresses (refused by default: self-hosted and local APIs)')
    .option('--allow-insecure-http', validateOnly ? 'an http base URL is a warning, not an error (as test and sync then accept it)' : 'allow plain http URLs (refused by default: local APIs without TLS)');
}

/** The --json flag. */
export function addJsonOption(command: Command, what = 'the result'): Command {
  return command.option('--json', `print ${what} as JSON (errors too, on stderr)`);
}

/** Help text listing examples, shown after the options. */
export function examples(...lines: Array<[command: string, what: string]>): string {
  return `\nExamples:\n${lines.map(([command, what]) => `  $ ${command}\n      ${what}`).join('\n')}\n`;
}
