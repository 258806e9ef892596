// One rate limiter per connection, shared by all its streams: request budgets (at most N requests in any
// window of S seconds), a cap on requests in flight, and pauses the API itself asks for through RateLimit-* or
// X-RateLimit-* headers (read by retry-timing.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { windowResetMs, type RateLimitHeaders } from './retry-timing.ts';

export interface Budget {
  requests: number;
  perSeconds: number;
}

export interface RateLimiterOptions {
  budgets?: readonly Budget[];
  maxConcurrency?: number;
  /** Which rate-limit headers to honour (default both). */
  headers?: 'ratelimit' | 'x-ratelimit' | 'none';
  /** Longest pause a header may impose, in ms (default 60 s). */
  maxPauseMs?: number;
}

export class RateLimiter {
  readonly #budgets: Array<{ windowMs: number; requests: number; sent: number[] }>;
  readonly #maxConcurrency: number;
  readonly #headers: RateLimiterOptions['headers'];
  readonly #maxPauseMs: number;
  #inFlight = 0;
  readonly #waiting: Array<() => void> = [];
  #pausedUntil = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.#budgets = (options.budgets ?? []).map((budget) => ({ windowMs: budget.perSeconds * 1000, requests: budget.requests, sent: [] }));
    this.#maxConcurrency = options.maxConcurrency ?? 4;
    this.#headers = options.headers;
    this.#maxPauseMs = options.maxPauseMs ?? 60_000;
  }

  /** Waits for a slot; returns the function that frees it when the response has arrived (budgets count from then). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.#inFlight >= this.#maxConcurrency) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#inFlight += 1;
    try {
      for (;;) {
        const wait = this.#waitMs(Date.now());
        if (wait <= 0) break;
        await sleep(wait, undefined, signal ? { signal } : undefined);
      }
    } catch (error) {
      this.#release();
      throw error;
    }
    const sentAt = Date.now();
    for (const budget of this.#budgets) budget.sent.push(sentAt);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The API counts a request when it arrives, somewhere between sending and the answer (a first request that
      // opens the connection arrives late). Counted from the answer, a request of the next window can never land
      // in the API's current one.
      const answeredAt = Date.now();
      for (const budget of this.#budgets) {
        const index = budget.sent.indexOf(sentAt);
        if (index !== -1) budget.sent.splice(index, 1);
        budget.sent.splice(budget.sent.findLastIndex((time) => time <= answeredAt) + 1, 0, answeredAt);
      }
      this.#release();
    };
  }

  #release(): void {
    this.#inFlight -= 1;
    this.#waiting.shift()?.();
  }

  #waitMs(now: number): number {
    let wait = this.#pausedUntil - now;
    for (const budget of this.#budgets) {
      while (budget.sent.length > 0 && (budget.sent[0] as number) <= now - budget.windowMs) budget.sent.shift();
      if (budget.sent.length >= budget.requests) wait = Math.max(wait, (budget.sent[0] as number) + budget.windowMs - now);
    }
    return wait;
  }

  /** Which rate-limit headers this connection honours. */
  get headers(): RateLimitHeaders {
    return this.#headers;
  }

  /**
   * Reads a response's rate-limit headers: when the window has nothing left, every request waits for its reset.
   * (Retry-After concerns the request it answers: the HTTP client's retry waits for it.)
   */
  observe(headers: Headers): void {
    const wait = windowResetMs(headers, this.#headers);
    if (wait === undefined || wait <= 0) return;
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + Math.min(wait, this.#maxPauseMs));
  }
}
