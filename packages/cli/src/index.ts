// Public entry point of the `pullpush` package: the command's building blocks, for embedding and tests.
export { run } from './run.ts';
export type { OutputStream, RunIO } from './output.ts';
export { CliError, CliErrorCode, ExitCode, UsageError } from './errors.ts';
