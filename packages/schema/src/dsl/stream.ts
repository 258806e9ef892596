import Type from 'typebox';
import { Expression, Placement, Slug, Tagged, TaggedBy, Template, Variant } from './building-blocks.ts';
import type { ExpressionContext } from './contexts.ts';
import { Request } from './http.ts';

const StopWhen = Type.Optional(
  Expression('Truthy on a response when there are no more pages (`$not(has_more)`, `$headers.`x-has-more` = "false"`). An empty page always stops.', 'pagination'),
);
const PageSize = Type.Optional(
  Type.Object(
    {
      param: Placement,
      value: Type.Integer({ minimum: 1, maximum: 10_000, description: 'Records per page to ask for; a server may send fewer (it clamps), which the engine detects and follows.' }),
    },
    { additionalProperties: false, description: 'Page size request parameter.' },
  ),
);

/** A value read from a response: a JSONata path into the body, or a header. */
function ResponseValue(what: string) {
  return TaggedBy(
    'from',
    [
      Type.Object(
        {
          from: Type.Literal('body', { description: `"body": ${what} is at a path in the body.` }),
          path: Expression(`Where ${what} is in the body.`, 'pagination'),
        },
        { additionalProperties: false, description: `${what} from the body` },
      ),
      Type.Object(
        {
          from: Type.Literal('header', { description: `"header": ${what} is a response header.` }),
          path: Type.String({ minLength: 1, description: 'The header name (X-Total-Count).' }),
        },
        { additionalProperties: false, description: `${what} from a header` },
      ),
    ],
    `Where ${what} is read: { "from": "body", "path": … } or { "from": "header", "path": <header name> }.`,
  );
}

export const PaginationNone = Variant('none', 'a single response holds every record', {});
export const PaginationCursor = Variant('cursor', 'an opaque cursor read from the body or a header, sent with the next request', {
  cursor: ResponseValue('the next cursor'),
  param: Placement,
  stopWhen: StopWhen,
  pageSize: PageSize,
});
export const PaginationOffset = Variant('offset', 'offset and limit parameters; the offset advances by the records received', {
  offsetParam: Placement,
  limitParam: Placement,
  limit: Type.Integer({ minimum: 1, maximum: 10_000, description: 'Records per page to ask for; a server may send fewer (it clamps), which the engine detects and follows.' }),
  startAt: Type.Optional(Type.Integer({ minimum: 0, description: 'First offset (default 0).' })),
  total: Type.Optional(ResponseValue('the total record count')),
  stopWhen: StopWhen,
});
export const PaginationPage = Variant('page', 'a page number parameter', {
  pageParam: Placement,
  startPage: Type.Optional(Type.Integer({ minimum: 0, description: 'First page number (default 1).' })),
  pageSize: PageSize,
  total: Type.Optional(ResponseValue('the total record count')),
  totalPages: Type.Optional(ResponseValue('the page count')),
  stopWhen: StopWhen,
});
export const PaginationLink = Variant('link', 'the Link response header (RFC 8288)', {
  rel: Type.Optional(Type.String({ description: 'Relation of the next page (default next).' })),
  pageSize: PageSize,
});
export const PaginationNextUrl = Variant('nextUrl', 'a next-page URL in the body', {
  path: Expression('Where the next URL is in the body (next_page_uri, links.next); relative URLs resolve against the response URL.', 'pagination'),
  stopWhen: StopWhen,
  pageSize: PageSize,
});
export const Pagination = Tagged([PaginationNone, PaginationCursor, PaginationOffset, PaginationPage, PaginationLink, PaginationNextUrl], 'How to page through the records.');
export const PAGINATION_KINDS = ['none', 'cursor', 'offset', 'page', 'link', 'nextUrl'] as const;

export const Records = Type.Object(
  {
    path: Type.Optional(Expression('Where the records are in the body (data, response.items); omitted: the body itself.', 'records')),
    single: Type.Optional(Type.Boolean({ description: 'The response is one record, not a list.' })),
    filter: Type.Optional(Expression('Keep only records for which this is truthy; the record is the input.', 'recordFilter')),
  },
  { additionalProperties: false, description: 'Where the records are in a response.' },
);

export const CURSOR_FORMATS = ['iso8601', 'unixSeconds', 'unixMillis', 'date'] as const;
export const REQUEST_CURSOR_FORMATS = ['asWritten', 'iso8601Seconds', 'iso8601Millis', 'date', 'unixSeconds', 'unixMillis'] as const;

export const Incremental = Type.Object(
  {
    cursorField: Expression('Where the field that grows with each change is in the native record (updated_at).', 'mapping'),
    format: Type.Enum(CURSOR_FORMATS, {
      description: 'How the API writes the cursor field. Values are compared as instants; the stored cursor is the value exactly as the API wrote it.',
    }),
    param: Type.Optional(Placement),
    value: Type.Optional(
      Template(`The request value, for operator syntax: ">={{ $cursor }}" (updated_on=>=2026-…), 'lastUpdated gt "{{ $cursor }}"' (default "{{ $cursor }}").`, 'incrementalValue'),
    ),
    requestFormat: Type.Optional(
      Type.Enum(REQUEST_CURSOR_FORMATS, {
        description:
          'How $cursor is written in the request: asWritten (default: as the API wrote it, same precision and zone style), iso8601Seconds (UTC, whole seconds, rounded down), iso8601Millis (UTC, milliseconds), date (YYYY-MM-DD), unixSeconds, unixMillis.',
      }),
    ),
    startDate: Type.Optional(Template('Where a first sync starts: {{ $config.startDate }}.', 'incremental')),
    lookbackSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 31_536_000, description: 'Re-read this much before the stored cursor, for late writes (default 0).' })),
  },
  { additionalProperties: false, description: 'Incremental reads: only records changed since the stored cursor (inclusive: records at the cursor are read again and de-duplicated by key).' },
);

export const PartitionList = Variant('list', 'a fixed list of values', {
  values: Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1, description: 'The partition values.' }),
});
export const PartitionConfig = Variant('config', 'a list from the connection config', {
  key: Type.String({ minLength: 1, description: 'Config property holding an array (repositories).' }),
});
export const PartitionParent = Variant('parent', 'one request per record of another stream', {
  stream: Slug('Parent stream.'),
  value: Expression('The partition value in the parent record (id).', 'partitionValue'),
});
export const Partitions = Tagged([PartitionList, PartitionConfig, PartitionParent], 'Partitions: the stream is read once per value, bound to $partition.');
export const PARTITION_KINDS = ['list', 'config', 'parent'] as const;

/** One field: a JSONata path into the input record, a constant, or an expression, evaluated in `context`. */
export function FieldMapping(context: ExpressionContext) {
  return Type.Union(
    [
      Type.Object({ path: Expression('Path into the record.', context) }, { additionalProperties: false, description: 'Copy a field.' }),
      Type.Object({ const: Type.Unknown({ description: 'The constant value.' }) }, { additionalProperties: false, description: 'A constant.' }),
      Type.Object({ expr: Expression('Computed from the record ($record) and the variables of the place.', context) }, { additionalProperties: false, description: 'An expression.' }),
    ],
    { description: 'How one field is produced: { path }, { const } or { expr }.' },
  );
}

export const Mapping = Type.Object(
  {
    fields: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*$' }), FieldMapping('mapping'), {
      additionalProperties: false,
      description: 'Canonical field (dotted path for nested fields: totals.total) → how it is produced.',
    }),
    custom: Type.Optional(Type.Record(Type.String({ minLength: 1 }), FieldMapping('mapping'), { description: 'Custom fields by name.' })),
    keepRaw: Type.Optional(Type.Boolean({ description: 'Keep the native record in `raw` (default false).' })),
  },
  { additionalProperties: false, description: 'Native → canonical mapping.' },
);

export const Stream = Type.Object(
  {
    description: Type.Optional(Type.String({ description: 'What the stream holds.' })),
    canonical: Type.Optional(
      Type.String({ pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*@[1-9][0-9]*$', description: 'Canonical type and version (commerce.order@1); omitted: a raw stream of native records.' }),
    ),
    request: Request('request'),
    records: Type.Optional(Records),
    primaryKey: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Dotted paths in the native record whose values identify it (id).' }),
    pagination: Type.Optional(Pagination),
    incremental: Type.Optional(Incremental),
    partitions: Type.Optional(Partitions),
    mapping: Type.Optional(Mapping),
    tombstoneMissing: Type.Optional(
      Type.Boolean({
        description:
          'The endpoint lists every live record: after a complete full read, records a sync stored earlier that the read no longer returned are marked deleted. Never after a failed, partial or incremental read (default false).',
      }),
    ),
  },
  { additionalProperties: false, description: 'A stream of records read from one endpoint.' },
);
