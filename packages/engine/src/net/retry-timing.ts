// How long an API asks a client to wait, in every form APIs use: Retry-After in seconds or as an HTTP date
// (RFC 9110), the IETF RateLimit-Reset (seconds), and X-RateLimit-Reset / X-Rate-Limit-Reset (seconds, or an epoch
// timestamp as GitHub sends it). The one place these headers are read: retries and the rate limiter both use it.

/** Epoch-second values are told apart from delays by size: a delay of 30 years is not a delay. */
const EPOCH_SECONDS = 1_000_000_000;

const HTTP_DATE = /^[A-Za-z]{3},\s*\d{1,2}[\s-][A-Za-z]{3}[\s-]\d{2,4}\s+\d{2}:\d{2}:\d{2}\s+GMT$/;

function seconds(value: string): number | undefined {
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** Milliseconds until the time a reset header names, from `now`; epoch timestamps and delays both read. */
function resetDelay(value: string, now: number): number | undefined {
  const number = seconds(value);
  if (number === undefined) return undefined;
  return number >= EPOCH_SECONDS ? Math.max(0, number * 1000 - now) : number * 1000;
}

/** Milliseconds Retry-After asks for: delay seconds, or an HTTP date. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const delay = seconds(value);
  if (delay !== undefined) return delay * 1000;
  if (!HTTP_DATE.test(value.trim())) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export type RateLimitHeaders = 'ratelimit' | 'x-ratelimit' | 'none' | undefined;

/**
 * How long the response asks the client to wait before its next request, if it says: Retry-After first (it is
 * authoritative), then the reset of a rate-limit window that has nothing left.
 */
export function requestedWaitMs(headers: Headers, which: RateLimitHeaders = undefined, now = Date.now()): number | undefined {
  return retryAfterMs(headers.get('retry-after'), now) ?? windowResetMs(headers, which, now);
}

/** Milliseconds until a rate-limit window with nothing left resets (RateLimit-*, X-RateLimit-*), if one says so. */
export function windowResetMs(headers: Headers, which: RateLimitHeaders = undefined, now = Date.now()): number | undefined {
  if (which === 'none') return undefined;
  const prefixes = which === 'ratelimit' ? ['ratelimit'] : which === 'x-ratelimit' ? ['x-ratelimit', 'x-rate-limit'] : ['ratelimit', 'x-ratelimit', 'x-rate-limit'];
  for (const prefix of prefixes) {
    const remaining = headers.get(`${prefix}-remaining`);
    const reset = headers.get(`${prefix}-reset`);
    if (remaining === null || reset === null || Number(remaining) > 0) continue;
    const delay = resetDelay(reset, now);
    if (delay !== undefined) return delay;
  }
  return undefined;
}
