// The flow document: a source connection and its streams → a destination.
import Type, { type Static } from 'typebox';
import { Slug, Tagged, Template, Variant } from './building-blocks.ts';

export const FLOW_DSL_VERSION = 'pullpush/flow/v1';

export const DestinationSqlite = Variant('sqlite', 'an embedded SQLite file', { path: Template('File path.', 'flow') });
export const DestinationJsonl = Variant('jsonl', 'JSON Lines (a file, or - for stdout)', { path: Template('File path or -.', 'flow') });
export const DestinationPostgres = Variant('postgres', 'a PostgreSQL database', {
  url: Template('Connection URL: {{ $env.DATABASE_URL }}.', 'flow'),
  schema: Type.Optional(Type.String({ minLength: 1, description: 'Database schema (default public).' })),
});
export const DestinationConnector = Variant('connector', "another connector's writes", {
  connector: Slug('Connector id of the destination definition.'),
  connection: Slug('Connection of that connector.'),
  operations: Type.Optional(
    Type.Array(Type.Enum(['create', 'update', 'upsert', 'delete']), { uniqueItems: true, description: 'Operations allowed (default all the connector offers).' }),
  ),
});
export const Destination = Tagged([DestinationSqlite, DestinationJsonl, DestinationPostgres, DestinationConnector], 'Where the canonical events go.');

export const Flow = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema of this document, for editors.' })),
    dsl: Type.Literal(FLOW_DSL_VERSION, { description: 'Flow DSL version.' }),
    id: Slug('Flow id.'),
    name: Type.Optional(Type.String({ description: 'Display name.' })),
    source: Type.Object(
      {
        connector: Slug('Connector id of the source definition.'),
        connection: Slug('Connection of that connector.'),
        streams: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), { minItems: 1, uniqueItems: true, description: 'Streams to read.' }),
      },
      { additionalProperties: false, description: 'What to read.' },
    ),
    destination: Destination,
    match: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$' }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), { additionalProperties: false,
        description: 'Canonical type → canonical fields that identify the same record at the destination (email, sku).',
      }),
    ),
    schedule: Type.Optional(
      Type.Object(
        {
          every: Type.Optional(Type.String({ pattern: '^[1-9][0-9]*(s|m|h|d)$', description: 'Interval: 30s, 15m, 1h, 1d.' })),
          cron: Type.Optional(Type.String({ minLength: 9, description: 'Cron expression (UTC), five fields.' })),
        },
        { additionalProperties: false, description: 'When the flow runs; set one of every or cron.' },
      ),
    ),
    mode: Type.Optional(
      Type.Enum(['live', 'shadow', 'paused'], {
        description: 'live: a run reads and writes; shadow: a run works out what it would write and records it, writing nothing (flows to a connector); paused: runs are refused (default live).',
      }),
    ),
  },
  { additionalProperties: false, description: 'A PullPush flow.' },
);
export type Flow = Static<typeof Flow>;
