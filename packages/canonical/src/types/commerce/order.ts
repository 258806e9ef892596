import Type from 'typebox';
import {
  Address,
  CanonicalRecord,
  CurrencyCode,
  Email,
  Enumerated,
  MoneyField,
  Nullable,
  NullableText,
  RemoteRef,
  Text,
  Timestamp,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

const OrderLine = Type.Object(
  {
    id: Text('Remote id of the line within the order.', { minLength: 1 }),
    productId: RemoteRef('Product the line sells.'),
    variantId: RemoteRef('Product variant the line sells.'),
    sku: NullableText('Stock keeping unit of the item sold.'),
    name: Text('Item name as shown on the order.'),
    quantity: Type.Integer({ minimum: 0, description: 'Units ordered.' }),
    unitPrice: MoneyField('Price of one unit before discounts and tax.'),
    discount: MoneyField('Discount applied to the whole line.'),
    tax: MoneyField('Tax charged on the line.'),
    total: MoneyField('Line total after discounts, including tax if the source includes it.'),
  },
  { additionalProperties: false, description: 'One line of an order.' },
);

const OrderTotals = Type.Object(
  {
    subtotal: MoneyField('Sum of the lines before order-level discounts, shipping and tax.'),
    discount: MoneyField('Total discounts.'),
    shipping: MoneyField('Shipping charged.'),
    tax: MoneyField('Total tax.'),
    total: MoneyField('Amount the customer pays.'),
    refunded: MoneyField('Amount refunded so far.'),
  },
  { additionalProperties: false, description: 'Order totals, each in the order currency.' },
);

export const orderV1 = defineCanonicalType({
  name: 'commerce.order',
  version: 1,
  title: 'Order',
  description: 'A sales order from a shop or marketplace, with its lines, addresses, totals and lifecycle.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A sales order.', {
    number: NullableText('Order number shown to the customer (#1001).'),
    status: Enumerated(['draft', 'open', 'completed', 'cancelled'], 'Lifecycle of the order.'),
    paymentStatus: Enumerated(
      ['pending', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded', 'voided', 'failed'],
      'Where the payment of the order stands.',
    ),
    fulfillmentStatus: Enumerated(
      ['unfulfilled', 'partially_fulfilled', 'fulfilled', 'returned'],
      'Where the delivery of the order stands.',
    ),
    customerId: RemoteRef('Customer who placed the order.'),
    email: Email('Email address given with the order.'),
    currency: CurrencyCode,
    lines: Type.Array(OrderLine, { description: 'Order lines, in source order.' }),
    totals: OrderTotals,
    billingAddress: Nullable(Address, { description: 'Billing address; null when none was given.' }),
    shippingAddress: Nullable(Address, { description: 'Shipping address; null when none was given.' }),
    placedAt: Timestamp('When the order was placed.'),
    cancelledAt: Timestamp('When the order was cancelled.'),
    closedAt: Timestamp('When the order was closed or completed.'),
    note: NullableText('Note the customer or staff left on the order.'),
    tags: Type.Array(Type.String(), { description: 'Tags of the order in the source.' }),
  }),
});
export type Order = CanonicalRecordOf<typeof orderV1>;
