import Type from 'typebox';
import { Expression, Headers, QueryParams, Template, Templates } from './building-blocks.ts';
import type { ExpressionContext } from './contexts.ts';

export const HttpSettings = Type.Object(
  {
    baseUrl: Template(
      'Base URL of the API; https is required. May come from config: https://{{ $config.subdomain }}.zendesk.com/api/v2, or {{ $config.baseUrl }} for a self-hosted API (its scheme is then checked when the connector runs).',
      'connection',
    ),
    headers: Type.Optional(Headers('connection')),
    query: Type.Optional(QueryParams('connection')),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 300_000, description: 'Timeout of one request in milliseconds (default 30000).' })),
    allowedHosts: Type.Optional(
      Type.Array(Type.String({ pattern: '^(\\*\\.)?[a-z0-9.-]+(:[0-9]+)?$', description: 'Host name, optionally with a *. prefix or a port.' }), {
        description: 'Hosts besides the base URL host that requests may go to (a token URL, a CDN for downloads).',
        uniqueItems: true,
      }),
    ),
    format: Type.Optional(Type.Enum(['json', 'jsonl', 'csv'], { description: 'Response body format (default json).' })),
  },
  { additionalProperties: false, description: 'How to reach the API.' },
);

/** A request of a stream, a write, a lookup or a login; `context` decides what its templates see. */
export function Request(context: ExpressionContext) {
  return Type.Object(
    {
      method: Type.Optional(Type.Enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], { description: 'HTTP method (default GET).' })),
      path: Template('Path relative to the base URL (/customers), or an absolute URL on an allowed host.', context),
      query: Type.Optional(QueryParams(context)),
      headers: Type.Optional(Headers(context)),
      body: Type.Optional(Templates('JSON body.', context)),
      search: Type.Optional(Type.Boolean({ description: 'A POST that only reads (a search endpoint): allowed in read-only test runs.' })),
    },
    { additionalProperties: false, description: 'An HTTP request.' },
  );
}

export const ResponseFilter = Type.Object(
  {
    status: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1, description: 'Statuses this filter matches.' })),
    bodyMatches: Type.Optional(Expression('Truthy when the filter matches; the parsed body is the input, $status and $headers are bound.', 'responseFilter')),
    action: Type.Enum(['retry', 'fail', 'ignore', 'rateLimited', 'refreshAuth'], {
      description: 'retry with backoff; fail the stream; ignore (treat as an empty page); rateLimited (wait, then retry); refreshAuth (refresh credentials, then retry once).',
    }),
    message: Type.Optional(Type.String({ description: 'Message reported when the filter acts (failures and ignores).' })),
  },
  { additionalProperties: false, description: 'What to do with responses matching a status and/or body condition.' },
);
