#!/usr/bin/env node
// The `pullpush` command. The first Ctrl-C (or SIGTERM) aborts the running command through an AbortSignal (a sync
// commits what it read and exits 130); a second Ctrl-C quits at once.
import { setFlagsFromString } from 'node:v8';
import { STREAMING_V8_FLAGS } from '@pullpush/engine/runtime-flags';
import { run } from './run.ts';

// Before any record is read: V8's settings for a process that streams records (see the engine's runtime-flags).
for (const flag of STREAMING_V8_FLAGS) setFlagsFromString(flag);

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) {
    if (process.stderr.isTTY) process.stderr.write('\u001B[?25h\n');
    process.exit(130);
  }
  controller.abort(new DOMException('Interrupted by SIGINT.', 'AbortError'));
});
// A service manager's stop (systemd, Kubernetes): the same as a first Ctrl-C — `pullpush worker` drains and exits 0.
process.on('SIGTERM', () => controller.abort(new DOMException('Terminated by SIGTERM.', 'AbortError')));

// A closed pipe (`pullpush read … | head`) ends the command quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  controller.abort(new DOMException('Standard output was closed.', 'AbortError'));
  process.exit(process.exitCode ?? 0);
});

const code = await run(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stdoutStream: process.stdout,
  stderrStream: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
// Whatever a library may have left open (a socket in keep-alive), the command is done: give pending output a
// moment, then leave. The timer does not keep the process alive when nothing else does.
setTimeout(() => process.exit(code), 2000).unref();
