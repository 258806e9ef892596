// The connector the engine runs in the benchmark: bearer auth, cursor pagination (pages of 100), orders mapped
// to commerce.order@1 — the same work the hand-written baseline does.
export function benchDefinition(url: string) {
  const money = (field: string) => ({ expr: `{ 'amount': ${field}, 'currency': currency }` });
  return {
    dsl: 'pullpush/v1',
    id: 'bench-shop',
    name: 'Bench shop',
    version: '1.0.0',
    config: { type: 'object', properties: { token: { type: 'string', secret: true } }, required: ['token'] },
    http: { baseUrl: url },
    auth: { kind: 'bearer', token: '{{ $config.token }}' },
    rateLimits: { maxConcurrency: 1 },
    streams: {
      orders: {
        canonical: 'commerce.order@1',
        request: { path: '/cursor/orders' },
        records: { path: 'data' },
        primaryKey: ['id'],
        pagination: {
          kind: 'cursor',
          cursor: { from: 'body', path: 'next_cursor' },
          param: { in: 'query', name: 'cursor' },
          stopWhen: '$not(has_more)',
          pageSize: { param: { in: 'query', name: 'limit' }, value: 100 },
        },
        mapping: {
          fields: {
            createdAt: { path: 'created_at' },
            updatedAt: { path: 'updated_at' },
            number: { path: 'name' },
            status: { expr: "{ 'value': status = 'closed' ? 'completed' : status, 'native': status }" },
            paymentStatus: { expr: "{ 'value': financial_status, 'native': financial_status }" },
            fulfillmentStatus: {
              expr: "{ 'value': fulfillment_status = 'fulfilled' ? 'fulfilled' : fulfillment_status = 'partial' ? 'partially_fulfilled' : 'unfulfilled', 'native': fulfillment_status }",
            },
            customerId: { expr: 'customer_id = null ? null : $string(customer_id)' },
            email: { path: 'email' },
            currency: { path: 'currency' },
            lines: {
              expr: "[line_items.{ 'id': $string(id), 'productId': $string(product_id), 'variantId': $string(variant_id), 'sku': sku, 'name': title, 'quantity': quantity, 'unitPrice': { 'amount': price, 'currency': $$.currency }, 'discount': { 'amount': total_discount, 'currency': $$.currency }, 'tax': { 'amount': tax, 'currency': $$.currency }, 'total': null }]",
            },
            'totals.subtotal': money('subtotal_price'),
            'totals.discount': money('total_discounts'),
            'totals.shipping': money('total_shipping'),
            'totals.tax': money('total_tax'),
            'totals.total': money('total_price'),
            placedAt: { path: 'processed_at' },
            cancelledAt: { path: 'cancelled_at' },
            closedAt: { path: 'closed_at' },
            note: { path: 'note' },
            tags: { expr: "tags = '' ? [] : $split(tags, ', ')" },
          },
        },
      },
    },
  };
}
