import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import {
  CanonicalRecord,
  CanonicalRegistry,
  canonicalJsonSchema,
  defineCanonicalType,
  Enumerated,
  getCanonicalType,
  listCanonicalTypes,
  MoneyField,
  NullableText,
  REMOTE_KEY,
  Text,
  upcastCanonical,
  validateCanonical,
} from '../src/index.ts';

const widgetV1 = defineCanonicalType({
  name: 'acme.widget',
  version: 1,
  title: 'Widget',
  description: 'A widget of the ACME app.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A widget.', {
    label: Text('Display label.'),
    price: MoneyField('Price of the widget.'),
  }),
});

const widgetV2 = defineCanonicalType({
  name: 'acme.widget',
  version: 2,
  title: 'Widget',
  description: 'A widget of the ACME app, with its size.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A widget.', {
    name: Text('Display name (was label in v1).'),
    price: MoneyField('Price of the widget.'),
    size: Enumerated(['small', 'large'], 'Size of the widget.'),
    colour: NullableText('Colour, when known.'),
  }),
});

const widget = {
  id: 'acme.widget:acme:main:w1',
  remote: { connector: 'acme', connection: 'main', stream: 'widgets', id: 'w1' },
  createdAt: null,
  updatedAt: null,
  deleted: false,
  label: 'Sprocket',
  price: { amount: '3.50', currency: 'EUR' },
};

describe('registry', () => {
  it('lists at least 17 built-in types, and finds them by name, name@version and latest', () => {
    expect(listCanonicalTypes().length).toBeGreaterThanOrEqual(17);
    expect(getCanonicalType('commerce.order').version).toBe(1);
    expect(getCanonicalType('commerce.order@1').name).toBe('commerce.order');
    expect(getCanonicalType('commerce.order', 1)).toBe(getCanonicalType('commerce.order@1'));
  });

  it('refuses unknown types with a coded error and a hint', () => {
    expect(() => getCanonicalType('commerce.orders')).toThrow(expect.objectContaining({ code: 'CANONICAL_UNKNOWN_TYPE' }));
    expect(() => getCanonicalType('commerce.order@7')).toThrow(expect.objectContaining({ hint: 'Known versions of commerce.order: 1.' }));
    expect(() => validateCanonical('not a type', {})).toThrow(expect.objectContaining({ code: 'CANONICAL_UNKNOWN_TYPE' }));
  });

  it('registers a user type that follows the conventions and validates its records', () => {
    const registry = new CanonicalRegistry();
    registry.register(widgetV1);
    expect(validateCanonical('acme.widget@1', widget, registry).issues).toEqual([]);
    expect(() => registry.register(widgetV1)).toThrow(expect.objectContaining({ code: 'CANONICAL_DUPLICATE_TYPE' }));
  });

  it('refuses a user type that breaks the conventions, with every violation at its pointer', () => {
    const broken = defineCanonicalType({
      name: 'Acme.Gadget',
      version: 1,
      title: 'Gadget',
      description: 'A gadget.',
      key: ['serial'],
      schema: Type.Object({
        id: Type.String(),
        totalPrice: Type.Number({ description: 'Price as a float.' }),
        state: Type.Object({ value: Type.Enum(['on', 'off']) }, { additionalProperties: false, description: 'State.' }),
        seenAt: Type.String({ format: 'date-time' }),
      }),
    });
    let error: { code?: string; issues?: Array<{ pointer: string; rule?: string }> } = {};
    try {
      new CanonicalRegistry([]).register(broken);
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error.code).toBe('CANONICAL_CONVENTION_VIOLATION');
    const found = (error.issues ?? []).map((issue) => `${issue.rule} ${issue.pointer}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'name /name',
        'record-fields /schema/properties/remote',
        'closed-objects /schema',
        'money /schema/properties/totalPrice',
        'enum /schema/properties/state/properties/value',
        'enum /schema/properties/state',
        'timestamp /schema/properties/seenAt',
        'description /schema/properties/seenAt',
        'key /key/0',
      ]),
    );
  });

  it('upcasts @1 records to @2 through a registered upcaster and validates the result', () => {
    const registry = new CanonicalRegistry([]);
    registry.register(widgetV1);
    registry.register(widgetV2);
    expect(() => upcastCanonical('acme.widget@1', widget, { registry })).toThrow(
      expect.objectContaining({ code: 'CANONICAL_NO_UPCASTER' }),
    );
    registry.registerUpcaster({
      name: 'acme.widget',
      from: 1,
      upcast: ({ label, ...rest }) => ({ ...rest, name: label, size: { value: 'other', native: null }, colour: null }),
    });
    const upgraded = upcastCanonical<{ name: string; size: { value: string } }>('acme.widget@1', widget, { registry });
    expect(upgraded).toMatchObject({ name: 'Sprocket', size: { value: 'other' }, colour: null });
    expect(upgraded).not.toHaveProperty('label');
    expect(validateCanonical('acme.widget@2', upgraded, registry).valid).toBe(true);
    expect(upcastCanonical('acme.widget@2', upgraded, { registry })).toEqual(upgraded);
    expect(() => upcastCanonical('acme.widget', widget, { registry })).toThrow(/does not say which version/);
  });

  it('exports each type as a draft 2020-12 JSON Schema with a stable $id', () => {
    const schema = canonicalJsonSchema('commerce.order@1');
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:pullpush:canonical:commerce.order:1',
      type: 'object',
      additionalProperties: false,
    });
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
