// A request budget per fixed window, like most SaaS APIs publish it ("100 requests per 10 seconds"). Requests
// beyond the budget get 429 with Retry-After (whole seconds until the window resets). Every answer of a limited
// route carries the IETF RateLimit-* headers, and GitHub-style X-RateLimit-* on request.

export interface RateLimitOptions {
  /** Requests allowed per window. */
  requests: number;
  /** Window length in seconds. */
  perSeconds: number;
  /**
   * Which headers to send: `ratelimit` (RateLimit-Limit/-Remaining/-Reset, reset in seconds; the default),
   * `x-ratelimit` (X-RateLimit-Limit/-Remaining/-Reset, reset as a Unix time, plus X-RateLimit-Used), or `both`.
   */
  headers?: 'ratelimit' | 'x-ratelimit' | 'both';
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  readonly #options: RateLimitOptions;
  #windowStart = -Infinity;
  #used = 0;

  constructor(options: RateLimitOptions) {
    if (!(options.requests >= 1) || !(options.perSeconds > 0)) throw new RangeError('rateLimit needs requests >= 1 and perSeconds > 0');
    this.#options = options;
  }

  /** Counts a request (refused ones do not use the budget) and says whether it may pass. */
  take(now: number = Date.now()): RateDecision {
    const windowMs = this.#options.perSeconds * 1000;
    if (now - this.#windowStart >= windowMs) {
      this.#windowStart = now;
      this.#used = 0;
    }
    const allowed = this.#used < this.#options.requests;
    if (allowed) this.#used++;
    const resetMs = this.#windowStart + windowMs;
    const resetSeconds = Math.max(1, Math.ceil((resetMs - now) / 1000));
    const remaining = this.#options.requests - this.#used;
    const headers: Record<string, string> = {};
    const style = this.#options.headers ?? 'ratelimit';
    if (style !== 'x-ratelimit') {
      headers['ratelimit-limit'] = String(this.#options.requests);
      headers['ratelimit-remaining'] = String(remaining);
      headers['ratelimit-reset'] = String(resetSeconds);
    }
    if (style !== 'ratelimit') {
      headers['x-ratelimit-limit'] = String(this.#options.requests);
      headers['x-ratelimit-remaining'] = String(remaining);
      headers['x-ratelimit-used'] = String(this.#used);
      headers['x-ratelimit-reset'] = String(Math.ceil(resetMs / 1000));
    }
    if (!allowed) headers['retry-after'] = String(resetSeconds);
    return { allowed, headers };
  }
}
