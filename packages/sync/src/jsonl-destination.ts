// JSON Lines destination: one CloudEvent per line, to a file (appended) or to a writable stream (stdout). It
// is append-only: a rerun after a crash writes the records since the last checkpoint again (at least once);
// consumers deduplicate by the event id, which is deterministic per change. Failed records go to a sibling
// `<file>.failures.jsonl` (or the `failures` stream given), never dropped.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { canonicalEventJson } from '@pullpush/canonical';
import type { BackgroundWriter, Batch, Destination, RawRecord, StateStore, WriteCounts } from './destination.ts';
import { SerialWrites } from './serial-writes.ts';

type Sink = { write(text: string): void | Promise<void>; close(): void };

/**
 * A raw stream's record as a CloudEvent (type `pullpush.raw.record`, the native record as data), so one reader
 * handles both kinds of line; its id is a digest of where it came from and what it holds, like a canonical event's.
 */
function rawEvent(batch: Batch, raw: RawRecord): Record<string, unknown> {
  const source = `pullpush://${batch.connector}/${batch.connection}/${batch.stream}`;
  const data = JSON.stringify(raw.record);
  const id = createHash('sha256').update(`${source}\u0000${raw.remoteId}\u0000${data}`).digest('base64url');
  return { specversion: '1.0', id, source, type: 'pullpush.raw.record', subject: raw.remoteId, datacontenttype: 'application/json', data: raw.record };
}

function fileSink(path: string): Sink {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  return {
    write: (text) => void writeSync(fd, text),
    close: () => closeSync(fd),
  };
}

function streamSink(stream: Writable): Sink {
  return {
    // Back-pressure: wait for drain when the stream's buffer is full (a slow pipe reader).
    write: (text) => (stream.write(text) ? undefined : new Promise<void>((done) => stream.once('drain', () => done()))),
    close: () => undefined,
  };
}

export interface JsonlDestinationOptions {
  /** Where failed records go: a file path, a stream, or by default `<path>.failures.jsonl` (stderr for streams). */
  failures?: string | Writable;
  /** A state store for incremental runs (JSON Lines keep none of their own). */
  stateStore?: StateStore;
}

export class JsonlDestination implements Destination {
  readonly description: string;
  readonly stateStore?: StateStore;
  readonly #out: Sink;
  readonly #failures: Sink;

  constructor(target: string | Writable, options: JsonlDestinationOptions = {}) {
    const toFile = typeof target === 'string' && target !== '-';
    this.description = `jsonl:${typeof target === 'string' ? target : '-'}`;
    this.#out = toFile ? fileSink(resolve(target)) : streamSink(typeof target === 'string' ? process.stdout : target);
    const failures = options.failures ?? (toFile ? `${resolve(target)}.failures.jsonl` : process.stderr);
    this.#failures = typeof failures === 'string' ? fileSink(resolve(failures)) : streamSink(failures);
    if (options.stateStore) this.stateStore = options.stateStore;
  }

  async write(batch: Batch): Promise<WriteCounts> {
    const counts = await this.#writeLines(batch);
    // After the lines are out: a crash in between replays these records (at least once), never skips them.
    if (batch.state && this.stateStore) await this.stateStore.setState(batch, batch.state);
    return counts;
  }

  /** The batch's events, raw records and failures as lines, out in that order. */
  async #writeLines(batch: Batch): Promise<WriteCounts> {
    let deleted = 0;
    let text = '';
    for (const event of batch.events) {
      if (event.data['deleted'] === true) deleted += 1;
      // The record's canonical text, made with the event, is written as it is: no second serialization.
      text += `${canonicalEventJson(event)}\n`;
    }
    for (const raw of batch.raws ?? []) text += `${JSON.stringify(rawEvent(batch, raw))}\n`;
    if (text !== '') await this.#out.write(text);
    if (batch.failures.length > 0) {
      const lines = batch.failures.map((failure) => JSON.stringify({ runId: batch.runId, connector: batch.connector, connection: batch.connection, stream: batch.stream, ...failure }));
      await this.#failures.write(`${lines.join('\n')}\n`);
    }
    return { inserted: batch.events.length + (batch.raws?.length ?? 0) - deleted, updated: 0, unchanged: 0, deleted };
  }

  /**
   * Writes each page's lines as the sync reads it (`append`), so that the sync holds a page of records rather than
   * a batch, and the rest of a batch at `write`, whose checkpoint is stored after all of them, as `write` alone
   * does. After a failure it writes nothing more.
   */
  openBackgroundWriter(): BackgroundWriter {
    const writes = new SerialWrites();
    // What the parts wrote so far, counted into the write of their batch (updated and unchanged stay 0 here).
    let appended = { inserted: 0, deleted: 0 };
    return {
      append: (part) => {
        void writes
          .run(async () => {
            const counts = await this.#writeLines(part);
            appended = { inserted: appended.inserted + counts.inserted, deleted: appended.deleted + counts.deleted };
          })
          .catch(() => undefined);
      },
      write: (batch) =>
        writes.run(async () => {
          const counts = await this.write(batch);
          const total = { ...counts, inserted: counts.inserted + appended.inserted, deleted: counts.deleted + appended.deleted };
          appended = { inserted: 0, deleted: 0 };
          return total;
        }),
      close: () => writes.idle(),
    };
  }

  close(): void {
    this.#out.close();
    this.#failures.close();
  }
}
