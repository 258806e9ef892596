// File helpers of the workspace: names checked before they become paths (no traversal), JSON written
// atomically (temp file + rename) so a crash never leaves half a document.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PullPushError } from '@pullpush/canonical';
import { McpErrorCode } from '../errors.ts';

const NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/** A definition id, connection or flow name usable as a file name: a slug, as the DSL's ids are. */
export function assertName(name: string, what: string): string {
  if (!NAME.test(name)) {
    throw new PullPushError(McpErrorCode.InvalidArguments, `"${name}" is not a valid ${what}.`, {
      hint: 'Use lower-case letters, digits, - and _, starting with a letter (at most 64 characters).',
    });
  }
  return name;
}

export function writeJsonAtomic(path: string, value: unknown, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, mode === undefined ? {} : { mode });
  renameSync(temp, path);
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
