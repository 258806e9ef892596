import { Address, CanonicalRecord, Enumerated, Nullable, NullableBoolean, Text } from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

export const locationV1 = defineCanonicalType({
  name: 'commerce.location',
  version: 1,
  title: 'Location',
  description: 'A place that holds stock or fulfils orders: warehouse, shop, drop-shipper or fulfilment service.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A stock or fulfilment location.', {
    name: Text('Name of the location.'),
    kind: Enumerated(
      ['warehouse', 'store', 'dropship', 'fulfillment_service', 'virtual'],
      'What kind of place the location is.',
    ),
    address: Nullable(Address, { description: 'Address of the location; null when it has none.' }),
    active: NullableBoolean('True when the location is in use.'),
    fulfillsOnlineOrders: NullableBoolean('True when online orders can be fulfilled from the location.'),
  }),
});
export type Location = CanonicalRecordOf<typeof locationV1>;
