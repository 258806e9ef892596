// The writable fields of a resource: how each value is checked, what it defaults to, and the form records keep it
// in. A check names every problem it finds, nested ones by their path (line_items[2].quantity), so a mapping
// mistake shows in full in one 422.
import { isoSeconds, parseClientTime } from '../time.ts';

export interface FieldError {
  /** The field, or the path to a nested value: shipping_address.zip, line_items[0].quantity. */
  field: string;
  message: string;
}

/** Checks a value; returns its problems, none when it is fine. `at` names the value in messages. */
export type Check = (value: unknown, at: string) => FieldError[];

/** What a default may depend on: the body being written, and when the record was (or is being) created. */
export interface DefaultContext {
  body: Readonly<Record<string, unknown>>;
  createdAt: string;
}

export interface Field {
  check: Check;
  /** The value a create or a replace gives the field when the body leaves it out. */
  default: (context: DefaultContext) => unknown;
  /** Brings an accepted value to the form records hold (timestamps as 2026-01-15T08:31:07Z); default: as sent. */
  normalize?: (value: unknown) => unknown;
}

/** A field whose default is a constant (or computed, when a function is given). */
export function field(check: Check, fallback: unknown, normalize?: (value: unknown) => unknown): Field {
  const defaultOf = typeof fallback === 'function' ? (fallback as Field['default']) : () => structuredClone(fallback);
  return { check, default: defaultOf, ...(normalize === undefined ? {} : { normalize }) };
}

/** A check from a test and the message when it fails. */
export function rule(test: (value: unknown) => boolean, message: string): Check {
  return (value, at) => (test(value) ? [] : [{ field: at, message }]);
}

/** Null is fine too; any other value must pass `check` (whose message gains "or null"). */
export function nullable(check: Check): Check {
  return (value, at) => (value === null ? [] : check(value, at).map((error) => (error.field === at ? { ...error, message: `${error.message} or null` } : error)));
}

export const string = rule((value) => typeof value === 'string', 'must be a string');
export const boolean = rule((value) => typeof value === 'boolean', 'must be true or false');
export const email = rule((value) => typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value), 'must be an email address');
export const currency = rule((value) => typeof value === 'string' && /^[A-Z]{3}$/.test(value), 'must be a three-letter currency code such as "EUR"');
/** Money and rates as the records hold them: a decimal string, never a float ("12.30", "0.20", "1200"). */
export const decimal = rule((value) => typeof value === 'string' && /^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value), 'must be a decimal string such as "12.30"');
export const timestamp = rule((value) => typeof value === 'string' && parseClientTime(value) !== undefined, 'must be an ISO 8601 timestamp');

/** Timestamps are kept in the one form every record timestamp has, so they sort and compare as text. */
export const toIsoSeconds = (value: unknown): unknown => (typeof value === 'string' ? isoSeconds(parseClientTime(value) as number) : value);

export function oneOf(values: readonly string[]): Check {
  return rule((value) => values.includes(value as string), `must be one of ${values.join(', ')}`);
}

export function integer(minimum?: number): Check {
  const message = minimum === undefined ? 'must be an integer' : `must be an integer of at least ${minimum}`;
  return rule((value) => Number.isSafeInteger(value) && (minimum === undefined || (value as number) >= minimum), message);
}

/** An array whose items pass `item`; problems are named by position (line_items[2].sku). */
export function listOf(item: Check, what: string): Check {
  return (value, at) => (Array.isArray(value) ? value.flatMap((one, i) => item(one, `${at}[${i}]`)) : [{ field: at, message: `must be an array of ${what}` }]);
}

/** An object with only the given keys, each passing its check; `required` keys must be there. */
export function objectOf(shape: Readonly<Record<string, Check>>, what: string, required: readonly string[] = []): Check {
  return (value, at) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field: at, message: `must be ${what}` }];
    const errors: FieldError[] = [];
    for (const [key, item] of Object.entries(value)) {
      const check = shape[key];
      if (check === undefined) errors.push({ field: `${at}.${key}`, message: `is not a field of ${what}` });
      else errors.push(...check(item, `${at}.${key}`));
    }
    for (const key of required) if (!(key in value)) errors.push({ field: `${at}.${key}`, message: 'is required' });
    return errors;
  };
}

/** The fields of a postal address, as customers' addresses and orders' shipping and billing addresses have them. */
export const ADDRESS_FIELDS = ['first_name', 'last_name', 'company', 'address1', 'address2', 'city', 'province', 'zip', 'country_code', 'phone'] as const;

const nullableString = nullable(string);

/** An address object: any of ADDRESS_FIELDS, each a string or null. */
export const address = objectOf(Object.fromEntries(ADDRESS_FIELDS.map((key) => [key, nullableString])), `an address (${ADDRESS_FIELDS.join(', ')})`);

/** An address with every field present, in the records' order; the ones left out are null. */
export function fullAddress(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(ADDRESS_FIELDS.map((key) => [key, value[key] ?? null]));
}

/** A text field that may be null (the most common kind), null unless given. */
export const text = field(nullableString, null);
