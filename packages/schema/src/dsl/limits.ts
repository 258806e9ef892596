import Type from 'typebox';

export const RateLimits = Type.Object(
  {
    budgets: Type.Optional(
      Type.Array(
        Type.Object(
          {
            requests: Type.Integer({ minimum: 1, description: 'Requests allowed per window.' }),
            perSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'Window length in seconds (1, 60).' }),
          },
          { additionalProperties: false, description: 'A request budget: at most `requests` per `perSeconds` seconds.' },
        ),
        { minItems: 1, description: 'Request budgets shared by all streams of a connection; all must hold.' },
      ),
    ),
    maxConcurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'Requests in flight at once per connection (default 4).' })),
    headers: Type.Optional(
      Type.Enum(['ratelimit', 'x-ratelimit', 'none'], {
        description: 'Rate-limit headers to honour: IETF RateLimit-*, X-RateLimit-* (default both), or none.',
      }),
    ),
  },
  { additionalProperties: false, description: 'How fast the connector may call the API.' },
);

export const Retry = Type.Object(
  {
    statuses: Type.Optional(
      Type.Array(Type.Integer({ minimum: 400, maximum: 599 }), { description: 'Statuses retried (default 408, 425, 429, 500, 502, 503, 504).' }),
    ),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'Attempts per request including the first (default 5).' })),
    initialDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, description: 'First backoff delay (default 500).' })),
    maxDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, description: 'Cap on one delay, including Retry-After and rate-limit reset waits (default 60000, at most 10 minutes).' })),
    multiplier: Type.Optional(Type.Number({ minimum: 1, maximum: 10, description: 'Backoff growth factor (default 2).' })),
    jitter: Type.Optional(Type.Boolean({ description: 'Randomise delays (full jitter; default true).' })),
    respectRetryAfter: Type.Optional(Type.Boolean({ description: 'Wait as Retry-After says, up to maxDelayMs (default true).' })),
    deadlineMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 3_600_000, description: 'Total time one request may take with all its retries (default 300000, at most 1 hour).' })),
  },
  { additionalProperties: false, description: 'Retries with exponential backoff.' },
);
