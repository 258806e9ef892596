// Public entry point of the `pullpush` package: the command's building blocks, for embedding and tests.
export { run, type RunIO } from './run.ts';
