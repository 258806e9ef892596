// Rate limits of the registry (hono-rate-limiter): reads (GET) and writes (publish, tags, accounts, keys) counted
// apart, per account when the request carries a valid token and per client address otherwise, so inventing tokens
// buys no fresh allowance. Over the limit: 429 with Retry-After, RateLimit-* headers and REGISTRY_RATE_LIMITED.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, Hono } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { RegistryErrorCode } from './errors.ts';
import type { RegistryStore } from './store.ts';

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimits {
  reads: RateLimit;
  writes: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  reads: { limit: 1200, windowMs: 60_000 },
  writes: { limit: 120, windowMs: 3_600_000 },
};

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not served by @hono/node-server (app.request in process): one shared allowance.
    return 'unknown';
  }
}

export function addRateLimits(app: Hono, store: RegistryStore, limits: RateLimits): void {
  const keyOf = async (c: Context): Promise<string> => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const account = token ? (await store.authenticate(token))?.account : undefined;
    return account ? `account:${account}` : `address:${clientAddress(c)}`;
  };
  const limiter = (kind: keyof RateLimits, isKind: (method: string) => boolean) => {
    const { limit, windowMs } = limits[kind];
    return rateLimiter({
      limit,
      windowMs,
      standardHeaders: 'draft-6',
      keyGenerator: keyOf,
      skip: (c) => !isKind(c.req.method),
      handler: (c) => {
        const wait = c.res.headers.get('retry-after') ?? String(Math.ceil(windowMs / 1000));
        return c.json(
          {
            error: {
              code: RegistryErrorCode.RateLimited,
              message: `Over the registry's limit of ${limit} ${kind} per ${Math.round(windowMs / 1000)} s.`,
              hint: `Try again in ${wait} s.`,
            },
          },
          429,
        );
      },
    });
  };
  app.use('*', limiter('reads', (method) => method === 'GET' || method === 'HEAD'));
  app.use('*', limiter('writes', (method) => method !== 'GET' && method !== 'HEAD'));
}
