// Rewriting a JSON file the CLI was given (a config file after a credential rotated, a flow whose mode changed):
// a temporary file next to it with the same permissions, renamed over the original, so a crash leaves the old
// file or the new one, never half of one.
import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Replaces `file` with `value` as two-space JSON; throws the file system's error (the temporary file removed). */
export function replaceJsonFile(file: string, value: unknown): void {
  const mode = statSync(file).mode & 0o777;
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode, flag: 'w' });
    chmodSync(temporary, mode);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
