// The SQLite store's background writer: batches are serialized here (the reading thread) and committed by a
// worker thread holding its own connection to the file, so a sync commits one batch while it reads the next.
// Each batch keeps its own transaction with its checkpoint (the pages sent ahead of it, `append`, go into the same
// one); after one fails the worker writes nothing more, so a later checkpoint can never be stored past records that
// were not.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PullPushError } from '@pullpush/canonical';
import type { BackgroundWriter, Batch, WriteCounts } from './destination.ts';
import { SyncErrorCode } from './errors.ts';
import { prepareBatch, type PreparedBatch } from './sqlite-rows.ts';

/** An error as it crosses threads: a PullPushError's code, message and hint. */
export interface WriterError {
  code: string;
  message: string;
  hint?: string;
}

/** What the worker answers for each batch: its counts, or why it was not written. */
export type WriterReply = { id: number; counts: WriteCounts } | { id: number; error: WriterError };

// The worker is this module's sibling, run the way this module runs: compiled JavaScript, or TypeScript from
// source (then with the workspace's source condition, so its imports resolve to source as well).
const here = fileURLToPath(import.meta.url);
const workerUrl = new URL(`./sqlite-writer-worker${extname(here)}`, import.meta.url);
// Only that flag: a worker refuses per-process and V8 flags (--max-old-space-size) given explicitly.
const workerOptions = extname(here) === '.ts' ? { execArgv: ['--conditions=@pullpush/source'] } : {};

export class SqliteBackgroundWriter implements BackgroundWriter {
  readonly #worker: Worker;
  readonly #path: string;
  readonly #now: () => Date;
  readonly #outbox: string | undefined;
  readonly #waiting = new Map<number, { resolve: (counts: WriteCounts) => void; reject: (error: Error) => void }>();
  #next = 0;
  #stopped: Promise<void>;
  /** Set when the thread itself failed (it could not start, or crashed): every write after it is refused. */
  #broken: Error | undefined;

  /** `outbox`: the flow whose outbox receives the changed records (SqliteStoreOptions.outbox). */
  constructor(path: string, now: () => Date, outbox?: string) {
    this.#path = path;
    this.#now = now;
    this.#outbox = outbox;
    this.#worker = new Worker(workerUrl, { workerData: { path }, ...workerOptions });
    this.#worker.on('message', (reply: WriterReply) => {
      const waiting = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (!waiting) return;
      if ('counts' in reply) waiting.resolve(reply.counts);
      else waiting.reject(new PullPushError(reply.error.code, reply.error.message, reply.error.hint ? { hint: reply.error.hint } : {}));
    });
    this.#stopped = new Promise((resolve) => {
      this.#worker.once('exit', () => {
        this.#fail(new PullPushError(SyncErrorCode.Database, `The SQLite writer thread for ${path} stopped before committing every batch.`, { hint: 'Nothing after the last committed batch was written; rerun the sync.' }));
        resolve();
      });
    });
    this.#worker.on('error', (error) => this.#fail(new PullPushError(SyncErrorCode.Database, `The SQLite writer thread for ${path} failed: ${error.message}`, { hint: 'Nothing after the last committed batch was written; rerun the sync.' })));
  }

  #fail(error: Error): void {
    this.#broken ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(this.#broken);
    this.#waiting.clear();
  }

  /** The batch's rows, serialized on this thread; a value JSON cannot hold breaks the writer (the error then). */
  #prepare(batch: Batch): PreparedBatch | Error {
    try {
      const prepared = prepareBatch(batch, this.#now().toISOString(), this.#path);
      if (this.#outbox !== undefined) prepared.outbox = this.#outbox;
      return prepared;
    } catch (error) {
      this.#broken = error as Error;
      return this.#broken;
    }
  }

  append(part: Batch): void {
    if (this.#broken) return;
    const prepared = this.#prepare(part);
    if (!(prepared instanceof Error)) this.#worker.postMessage({ part: prepared });
  }

  write(batch: Batch): Promise<WriteCounts> {
    if (this.#broken) return Promise.reject(this.#broken);
    const id = (this.#next += 1);
    const prepared = this.#prepare(batch);
    if (prepared instanceof Error) return Promise.reject(prepared);
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ id, batch: prepared });
    });
  }

  async close(): Promise<void> {
    // The worker answers the batches it was given before it reads this.
    this.#worker.postMessage({ close: true });
    await this.#stopped;
  }
}
