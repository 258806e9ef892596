// Idempotent writes, as Stripe and many others offer them: a write carrying an Idempotency-Key header is done
// once; repeating the key with the same request replays the first response (marked Idempotent-Replayed) without
// writing again, and reusing the key for a different request is refused.
import { problem, type ApiStyle, type Reply, type RequestContext } from './http.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

interface Entry {
  fingerprint: string;
  status: number;
  headers: Record<string, string>;
  body: string | undefined;
}

export class Idempotency {
  readonly #entries = new Map<string, Entry>();

  /** Runs a write once per key. Replies of writes are small and always strings, so they are kept whole. */
  async once(ctx: RequestContext, style: ApiStyle, write: () => Reply | Promise<Reply>): Promise<Reply> {
    const key = ctx.headers[IDEMPOTENCY_HEADER];
    if (key === undefined || key === '') return write();
    const fingerprint = `${ctx.method} ${ctx.path}\n${ctx.body ?? ''}`;
    const seen = this.#entries.get(key);
    if (seen !== undefined) {
      if (seen.fingerprint !== fingerprint) {
        return problem(style, 422, 'idempotency_key_reused', `Idempotency-Key "${key}" was already used for a different request`);
      }
      return {
        status: seen.status,
        headers: { ...seen.headers, 'idempotent-replayed': 'true' },
        ...(seen.body === undefined ? {} : { body: seen.body }),
      };
    }
    const reply = await write();
    // Server errors are not remembered: the client may retry them with the same key.
    if (reply.status < 500) {
      this.#entries.set(key, { fingerprint, status: reply.status, headers: reply.headers, body: typeof reply.body === 'string' ? reply.body : undefined });
    }
    return reply;
  }

  get size(): number {
    return this.#entries.size;
  }
}
