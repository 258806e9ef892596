import Type from 'typebox';
import { Expression, Slug, Tagged, Template, Variant } from './building-blocks.ts';
import { Request } from './http.ts';
import { FieldMapping } from './stream.ts';

export const WriteOperation = Type.Object(
  {
    request: Request('write'),
    body: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$' }), FieldMapping('write'), { additionalProperties: false,
        description: 'Native body field (dotted path) → how it is produced from the canonical record ($record, the input).',
      }),
    ),
    remoteIdPath: Type.Optional(Expression('Where the remote id is in the response (for create and upsert).', 'writeResponse')),
  },
  { additionalProperties: false, description: 'One write operation. Paths may use {{ $remoteId }} and {{ $record.… }}.' },
);

export const MatchIdMap = Variant('idMap', 'the destination keeps a map of canonical keys to remote ids from earlier writes', {});
export const MatchLookup = Variant('lookup', 'find an existing record by a canonical field before writing', {
  by: Type.String({ minLength: 1, description: 'Canonical field compared (email, sku).' }),
  request: Request('write'),
  records: Type.Optional(Expression('Where the candidate records are in the response.', 'writeResponse')),
  remoteIdPath: Expression('Where the remote id is in a found record.', 'writeResponse'),
});
export const Match = Tagged([MatchIdMap, MatchLookup], 'How an existing remote record is found.');

export const TypeWrites = Type.Object(
  {
    create: Type.Optional(WriteOperation),
    update: Type.Optional(WriteOperation),
    upsert: Type.Optional(WriteOperation),
    delete: Type.Optional(WriteOperation),
    match: Type.Optional(Match),
    idempotencyKeyHeader: Type.Optional(Type.String({ minLength: 1, description: 'Header carrying the event id so retries are not applied twice (Idempotency-Key).' })),
  },
  { additionalProperties: false, description: 'How records of one canonical type are written.' },
);

export const Writes = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*@[1-9][0-9]*$' }), TypeWrites, { additionalProperties: false,
  description: 'Canonical type and version (crm.contact@1) → its write operations: the connector as a destination.',
});

export const Webhooks = Type.Object(
  {
    signature: Type.Optional(
      Type.Object(
        {
          header: Type.String({ minLength: 1, description: 'Header carrying the signature.' }),
          algorithm: Type.Enum(['sha256', 'sha1', 'sha512'], { description: 'HMAC hash.' }),
          encoding: Type.Enum(['hex', 'base64'], { description: 'How the signature is written.' }),
          secret: Template('The signing secret: {{ $config.webhookSecret }}.', 'webhookSecret'),
          signedPayload: Type.Optional(Template('What is signed (default "{{ $body }}"): "{{ $headers.`x-timestamp` }}.{{ $body }}".', 'webhookPayload')),
          prefix: Type.Optional(Type.String({ description: 'Text before the signature in the header (sha256=).' })),
          extract: Type.Optional(Expression('Picks the signature out of a structured header ($header is the header value).', 'webhookExtract')),
        },
        { additionalProperties: false, description: 'HMAC signature verification.' },
      ),
    ),
    eventTypePath: Expression('Where the native event name is in a delivery (type).', 'webhookEvent'),
    batchPath: Type.Optional(Expression('Where the array of events is when a delivery carries several.', 'webhookEvent')),
    events: Type.Record(
      Type.String({ minLength: 1 }),
      Type.Object(
        {
          stream: Slug('Stream whose mapping turns the payload into a canonical record.'),
          operation: Type.Enum(['created', 'updated', 'deleted'], { description: 'Canonical operation.' }),
          recordPath: Type.Optional(Expression('Where the native record is in the event (data.object).', 'webhookEvent')),
        },
        { additionalProperties: false, description: 'What a native event means.' },
      ),
      { description: 'Native event name → stream and canonical operation.' },
    ),
  },
  { additionalProperties: false, description: 'Incoming webhooks.' },
);
