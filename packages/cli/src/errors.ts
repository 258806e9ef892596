// Exit codes and the CLI's own errors. Expected failures carry a stable code and a hint: the libraries'
// PullPushErrors (from @pullpush/canonical) and the CLI's CliErrors, which have the same shape. The CLI does not
// load @pullpush/canonical to build its own errors, so `pullpush --help` starts without the libraries.

/** What the process exit code means. */
export const ExitCode = {
  /** The command did what was asked. */
  Ok: 0,
  /** The work failed: an invalid definition, a failed test verdict, a stream that failed, an unreadable file. */
  Failed: 1,
  /** The command line is wrong: unknown command or option, missing or invalid argument. */
  Usage: 2,
  /** A sync or read completed, but some records failed mapping or validation (they were kept, not dropped). */
  RecordsFailed: 3,
  /** Interrupted by SIGINT (Ctrl-C); a sync commits what it read before stopping. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Stable codes of the CLI's own errors. */
export const CliErrorCode = {
  Usage: 'CLI_USAGE',
  File: 'CLI_FILE',
  InvalidJson: 'CLI_INVALID_JSON',
  NoDatabase: 'CLI_NO_DATABASE',
  Interrupted: 'CLI_INTERRUPTED',
  Unexpected: 'CLI_UNEXPECTED',
} as const;
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

export interface ErrorIssue {
  pointer: string;
  message: string;
  rule?: string;
}

/** An expected failure of the CLI itself, shaped like a PullPushError: code, message, hint, issues. */
export class CliError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly issues: readonly ErrorIssue[];

  constructor(code: string, message: string, options: { hint?: string; issues?: readonly ErrorIssue[] } = {}) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.hint = options.hint;
    this.issues = options.issues ?? [];
  }
}

/** A command line that cannot be run as given: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(CliErrorCode.Usage, message, hint === undefined ? {} : { hint });
    this.name = 'UsageError';
  }
}

/** A PullPushError (from any @pullpush library) or a CliError: an expected failure with a code and a hint. */
export function isExpectedError(error: unknown): error is CliError {
  return error instanceof CliError || (error instanceof Error && error.name === 'PullPushError' && typeof (error as { code?: unknown }).code === 'string');
}

/**
 * What the command line offers for errors the libraries explain in their own terms: the flag that allows what was
 * refused. Added to the library's hint wherever the CLI shows an error.
 */
const FLAG_HINTS: Readonly<Record<string, string>> = {
  ENGINE_PRIVATE_ADDRESS: 'For a self-hosted or local API on a private or loopback address, pass --allow-private-network.',
  ENGINE_INSECURE_URL: 'For a local API without TLS, pass --allow-insecure-http.',
  DSL_INSECURE_BASE_URL: 'For a local API without TLS, pass --allow-insecure-http (validate, test, read and sync all take it).',
  ENGINE_HOST_NOT_ALLOWED: 'To send requests to another host (a sandbox, a self-hosted install), pass --base-url <url>.',
};

/** The library's hint with the command line's own remedy for the code (or for a rule of its issues), if it has one. */
export function withFlagHint(code: string, hint: string | undefined, rules: ReadonlyArray<string | undefined> = []): string | undefined {
  const flag = FLAG_HINTS[code] ?? rules.map((rule) => (rule === undefined ? undefined : FLAG_HINTS[rule])).find((found) => found !== undefined);
  if (!flag) return hint;
  return hint ? `${hint} ${flag}` : flag;
}
