#!/usr/bin/env node
// The `pullpush` command.
import { run } from './run.ts';

process.exitCode = run(process.argv.slice(2));
