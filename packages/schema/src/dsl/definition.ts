// The connector definition document, DSL v1.
import Type, { type Static } from 'typebox';
import { Slug } from './building-blocks.ts';
import { Auth } from './auth.ts';
import { HttpSettings, ResponseFilter } from './http.ts';
import { RateLimits, Retry } from './limits.ts';
import { Stream } from './stream.ts';
import { Webhooks, Writes } from './writes.ts';

export const DSL_VERSION = 'pullpush/v1';

export const ConnectorDefinition = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema of this document, for editors.' })),
    dsl: Type.Literal(DSL_VERSION, { description: 'DSL version of the document.' }),
    id: Slug('Connector id (stripe, github).'),
    name: Type.String({ minLength: 1, description: 'Display name.' }),
    version: Type.String({
      pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$',
      description: 'Version of this definition (semver).',
    }),
    description: Type.Optional(Type.String({ description: 'What the connector reads and writes.' })),
    documentationUrl: Type.Optional(Type.String({ format: 'uri', description: "The API's documentation." })),
    categories: Type.Optional(Type.Array(Slug('A category.'), { uniqueItems: true, description: 'Marketplace categories (commerce, crm).' })),
    config: Type.Optional(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description: 'JSON Schema (object) of what a user supplies per connection; mark secrets with "secret": true.',
        },
      ),
    ),
    timeZone: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'IANA time zone (Europe/Berlin) of timestamps the API writes without a zone; default UTC. Applies to incremental cursors and to $toMillis in expressions; the host\'s time zone never does.',
      }),
    ),
    http: HttpSettings,
    auth: Auth,
    rateLimits: Type.Optional(RateLimits),
    retry: Type.Optional(Retry),
    responseFilters: Type.Optional(Type.Array(ResponseFilter, { description: 'Applied in order; the first match acts.' })),
    streams: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), Stream, { additionalProperties: false,
      minProperties: 1,
      description: 'Streams by name (lower snake case).',
    }),
    writes: Type.Optional(Writes),
    webhooks: Type.Optional(Webhooks),
    check: Type.Optional(
      Type.Object(
        { stream: Slug('Stream whose first page proves the connection works.') },
        { additionalProperties: false, description: 'How to check a connection.' },
      ),
    ),
  },
  { additionalProperties: false, description: 'A PullPush connector definition.' },
);
export type ConnectorDefinition = Static<typeof ConnectorDefinition>;
