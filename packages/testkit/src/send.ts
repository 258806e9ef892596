// Writing replies to the socket, honestly or distorted by a fault: slowly, cut short, enormous, or never.
// Streams respect backpressure and stop as soon as the client goes away or the server closes.
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { HugeBodyFault, SlowBodyFault, TimeoutFault, TruncatedJsonFault } from './faults.ts';
import { JSON_TYPE, type Body, type Reply } from './http.ts';

/** Writes a chunk, waiting for the socket to drain when its buffer is full. */
async function write(res: ServerResponse, chunk: string | Uint8Array, signal: AbortSignal): Promise<boolean> {
  if (res.destroyed || signal.aborted) return false;
  if (res.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
    signal.addEventListener('abort', done);
  });
  return !res.destroyed && !signal.aborted;
}

async function bodyBytes(body: Body | undefined): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** Sends a reply as it is: fixed bodies with Content-Length, iterables chunked. */
export async function sendReply(res: ServerResponse, reply: Reply, signal: AbortSignal): Promise<void> {
  const { body } = reply;
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    const bytes = body === undefined ? undefined : Buffer.from(body);
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(bytes?.length ?? 0) });
    res.end(bytes);
    return;
  }
  res.writeHead(reply.status, reply.headers);
  for await (const chunk of body) {
    if (!(await write(res, chunk, signal))) return;
  }
  res.end();
}

/** Sends the whole body in small chunks with pauses, Content-Length announced up front. */
export async function sendSlowly(res: ServerResponse, reply: Reply, fault: SlowBodyFault, signal: AbortSignal): Promise<void> {
  const bytes = await bodyBytes(reply.body);
  const size = Math.max(1, fault.chunkBytes ?? 1024);
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(bytes.length) });
  for (let start = 0; start < bytes.length; start += size) {
    if (start > 0) {
      try {
        await delay(fault.delayMs ?? 100, undefined, { signal });
      } catch {
        res.destroy();
        return;
      }
    }
    if (!(await write(res, bytes.subarray(start, start + size), signal))) return;
  }
  res.end();
}

/** Sends the first part of the body only: as a complete response, or announcing all of it and then dropping. */
export async function sendTruncated(res: ServerResponse, reply: Reply, fault: TruncatedJsonFault): Promise<void> {
  const bytes = await bodyBytes(reply.body);
  const keep = Math.min(bytes.length - 1, Math.max(0, fault.keepBytes ?? Math.floor(bytes.length / 2)));
  const kept = bytes.subarray(0, Math.max(0, keep));
  if (fault.abort === true) {
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(bytes.length) });
    res.write(kept, () => res.destroy());
    return;
  }
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(kept.length) });
  res.end(kept);
}

/** Fixed-size filler records, so the exact length of a huge body is known before it is written. */
const FILLER = 'x'.repeat(1000);
const record = (i: number) => `{"id":"${String(i).padStart(10, '0')}","filler":"${FILLER}"}`;
const RECORD_BYTES = record(0).length;

/** Streams a valid JSON document of about `megabytes` MB: {"data":[…filler records…]}. */
export async function sendHuge(res: ServerResponse, fault: HugeBodyFault, signal: AbortSignal): Promise<void> {
  const head = '{"data":[';
  const tail = ']}';
  const count = Math.max(1, Math.ceil((fault.megabytes * 1024 * 1024) / (RECORD_BYTES + 1)));
  const length = head.length + count * RECORD_BYTES + (count - 1) + tail.length;
  res.writeHead(200, { 'content-type': JSON_TYPE, ...(fault.declareLength === true ? { 'content-length': String(length) } : {}) });
  if (!(await write(res, head, signal))) return;
  // About 64 KB per write: big enough to be quick, small enough to keep memory flat.
  const perChunk = 64;
  for (let i = 0; i < count; i += perChunk) {
    const parts: string[] = [];
    for (let j = i; j < Math.min(count, i + perChunk); j++) parts.push(record(j));
    if (!(await write(res, (i === 0 ? '' : ',') + parts.join(','), signal))) return;
  }
  res.end(tail);
}

/** Never finishes the response; the server's close() (or the client) ends the connection. */
export function sendNothing(res: ServerResponse, fault: TimeoutFault): void {
  if (fault.phase === 'body') {
    res.writeHead(200, { 'content-type': JSON_TYPE });
    res.write('{"data":[');
  }
}
