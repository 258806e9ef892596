import Type from 'typebox';
import { CanonicalRecord, Enumerated, NullableText, RemoteRef, Timestamp, Url } from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

const Tracking = Type.Object(
  {
    carrier: NullableText('Carrier name as the source wrote it (Royal Mail, UPS).'),
    number: NullableText('Tracking number.'),
    url: Url('Tracking page of the parcel.'),
  },
  { additionalProperties: false, description: 'Tracking of one parcel.' },
);

const FulfillmentLine = Type.Object(
  {
    orderLineId: RemoteRef('Order line the units come from.'),
    sku: NullableText('Stock keeping unit shipped.'),
    quantity: Type.Integer({ minimum: 0, description: 'Units of the line in this fulfillment.' }),
  },
  { additionalProperties: false, description: 'One line of a fulfillment.' },
);

export const fulfillmentV1 = defineCanonicalType({
  name: 'commerce.fulfillment',
  version: 1,
  title: 'Fulfillment',
  description: 'A shipment of some or all lines of an order from one location, with its tracking.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A fulfillment of an order.', {
    orderId: RemoteRef('Order being fulfilled.'),
    locationId: RemoteRef('Location the units ship from.'),
    status: Enumerated(
      ['pending', 'open', 'in_transit', 'delivered', 'cancelled', 'failed'],
      'Where the fulfillment stands.',
    ),
    tracking: Type.Array(Tracking, { description: 'Tracking of each parcel, in source order.' }),
    lines: Type.Array(FulfillmentLine, { description: 'Order lines and quantities shipped.' }),
    shippedAt: Timestamp('When the parcel left the location.'),
    deliveredAt: Timestamp('When the parcel was delivered.'),
  }),
});
export type Fulfillment = CanonicalRecordOf<typeof fulfillmentV1>;
