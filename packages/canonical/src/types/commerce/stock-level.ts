import { CanonicalRecord, NullableInteger, RemoteRef, Text } from '../../conventions.ts';
import { defineCanonicalType, type CanonicalRecordOf } from '../../definition.ts';

// Counts are null when the source does not report them: null is "unknown", never 0; a real 0 is data.
export const stockLevelV1 = defineCanonicalType({
  name: 'commerce.stocklevel',
  version: 1,
  title: 'Stock level',
  description: 'How many units of one SKU a location holds, keyed by SKU and location.',
  key: ['sku', 'locationId'],
  schema: CanonicalRecord('Stock of one SKU at one location.', {
    sku: Text('Stock keeping unit counted.', { minLength: 1 }),
    locationId: Text('Remote id of the location holding the stock.', { minLength: 1 }),
    productId: RemoteRef('Product the SKU belongs to.'),
    variantId: RemoteRef('Product variant the SKU belongs to.'),
    quantity: NullableInteger('Units on hand; may be negative when oversold. Null when unknown, never 0.'),
    available: NullableInteger('Units that can be sold now; may be negative. Null when unknown.'),
    reserved: NullableInteger('Units held back (damaged, safety stock, quality control). Null when unknown.', { minimum: 0 }),
    committed: NullableInteger('Units promised to open orders, not yet shipped. Null when unknown.', { minimum: 0 }),
    incoming: NullableInteger('Units on their way to the location. Null when unknown.', { minimum: 0 }),
  }),
});
export type StockLevel = CanonicalRecordOf<typeof stockLevelV1>;
