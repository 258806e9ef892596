// The building blocks every canonical type is made of, so that the conventions hold by construction:
// money is a decimal string plus an ISO 4217 code, timestamps are ISO 8601 UTC, enums are closed with
// `other` and keep the native value, `null` means "no data", and every record carries its identity.
import Type, { type Static, type TSchema } from 'typebox';

/** A decimal number written as a string: optional minus, no exponent, no leading zeros, no float rounding. */
export const DECIMAL_PATTERN = '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$';
/** ISO 8601 date-time in UTC (`Z`), seconds required, up to nanoseconds. */
export const UTC_TIMESTAMP_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$';
/** Ajv format names registered by the validator for the checks JSON Schema patterns cannot make. */
export const CURRENCY_FORMAT = 'iso4217';
/** Longest decimal string accepted: beyond this a value is a mistake, not money. */
export const MAX_DECIMAL_LENGTH = 64;

type WithDescription = { description: string };

/** A JSON Schema whose `type` gets `null` added: "no data" is `null`, never a coerced zero or empty string. */
export function Nullable<T extends TSchema>(schema: T, options?: WithDescription) {
  const source = schema as TSchema & { type?: string | string[]; enum?: unknown[] };
  const nullable: Record<string, unknown> = { ...source, ...options };
  if (Array.isArray(source.enum)) nullable['enum'] = [...source.enum, null];
  if (typeof source.type === 'string') nullable['type'] = [source.type, 'null'];
  else if (source.type === undefined && source.enum === undefined) {
    return Type.Unsafe<Static<T> | null>({ ...options, anyOf: [schema, { type: 'null' }] });
  }
  return Type.Unsafe<Static<T> | null>(nullable as unknown as TSchema);
}

export function Text(description: string, options: { minLength?: number; maxLength?: number; format?: string } = {}) {
  return Type.String({ description, ...options });
}

export function NullableText(description: string) {
  return Nullable(Type.String(), { description });
}

/** ISO 4217 alphabetic currency code such as `EUR`; checked against the runtime's list of currencies. */
export const CurrencyCode = Type.String({
  description: 'ISO 4217 alphabetic currency code, upper case (EUR, USD, JPY).',
  pattern: '^[A-Z]{3}$',
  format: CURRENCY_FORMAT,
});

/** A decimal number as a string, never a float. */
export function Decimal(description: string) {
  return Type.String({ description, pattern: DECIMAL_PATTERN, maxLength: MAX_DECIMAL_LENGTH });
}

export const Money = Type.Object(
  {
    amount: Decimal('Amount in the currency\'s major unit as a decimal string ("19.99"), never a float.'),
    currency: CurrencyCode,
  },
  { additionalProperties: false, description: 'An amount of money: decimal string plus ISO 4217 currency.' },
);
export type Money = Static<typeof Money>;

/** An amount that is always present (a payment's amount): Money with its own description. */
export function RequiredMoney(description: string) {
  return Type.Object(Money.properties, { additionalProperties: false, description });
}

export function MoneyField(description: string) {
  return Nullable(Money, { description: `${description} Null when the source has no value.` });
}

/** ISO 8601 timestamp in UTC, or null when unknown. */
export function Timestamp(description: string) {
  return Nullable(Type.String({ format: 'date-time', pattern: UTC_TIMESTAMP_PATTERN }), {
    description: `${description} ISO 8601 in UTC (2026-01-31T09:30:00Z); null when unknown.`,
  });
}

/** Calendar date (YYYY-MM-DD), or null when unknown. */
export function DateOnly(description: string) {
  return Nullable(Type.String({ format: 'date' }), { description: `${description} YYYY-MM-DD; null when unknown.` });
}

/** Whole number or null: a real 0 is data, a missing value is null and must never become 0. */
export function NullableInteger(description: string, options: { minimum?: number } = {}) {
  return Nullable(Type.Integer(options), { description });
}

export function NullableNumber(description: string, options: { minimum?: number; maximum?: number } = {}) {
  return Nullable(Type.Number(options), { description });
}

export function NullableBoolean(description: string) {
  return Nullable(Type.Boolean(), { description });
}

export function Email(description: string) {
  return Nullable(Type.String({ format: 'email' }), { description });
}

export function Url(description: string) {
  return Nullable(Type.String({ format: 'uri' }), { description });
}

/**
 * A closed enum: `value` is one of `values` or `other`, and `native` keeps the source's own value so nothing
 * is lost when a source has a state the canonical model does not name.
 */
export function Enumerated<const V extends readonly string[]>(values: V, description: string) {
  const all = [...values, 'other'] as [...V, 'other'];
  return Type.Object(
    {
      value: Type.Enum(all, { description: `Canonical value: ${all.join(', ')}.` }),
      native: Nullable(Type.String(), { description: 'The value as the source wrote it; null when the source had none.' }),
    },
    { additionalProperties: false, description: `${description} A closed enum with the native value kept.` },
  );
}

export function NullableEnumerated<const V extends readonly string[]>(values: V, description: string) {
  return Nullable(Enumerated(values, description), { description: `${description} Null when unknown.` });
}

/** Where a record came from: enough to find it again in the source system. */
export const RemoteIdentity = Type.Object(
  {
    connector: Text('Connector id that produced the record (shopify).', { minLength: 1 }),
    connection: Text('Connection id: one account of that connector (acme-store).', { minLength: 1 }),
    stream: Text('Stream of the connector the record was read from (orders).', { minLength: 1 }),
    id: Text('The record\'s id in the source system, as a string.', { minLength: 1 }),
    url: Type.Optional(Type.String({ format: 'uri', description: 'Link to the record in the source system.' })),
  },
  { additionalProperties: false, description: 'Source identity of the record.' },
);
export type RemoteIdentity = Static<typeof RemoteIdentity>;

/** Fields every canonical record has, in this order, before its own. */
export function recordFields() {
  return {
    id: Text('Canonical key of the record (see the type\'s key fields); stable across reads.', { minLength: 1 }),
    remote: RemoteIdentity,
    createdAt: Timestamp('When the record was created in the source.'),
    updatedAt: Timestamp('When the record was last changed in the source.'),
    deleted: Type.Boolean({ description: 'True for a tombstone: the record was deleted in the source.' }),
  };
}

/** Fields every canonical record may have, after its own. */
export function extensionFields() {
  return {
    custom: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Custom fields of the source (custom attributes, metafields), by name.',
      }),
    ),
    raw: Type.Optional(Type.Unknown({ description: 'The native record as the source returned it.' })),
  };
}

/**
 * A canonical record schema: the common identity fields, then `fields`, then `custom` and `raw`.
 * Records are closed (`additionalProperties: false`): anything a source adds goes into `custom`.
 */
export function CanonicalRecord<P extends Record<string, TSchema>>(description: string, fields: P) {
  return Type.Object(
    { ...recordFields(), ...fields, ...extensionFields() },
    { additionalProperties: false, description },
  );
}

export const Address = Type.Object(
  {
    name: NullableText('Name of the person or company at the address.'),
    company: NullableText('Company name.'),
    line1: NullableText('First street line.'),
    line2: NullableText('Second street line (apartment, suite).'),
    city: NullableText('City or locality.'),
    region: NullableText('State, province or region, as the source wrote it.'),
    postalCode: NullableText('Postal or ZIP code.'),
    country: Nullable(Type.String({ pattern: '^[A-Z]{2}$' }), { description: 'ISO 3166-1 alpha-2 country code.' }),
    phone: NullableText('Phone number as written by the source.'),
  },
  { additionalProperties: false, description: 'A postal address.' },
);
export type Address = Static<typeof Address>;

/** A reference to another record of the same source, by its remote id. */
export function RemoteRef(description: string) {
  return Nullable(Type.String({ minLength: 1 }), { description: `${description} Remote id in the same source; null when none.` });
}
