import Type from 'typebox';
import { Expression, Placement, Slug, Tagged, Template, Variant } from './building-blocks.ts';
import { Request } from './http.ts';

const StopWhen = Type.Optional(Expression('Truthy on a response body when there are no more pages (`$not(has_more)`). An empty page always stops.'));
const PageSize = Type.Optional(
  Type.Object(
    {
      param: Placement,
      value: Type.Integer({ minimum: 1, maximum: 10_000, description: 'Records per page to ask for.' }),
    },
    { additionalProperties: false, description: 'Page size request parameter.' },
  ),
);

export const PaginationNone = Variant('none', 'a single response holds every record', {});
export const PaginationCursor = Variant('cursor', 'an opaque cursor read from the body or a header, sent with the next request', {
  cursor: Type.Object(
    {
      from: Type.Enum(['body', 'header'], { description: 'Read the cursor from the body or a header.' }),
      path: Type.String({ minLength: 1, description: 'JSONata path in the body (response_metadata.next_cursor, data[-1].id), or the header name.' }),
    },
    { additionalProperties: false, description: 'Where the next cursor is read.' },
  ),
  param: Placement,
  stopWhen: StopWhen,
  pageSize: PageSize,
});
export const PaginationOffset = Variant('offset', 'offset and limit parameters', {
  offsetParam: Placement,
  limitParam: Placement,
  limit: Type.Integer({ minimum: 1, maximum: 10_000, description: 'Records per page.' }),
  startAt: Type.Optional(Type.Integer({ minimum: 0, description: 'First offset (default 0).' })),
  totalPath: Type.Optional(Type.String({ description: 'Path to the total record count; stops when the offset reaches it.' })),
  stopWhen: StopWhen,
});
export const PaginationPage = Variant('page', 'a page number parameter', {
  pageParam: Placement,
  startPage: Type.Optional(Type.Integer({ minimum: 0, description: 'First page number (default 1).' })),
  pageSize: PageSize,
  totalPagesPath: Type.Optional(Type.String({ description: 'Path to the page count; stops after the last page.' })),
  stopWhen: StopWhen,
});
export const PaginationLink = Variant('link', 'the Link response header (RFC 8288)', {
  rel: Type.Optional(Type.String({ description: 'Relation of the next page (default next).' })),
  pageSize: PageSize,
});
export const PaginationNextUrl = Variant('nextUrl', 'a next-page URL in the body', {
  path: Type.String({ minLength: 1, description: 'JSONata path to the next URL (next_page_uri, links.next); relative URLs resolve against the base URL.' }),
  stopWhen: StopWhen,
  pageSize: PageSize,
});
export const Pagination = Tagged([PaginationNone, PaginationCursor, PaginationOffset, PaginationPage, PaginationLink, PaginationNextUrl], 'How to page through the records.');
export const PAGINATION_KINDS = ['none', 'cursor', 'offset', 'page', 'link', 'nextUrl'] as const;

export const Records = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'JSONata path to the records in the body (data, response.items); omitted: the body itself.' })),
    single: Type.Optional(Type.Boolean({ description: 'The response is one record, not a list.' })),
    filter: Type.Optional(Expression('Keep only records for which this is truthy; the record is the input.')),
  },
  { additionalProperties: false, description: 'Where the records are in a response.' },
);

export const Incremental = Type.Object(
  {
    cursorField: Type.String({ minLength: 1, description: 'Path in the native record of the field that grows with each change (updated_at).' }),
    format: Type.Enum(['iso8601', 'unixSeconds', 'unixMillis', 'date'], { description: 'How the cursor field and the request parameter are written.' }),
    param: Type.Optional(Placement),
    startDate: Type.Optional(Template('Where a first sync starts: {{ $config.startDate }}.')),
    lookbackSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 31_536_000, description: 'Re-read this much before the stored cursor, for late writes (default 0).' })),
  },
  { additionalProperties: false, description: 'Incremental reads: only records changed since the stored cursor.' },
);

export const PartitionList = Variant('list', 'a fixed list of values', {
  values: Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1, description: 'The partition values.' }),
});
export const PartitionConfig = Variant('config', 'a list from the connection config', {
  key: Type.String({ minLength: 1, description: 'Config property holding an array (repositories).' }),
});
export const PartitionParent = Variant('parent', 'one request per record of another stream', {
  stream: Slug('Parent stream.'),
  value: Type.String({ minLength: 1, description: 'JSONata path in the parent record giving the partition value (id).' }),
});
export const Partitions = Tagged([PartitionList, PartitionConfig, PartitionParent], 'Partitions: the stream is read once per value, bound to $partition.');
export const PARTITION_KINDS = ['list', 'config', 'parent'] as const;

/** One canonical field: a JSONata path into the native record, a constant, or an expression. */
export const FieldMapping = Type.Union(
  [
    Type.Object({ path: Type.String({ minLength: 1, description: 'Path into the native record.' }) }, { additionalProperties: false, description: 'Copy a native field.' }),
    Type.Object({ const: Type.Unknown({ description: 'The constant value.' }) }, { additionalProperties: false, description: 'A constant.' }),
    Type.Object({ expr: Expression('Computed from the native record ($record) and $config, $partition, $now.') }, { additionalProperties: false, description: 'An expression.' }),
  ],
  { description: 'How one field is produced: { path }, { const } or { expr }.' },
);

export const Mapping = Type.Object(
  {
    fields: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*$' }), FieldMapping, { additionalProperties: false,
      description: 'Canonical field (dotted path for nested fields: totals.total) → how it is produced.',
    }),
    custom: Type.Optional(Type.Record(Type.String({ minLength: 1 }), FieldMapping, { description: 'Custom fields by name.' })),
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
    request: Request,
    records: Type.Optional(Records),
    primaryKey: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Paths in the native record whose values identify it (id).' }),
    pagination: Type.Optional(Pagination),
    incremental: Type.Optional(Incremental),
    partitions: Type.Optional(Partitions),
    mapping: Type.Optional(Mapping),
  },
  { additionalProperties: false, description: 'A stream of records read from one endpoint.' },
);
