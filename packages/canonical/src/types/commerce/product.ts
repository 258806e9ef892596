import Type from 'typebox';
import {
  CanonicalRecord,
  Enumerated,
  MoneyField,
  NullableBoolean,
  NullableEnumerated,
  NullableInteger,
  NullableNumber,
  NullableText,
  Text,
  Timestamp,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

const OptionValue = Type.Object(
  {
    name: Text('Option name (Size, Colour).', { minLength: 1 }),
    value: Text('Value of the option for this variant (M, Black).'),
  },
  { additionalProperties: false, description: 'One option value of a variant.' },
);

const ProductVariant = Type.Object(
  {
    id: Text('Remote id of the variant.', { minLength: 1 }),
    sku: NullableText('Stock keeping unit of the variant.'),
    title: NullableText('Variant title as the source shows it (M / Black).'),
    options: Type.Array(OptionValue, { description: 'Option values that define the variant, in option order.' }),
    price: MoneyField('Selling price of one unit.'),
    compareAtPrice: MoneyField('Original price shown struck through when the variant is on sale.'),
    barcode: NullableText('Barcode (EAN, UPC, ISBN) as written by the source.'),
    weight: NullableNumber('Weight of one unit, in weightUnit.', { minimum: 0 }),
    weightUnit: NullableEnumerated(['g', 'kg', 'lb', 'oz'], 'Unit of the weight.'),
    inventoryTracked: NullableBoolean('True when the source tracks stock for the variant.'),
    requiresShipping: NullableBoolean('True when the variant is a physical item that ships.'),
    taxable: NullableBoolean('True when tax is charged on the variant.'),
    position: NullableInteger('Position of the variant in the product, from 1.', { minimum: 1 }),
  },
  { additionalProperties: false, description: 'One purchasable variant of a product.' },
);

const ProductImage = Type.Object(
  {
    url: Text('Address of the image.', { format: 'uri' }),
    alt: NullableText('Alternative text of the image.'),
  },
  { additionalProperties: false, description: 'One image of a product.' },
);

export const productV1 = defineCanonicalType({
  name: 'commerce.product',
  version: 1,
  title: 'Product',
  description: 'A product of a shop catalogue with its variants, images and publication state.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A catalogue product with its variants embedded.', {
    title: Text('Product title.'),
    description: NullableText('Product description (body), HTML as the source wrote it.'),
    vendor: NullableText('Vendor or brand of the product.'),
    productType: NullableText('Product type or category, as the source names it.'),
    status: Enumerated(['active', 'draft', 'archived'], 'Publication state of the product.'),
    handle: NullableText('URL handle or slug of the product (classic-mug).'),
    tags: Type.Array(Type.String(), { description: 'Tags of the product in the source.' }),
    images: Type.Array(ProductImage, { description: 'Images of the product, in display order.' }),
    variants: Type.Array(ProductVariant, { description: 'Variants of the product, in source order.' }),
    publishedAt: Timestamp('When the product was published to the storefront.'),
  }),
});
export type Product = CanonicalRecordOf<typeof productV1>;
