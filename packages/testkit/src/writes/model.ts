// What a writable resource declares (its WriteModel): the fields a body may carry and which of them each kind of
// write accepts, the values that must stay unique, and how the server builds a new record and the changes of a
// write (ids, numbers and timestamps it assigns). routes/writes.ts runs the HTTP side for every model alike.
import type { AnyRecord } from '../data/types.ts';
import { problem, type Parsed, type RequestContext } from '../http.ts';
import type { KeyOf, Store } from '../store.ts';
import type { Field, FieldError } from './fields.ts';

/**
 * create: POST /{r} and PUT /{r} (an upsert), every field allowed; replace: PUT /{r}/{id}, the changeable fields,
 * the ones left out reset; change: PATCH /{r}/{id}, the changeable fields given.
 */
export type WriteMode = 'create' | 'replace' | 'change';

/** A value no two live records may share: a create or change that would duplicate it answers 409. */
export interface UniqueRule {
  /** The key of a record (or of the fields being written); undefined when it has none (a null email). */
  keyOf: KeyOf;
  /** The message of the 409, for the key of `fields`. */
  conflict(fields: Readonly<Record<string, unknown>>): string;
  /**
   * The key is what the record is (a stock level is the stock of one sku at one location): refused as a duplicate
   * even by a server started with `uniqueWrites: false`, which lets other duplicates through.
   */
  identity?: true;
}

export interface WriteModel {
  /** Every writable field, in the order records list them. */
  fields: Readonly<Record<string, Field>>;
  /** The fields replace and change accept (default: all); the others are fixed once the record exists. */
  changeable?: readonly string[];
  /** The fields a create must carry (and a replace, among the changeable ones). */
  required: readonly string[];
  /** Values that must stay unique (409 conflict with existing_id). */
  unique: readonly UniqueRule[];
  /** The rule PUT /{r} upserts by; without one, PUT on the collection answers 405. */
  upsertBy?: UniqueRule;
  /** The new record, from every writable field (complete) and the creation time. */
  create(store: Store, fields: Record<string, unknown>, at: string): AnyRecord;
  /** The changes a write of `fields` makes to `record` (default: the fields as they are). */
  changes?(store: Store, record: AnyRecord, fields: Record<string, unknown>): Record<string, unknown>;
}

/** The fields a write of this mode may carry. */
function allowed(model: WriteModel, mode: WriteMode): readonly string[] {
  return mode === 'create' ? Object.keys(model.fields) : (model.changeable ?? Object.keys(model.fields));
}

const notAnObject = () => ({ ok: false, reply: problem('generic', 400, 'invalid_json', 'the request body must be a JSON object') }) as const;

/** The body of a write: a JSON object of allowed fields of the right types, normalized; else 400 or 422 with every problem. */
export function parseBody(ctx: RequestContext, model: WriteModel, mode: WriteMode): Parsed<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(ctx.body ?? '');
  } catch {
    return notAnObject();
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return notAnObject();
  const fields = allowed(model, mode);
  const errors: FieldError[] = [];
  const value: Record<string, unknown> = {};
  for (const [name, given] of Object.entries(body)) {
    const spec = model.fields[name];
    if (spec === undefined) errors.push({ field: name, message: 'is not a writable field' });
    else if (!fields.includes(name)) errors.push({ field: name, message: `cannot be changed once the record exists; writable here: ${fields.join(', ')}` });
    else {
      const problems = spec.check(given, name);
      errors.push(...problems);
      if (problems.length === 0) value[name] = spec.normalize === undefined ? given : spec.normalize(given);
    }
  }
  if (mode !== 'change') {
    for (const name of model.required) if (fields.includes(name) && !(name in body)) errors.push({ field: name, message: 'is required' });
  }
  if (errors.length > 0) return { ok: false, reply: problem('generic', 422, 'validation_failed', 'the record is not valid', {}, { fields: errors }) };
  return { ok: true, value };
}

/** The body with every field of the mode that it leaves out at its default (a create or a replace resets them). */
export function complete(model: WriteModel, mode: WriteMode, body: Record<string, unknown>, createdAt: string): Record<string, unknown> {
  const context = { body, createdAt };
  return Object.fromEntries(allowed(model, mode).map((name) => [name, name in body ? body[name] : (model.fields[name] as Field).default(context)]));
}

/** The email rule of contacts and customers: unique without regard to case. */
export const UNIQUE_EMAIL: UniqueRule = {
  keyOf: (record) => (typeof record['email'] === 'string' ? record['email'].toLowerCase() : undefined),
  conflict: (fields) => `a record with email ${String(fields['email'])} already exists`,
};
