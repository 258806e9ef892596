// `run(args, io)` in-process, as an embedding application calls it: exit codes, output through the given writers,
// and progress bars drawn on a stderr that says it is a terminal.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run, type RunIO } from '../src/index.ts';
import { countRows, useTempDirs } from './support.ts';

const tempDir = useTempDirs();

function capture(extra: Partial<RunIO> = {}): RunIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (text) => void (out += text), stderr: (text) => void (err += text), out: () => out, err: () => err, ...extra };
}

/** A stream that claims to be a 100-column terminal and keeps what is written to it. */
function fakeTerminal(): Writable & { isTTY: true; columns: number; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return Object.assign(stream, { isTTY: true as const, columns: 100, text: () => text });
}

describe('run(args, io)', () => {
  it('resolves to the exit code and writes through the io it is given', async () => {
    const io = capture({ env: {} });
    expect(await run(['canonical', 'list', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toContainEqual(expect.objectContaining({ type: 'commerce.order@1' }));
    const usage = capture();
    expect(await run(['sync', '--frobnicate'], usage)).toBe(2);
    expect(usage.err()).toContain("unknown option '--frobnicate'");
    expect(usage.out()).toBe('');
  });

  it('draws one progress bar per stream on a terminal', async () => {
    const dir = tempDir();
    const terminal = fakeTerminal();
    const io = capture({ stderrStream: terminal, env: {} });
    const code = await run(['demo', '--db', join(dir, 'demo.db'), '--orders', '120'], io);
    expect(code).toBe(0);
    const frames = terminal.text();
    for (const stream of ['locations', 'products', 'stock_levels', 'customers', 'orders']) expect(frames).toMatch(new RegExp(`${stream}\\s+\\S*█+`));
    expect(frames).toContain('120/120 records');
    expect(frames).toContain('done');
    // The bars went to the terminal; the plain per-stream lines did not.
    expect(io.err()).toBe('');
    expect(io.out()).toContain('Sync succeeded');
    expect(countRows(join(dir, 'demo.db'), 'commerce_order')).toBe(120);
  });
});
