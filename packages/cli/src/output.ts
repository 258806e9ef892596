// Everything the commands print goes through here: results on stdout, diagnostics on stderr, colours only where
// the stream is a terminal (node:util styleText honours TTY, NO_COLOR and FORCE_COLOR), errors as
// `pullpush: <message> [CODE]` plus a hint, and JSON for --json.
import { Writable } from 'node:stream';
import { stripVTControlCharacters, styleText } from 'node:util';
import { CliErrorCode, isExpectedError, withFlagHint, type ErrorIssue } from './errors.ts';

/** A stream the output can write to: its TTY-ness decides colours and progress bars. */
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** Where a run writes. The streams, when given, enable colours, progress bars and back-pressure. */
export interface RunIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The stream behind `stdout` (process.stdout for the command). */
  stdoutStream?: OutputStream;
  /** The stream behind `stderr` (process.stderr for the command). */
  stderrStream?: OutputStream;
  /** Aborted on SIGINT: the running command stops, a sync commits what it read, the exit code is 130. */
  signal?: AbortSignal;
  /** Environment for PULLPUSH_<KEY> config values (default process.env). */
  env?: Record<string, string | undefined>;
}

type Style = Parameters<typeof styleText>[0];
type Target = 'stdout' | 'stderr';

export interface ErrorJson {
  code: string;
  message: string;
  hint?: string;
  issues?: readonly ErrorIssue[];
}

/** The JSON form of any error: PullPushErrors and CliErrors as they are, anything else as CLI_UNEXPECTED. */
export function errorJson(error: unknown): ErrorJson {
  if (isExpectedError(error)) {
    const hint = withFlagHint(error.code, error.hint, error.issues.map((issue) => issue.rule));
    return { code: error.code, message: error.message, ...(hint ? { hint } : {}), ...(error.issues.length > 0 ? { issues: error.issues } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: CliErrorCode.Unexpected, message, hint: 'This is a bug in pullpush: please report it with the command you ran (PULLPUSH_DEBUG=1 prints the stack).' };
}

export class Output {
  readonly io: RunIO;
  /** Print stacks of unexpected errors (PULLPUSH_DEBUG=1). */
  readonly debug: boolean;

  constructor(io: RunIO) {
    this.io = io;
    const env = io.env ?? process.env;
    this.debug = env['PULLPUSH_DEBUG'] !== undefined && env['PULLPUSH_DEBUG'] !== '' && env['PULLPUSH_DEBUG'] !== '0';
  }

  /** Writes to stdout as is. */
  out(text: string): void {
    this.io.stdout(text);
  }

  /** Writes to stderr as is. */
  err(text: string): void {
    this.io.stderr(text);
  }

  /** A line on stdout. */
  line(text = ''): void {
    this.io.stdout(`${text}\n`);
  }

  /** A line on stderr. */
  errLine(text = ''): void {
    this.io.stderr(`${text}\n`);
  }

  /** A value as pretty JSON on stdout (or stderr). */
  json(value: unknown, target: Target = 'stdout'): void {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    if (target === 'stdout') this.io.stdout(text);
    else this.io.stderr(text);
  }

  /** One line of JSON Lines on stdout, waiting while a slow reader's pipe is full. */
  async jsonLine(value: unknown): Promise<void> {
    const text = `${JSON.stringify(value)}\n`;
    const stream = this.io.stdoutStream;
    if (!stream) {
      this.io.stdout(text);
      return;
    }
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }

  /** Whether stderr is a terminal (progress bars). */
  get stderrIsTTY(): boolean {
    return this.io.stderrStream?.isTTY === true;
  }

  /** `text` in `format` where `target` shows colours; plain text elsewhere. */
  style(format: Style, text: string, target: Target = 'stdout'): string {
    const stream = target === 'stdout' ? this.io.stdoutStream : this.io.stderrStream;
    if (!stream || text === '') return text;
    return styleText(format, text, { stream });
  }

  /** stdout as a Writable (destinations write JSON Lines to it). */
  stdoutWritable(): Writable {
    return this.io.stdoutStream ? (this.io.stdoutStream as Writable) : writableOf(this.io.stdout);
  }

  /** stderr as a Writable. */
  stderrWritable(): Writable {
    return this.io.stderrStream ? (this.io.stderrStream as Writable) : writableOf(this.io.stderr);
  }

  /** A warning on stderr. */
  warn(message: string): void {
    this.errLine(`${this.style(['yellow', 'bold'], 'warning', 'stderr')} ${message}`);
  }

  /**
   * An error on stderr: `pullpush: <message> [CODE]`, its issues, and its hint — or, with `json`, one JSON object
   * `{ "error": { code, message, hint, issues } }`. Never a stack for a PullPushError.
   */
  error(error: unknown, json = false): void {
    const data = errorJson(error);
    if (json) {
      this.errLine(JSON.stringify({ error: data }));
      return;
    }
    const lines = [`${this.style(['red', 'bold'], 'pullpush:', 'stderr')} ${data.message} ${this.style('dim', `[${data.code}]`, 'stderr')}`];
    for (const issue of (data.issues ?? []).slice(0, 20)) lines.push(`  ${issue.pointer || '/'}: ${issue.message}${issue.rule ? ` (${issue.rule})` : ''}`);
    if ((data.issues?.length ?? 0) > 20) lines.push(`  … and ${(data.issues?.length ?? 0) - 20} more`);
    if (data.hint) lines.push(`  ${this.style('cyan', 'hint:', 'stderr')} ${data.hint}`);
    if (data.code === CliErrorCode.Unexpected && this.debug && error instanceof Error && error.stack) lines.push(this.style('dim', error.stack, 'stderr'));
    this.errLine(lines.join('\n'));
  }
}

function writableOf(write: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      callback();
    },
  });
}

export type Align = 'left' | 'right';

/**
 * Rows as aligned columns (two spaces apart). `align` per column, default left. `style` styles the header row.
 * Widths count characters, which is right for the ASCII and single-width text the commands print.
 */
export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, options: { align?: readonly Align[]; styleHeader?: (text: string) => string; styleCell?: (text: string, row: number, column: number) => string } = {}): string {
  const all = [header, ...rows];
  // Cells may already hold colour codes: widths count what is visible.
  const visible = (text: string) => stripVTControlCharacters(text).length;
  const widths = header.map((_, column) => Math.max(...all.map((row) => visible(row[column] ?? ''))));
  const pad = (text: string, column: number) => {
    const fill = ' '.repeat(Math.max(0, (widths[column] ?? 0) - visible(text)));
    return options.align?.[column] === 'right' ? fill + text : text + fill;
  };
  const lines = all.map((row, rowIndex) =>
    row
      .map((cell, column) => {
        // Styles go around the cell's text, not its padding.
        const styled = rowIndex === 0 ? (options.styleHeader?.(cell) ?? cell) : (options.styleCell?.(cell, rowIndex - 1, column) ?? cell);
        return pad(styled, column);
      })
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** 850 ms, 3.2 s, 2 min 05 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** 1 record, 2 records, 5,000 records. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}
