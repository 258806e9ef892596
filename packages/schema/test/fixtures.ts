// A small valid definition the rule tests start from; each test breaks one thing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests break the fixture anywhere, freely typed
export function shopDefinition(): Record<string, any> {
  return {
    dsl: 'pullpush/v1',
    id: 'shop',
    name: 'Shop',
    version: '1.0.0',
    config: {
      type: 'object',
      properties: {
        shop: { type: 'string', description: 'Shop subdomain.' },
        apiKey: { type: 'string', secret: true },
        startDate: { type: 'string', format: 'date-time' },
        locations: { type: 'array', items: { type: 'string' } },
      },
      required: ['shop', 'apiKey'],
    },
    http: { baseUrl: 'https://{{ $config.shop }}.shop.example.com/api', headers: { Accept: 'application/json' } },
    auth: { kind: 'apiKey', in: 'header', name: 'X-Api-Key', value: '{{ $config.apiKey }}' },
    rateLimits: { budgets: [{ requests: 10, perSeconds: 1 }], maxConcurrency: 2 },
    streams: {
      customers: {
        canonical: 'commerce.customer@1',
        request: { path: '/customers', query: { status: 'any' } },
        records: { path: 'customers' },
        primaryKey: ['id'],
        pagination: {
          kind: 'cursor',
          cursor: { from: 'body', path: 'next_cursor' },
          param: { in: 'query', name: 'cursor' },
          stopWhen: '$not(has_more)',
          pageSize: { param: { in: 'query', name: 'limit' }, value: 100 },
        },
        incremental: { cursorField: 'updated_at', format: 'iso8601', param: { in: 'query', name: 'updated_since' }, startDate: '{{ $config.startDate }}' },
        mapping: {
          fields: {
            createdAt: { path: 'created_at' },
            updatedAt: { path: 'updated_at' },
            email: { expr: '$lowercase(email)' },
            state: { expr: "{ 'value': state = 'enabled' ? 'enabled' : 'other', 'native': state }" },
          },
          keepRaw: true,
        },
      },
      stock: {
        canonical: 'commerce.stocklevel@1',
        request: { path: '/locations/{{ $partition }}/stock' },
        records: { path: 'levels' },
        primaryKey: ['sku', 'location_id'],
        partitions: { kind: 'config', key: 'locations' },
        pagination: { kind: 'page', pageParam: { in: 'query', name: 'page' }, totalPages: { from: 'body', path: 'meta.pages' } },
        incremental: { cursorField: 'updated_at', format: 'iso8601' },
        mapping: { fields: { sku: { path: 'sku' }, locationId: { expr: '$partition' }, quantity: { path: 'on_hand' } } },
      },
    },
    check: { stream: 'customers' },
  };
}
