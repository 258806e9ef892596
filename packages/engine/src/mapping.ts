// Native → canonical mapping, compiled once per stream: each canonical field from a path, a constant or an
// expression; defaults for what a source does not say (null for nullable fields, [] for arrays, deleted false);
// identity (remote, id) filled by the engine; the result validated with the type's compiled validator.
import { canonicalKey, canonicalValidator, PullPushError, type CanonicalTypeDefinition, type Issue } from '@pullpush/canonical';
import type { FieldMappingSpec, MappingSpec } from '@pullpush/schema';
import { NOT_SYNC } from './expr/compile.ts';
import { generateAssembly, generateObjectFiller, generateRootFiller, type AssemblyProgress, type DefaultedMember } from './mapping-assembly.ts';
import { pointer } from './pointer.ts';
import type { Bindings, SiteTable } from './sites.ts';

/** The variables of a mapping bar the record, which each call brings. */
export type MappingBindings = Omit<Bindings<'mapping'>, 'record'>;

type Schema = Record<string, unknown>;
type Json = Record<string, unknown>;

export interface MappingContext {
  connector: string;
  connection: string;
  stream: string;
  primaryKey: readonly string[];
  sites: SiteTable;
}

export type MappingResult =
  | { ok: true; record: Json; remoteId: string }
  | { ok: false; remoteId: string; issues: Issue[]; message: string };

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectBranch(schema: Schema): Schema | undefined {
  if (isSchema(schema['properties'])) return schema;
  const anyOf = schema['anyOf'];
  return Array.isArray(anyOf) ? (anyOf.find((branch) => isSchema(branch) && isSchema(branch['properties'])) as Schema | undefined) : undefined;
}

function arrayItems(schema: Schema): Schema | undefined {
  if (isSchema(schema['items'])) return schema['items'];
  const anyOf = Array.isArray(schema['anyOf']) ? schema['anyOf'] : [];
  const branch = anyOf.find((candidate) => isSchema(candidate) && isSchema(candidate['items'])) as Schema | undefined;
  return branch && isSchema(branch['items']) ? branch['items'] : undefined;
}

function types(schema: Schema): string[] {
  const type = schema['type'];
  if (Array.isArray(type)) return type as string[];
  if (typeof type === 'string') return [type];
  return Array.isArray(schema['anyOf']) ? schema['anyOf'].flatMap((branch) => (isSchema(branch) ? types(branch) : [])) : [];
}

type Filler = (value: unknown) => unknown;

/** What a required property the source left out becomes: false for `deleted`, null where allowed, [] for arrays. */
function missingValue(objectSchema: Schema, name: string): (() => unknown) | undefined {
  const required = Array.isArray(objectSchema['required']) ? (objectSchema['required'] as string[]) : [];
  if (!required.includes(name)) return undefined;
  const kinds = types((objectSchema['properties'] as Record<string, Schema>)[name] ?? {});
  if (name === 'deleted' && kinds.includes('boolean')) return () => false;
  if (kinds.includes('null')) return () => null;
  if (kinds.includes('array')) return () => [];
  return undefined;
}

/**
 * An object with the given keys, all undefined, whose spread copy is the root record of each mapping. Storing into
 * properties a record already has keeps V8's fast object layout; adding twenty-odd properties one by one through
 * the mapping's shared (megamorphic) store turns the record into a slow dictionary, which every later step —
 * validation, canonicalization, digest, serialization — then pays for.
 */
function recordShape(keys: Iterable<string>): Json {
  return Object.fromEntries(Array.from(keys, (key) => [key, undefined])) as Json;
}

/**
 * Compiles, once per type, what fills in what a source left out: nullable fields null, arrays empty, booleans
 * named deleted false — recursively. Copy on write: objects that need nothing are returned as they are, and
 * nothing is changed in place, because mapped values may be parts of the native record (kept as `raw`).
 * Returns undefined when a schema has nothing to fill. `root` is for the root record, which the mapping built and
 * fills in place, with the members it sets on every record.
 */
function compileDefaults(schema: Schema, root?: { alwaysSet: ReadonlySet<string> }): Filler | undefined {
  const items = arrayItems(schema);
  if (items) {
    const fill = compileDefaults(items);
    if (!fill) return undefined;
    return (value) => {
      if (!Array.isArray(value)) return value;
      let filled: unknown[] | undefined;
      for (let index = 0; index < value.length; index += 1) {
        const item: unknown = value[index];
        const next = fill(item);
        if (next !== item) (filled ??= value.slice())[index] = next;
      }
      return filled ?? value;
    };
  }
  const branch = objectBranch(schema);
  if (!branch) return undefined;
  const fields: DefaultedMember[] = [];
  for (const [name, property] of Object.entries(branch['properties'] as Record<string, Schema>)) {
    // A member the mapping always sets is never missing: only what is inside it may need filling.
    const missing = root?.alwaysSet.has(name) ? undefined : missingValue(branch, name);
    const fill = compileDefaults(property);
    if (missing || fill) fields.push({ name, ...(missing ? { missing } : {}), ...(fill ? { fill } : {}) });
  }
  if (fields.length === 0) return undefined;
  if (root) {
    // The root record is the mapping's own object: filled where it is, without a copy.
    const generated = generateRootFiller(fields);
    if (generated) return generated as Filler;
    return (value) => {
      const record = value as Json;
      for (const { name, missing, fill } of fields) {
        const current = record[name];
        if (current === undefined) {
          if (missing) record[name] = missing();
        } else if (current !== null && fill) record[name] = fill(current);
      }
      return record;
    };
  }
  const generatedFiller = generateObjectFiller(fields);
  if (generatedFiller) return generatedFiller;
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const record = value as Json;
    let out: Json | undefined;
    for (const { name, missing, fill } of fields) {
      const current = record[name];
      const next = current === undefined ? missing?.() : current !== null && fill ? fill(current) : current;
      if (next !== current) {
        out ??= { ...record };
        out[name] = next;
      }
    }
    return out ?? record;
  };
}

/** Writes a value at a dotted path split once at compile time, creating the objects on the way. */
function setPath(target: Json, keys: readonly string[], value: unknown): void {
  let node = target;
  const last = keys.length - 1;
  for (let index = 0; index < last; index += 1) {
    const key = keys[index] as string;
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[last] as string] = value;
}

/**
 * A field's producers: `sync` where the expression compiled to generated code (it answers NOT_SYNC for an input
 * that needs JSONata), `evaluate` always. Kept apart so the per-record loop calls the generated code directly.
 */
function compileField(spec: FieldMappingSpec, where: string, sites: SiteTable): Pick<Field, 'sync' | 'evaluate'> {
  if ('const' in spec) {
    const value = spec.const;
    const sync: Producer = typeof value === 'object' && value !== null ? () => structuredClone(value) : () => value;
    return { sync, evaluate: sync };
  }
  const expression = sites.expression(`${where}/${'path' in spec ? 'path' : 'expr'}`, 'mapping');
  return { ...(expression.evaluateSync ? { sync: expression.evaluateSync } : {}), evaluate: (record, bindings) => expression.evaluate(record, bindings) };
}

/** A field's value: synchronous when it can be, a promise where JSONata runs. */
function produce(field: Field, record: unknown, bindings: Bindings<'mapping'>): unknown {
  const value = field.sync === undefined ? NOT_SYNC : field.sync(record, bindings);
  return value === NOT_SYNC ? field.evaluate(record, bindings) : value;
}

/** Undefined inside results (keys JSONata dropped, missing paths) becomes null: "no data", never absent. */
function nullForUndefined(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** A name as one JSON pointer segment (RFC 6901). */
function escapePointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The remote id from the native record's primary key paths (split once): their values joined by `:`. */
function remoteIdOf(record: unknown, keyPaths: ReadonlyArray<readonly string[]>): string {
  let id = '';
  for (let part = 0; part < keyPaths.length; part += 1) {
    let value = record;
    for (const key of keyPaths[part] as readonly string[]) value = typeof value === 'object' && value !== null ? (value as Json)[key] : undefined;
    id += `${part > 0 ? ':' : ''}${value === undefined || value === null ? '' : String(value)}`;
  }
  return id;
}

export interface CompiledMapping {
  /** A result at once when every field evaluated synchronously (the common case), a promise when JSONata ran. */
  map(record: unknown, bindings: MappingBindings): MappingResult | Promise<MappingResult>;
}

type Producer = (record: unknown, bindings: Bindings<'mapping'>) => unknown;
interface Field {
  sync?: Producer;
  evaluate: Producer;
  pointer: string;
  /** Where the value goes: a dotted canonical path split once, or a name under `custom`. */
  keys: readonly string[];
}

export function compileMapping(definition: CanonicalTypeDefinition, spec: MappingSpec, context: MappingContext): CompiledMapping {
  const fields: Field[] = Object.entries(spec.fields).map(([path, field]) => ({
    ...compileField(field, pointer('streams', context.stream, 'mapping', 'fields', path), context.sites),
    pointer: `/${path.replaceAll('.', '/')}`,
    keys: path.split('.'),
  }));
  const custom: Field[] = Object.entries(spec.custom ?? {}).map(([name, field]) => ({
    ...compileField(field, pointer('streams', context.stream, 'mapping', 'custom', name), context.sites),
    pointer: `/custom/${escapePointer(name)}`,
    keys: [name],
  }));
  const validate = canonicalValidator(definition);
  const rootSchema = definition.schema as unknown as Schema;
  // Set on every record: the identity, and each mapped field's first key (undefined becomes null).
  const alwaysSet = new Set(['id', 'remote', ...fields.map((field) => field.keys[0] as string)]);
  const fillDefaults = compileDefaults(rootSchema, { alwaysSet });
  // Every key the root record will have, in the order it gets them: identity, mapped fields, defaults, custom, raw.
  const rootKeys = new Set(alwaysSet);
  const rootBranch = objectBranch(rootSchema);
  if (rootBranch) for (const name of Object.keys(rootBranch['properties'] as Schema)) if (missingValue(rootBranch, name)) rootKeys.add(name);
  if (custom.length > 0) rootKeys.add('custom');
  if (spec.keepRaw) rootKeys.add('raw');
  const shape = recordShape(rootKeys);
  const all = [...fields, ...custom];
  const assemble = generateAssembly(all.map((field, index) => ({ keys: field.keys, custom: index >= fields.length, sync: field.sync })));
  // Where the assembly stopped: read only after it returns or throws, and map() runs to that point without a pause.
  const progress: AssemblyProgress = { at: 0 };
  const keyPaths = context.primaryKey.map((path) => path.split('.'));

  function failure(error: unknown, remoteId: string, producing: string | undefined): MappingResult {
    const message = (error as Error).message;
    const issues: Issue[] = error instanceof PullPushError ? [...error.issues] : [];
    if (issues.length === 0 && producing !== undefined) issues.push({ pointer: producing, message, rule: 'mapping' });
    return { ok: false, remoteId, message, issues };
  }

  /** Defaults, custom values, raw, key check, validation and id: the part after every field has its value. */
  function finish(record: Json, values: Json | undefined, native: unknown, remoteId: string): MappingResult {
    if (fillDefaults) record = fillDefaults(record) as Json;
    if (values) record['custom'] = values;
    if (spec.keepRaw) record['raw'] = native;
    if (remoteId === '' || /^:+$/.test(remoteId)) {
      return { ok: false, remoteId, message: `the native record has no value at its primary key (${context.primaryKey.join(', ')})`, issues: [{ pointer: '/remote/id', message: 'primary key missing', rule: 'key' }] };
    }
    const result = validate(record);
    if (!result.valid) return { ok: false, remoteId, message: `does not validate as ${definition.name}@${definition.version}`, issues: result.issues };
    record['id'] = canonicalKey(definition, record);
    return { ok: true, record, remoteId };
  }

  /** Continues a mapping whose field `from` returned a promise: the rest is awaited field by field. */
  async function finishAsync(record: Json, values: Json | undefined, from: number, pending: Promise<unknown>, native: unknown, scope: Bindings<'mapping'>, remoteId: string): Promise<MappingResult> {
    let producing = all[from]?.pointer;
    try {
      for (let index = from; index < all.length; index += 1) {
        const field = all[index] as Field;
        producing = field.pointer;
        let value = index === from ? await pending : produce(field, native, scope);
        if (value instanceof Promise) value = await value;
        if (index < fields.length) setPath(record, field.keys, nullForUndefined(value));
        else (values as Json)[field.keys[0] as string] = nullForUndefined(value);
      }
      return finish(record, values, native, remoteId);
    } catch (error) {
      return failure(error, remoteId, producing);
    }
  }

  return {
    map(native, bindings) {
      const remoteId = remoteIdOf(native, keyPaths);
      const scope: Bindings<'mapping'> = { ...bindings, record: native };
      const record: Json = { ...shape };
      // The key is made from validated fields; until then the id holds a stand-in the schema accepts.
      record['id'] = 'pending';
      record['remote'] = { connector: context.connector, connection: context.connection, stream: context.stream, id: remoteId };
      const values: Json | undefined = custom.length > 0 ? {} : undefined;
      if (assemble) {
        let stop: number;
        try {
          stop = assemble(native, scope, record, values, progress);
        } catch (error) {
          return failure(error, remoteId, (all[progress.at] as Field).pointer);
        }
        if (stop >= 0) return finishAsync(record, values, stop, (all[stop] as Field).evaluate(native, scope) as Promise<unknown>, native, scope, remoteId);
        try {
          return finish(record, values, native, remoteId);
        } catch (error) {
          return failure(error, remoteId, undefined);
        }
      }
      // The canonical field being produced: a field whose expression throws is the failure's pointer.
      let producing: string | undefined;
      try {
        for (let index = 0; index < fields.length + custom.length; index += 1) {
          const field = (index < fields.length ? fields[index] : custom[index - fields.length]) as Field;
          producing = field.pointer;
          const value = produce(field, native, scope);
          // Most fields evaluate synchronously; only a real promise (JSONata) turns the rest asynchronous.
          if (value instanceof Promise) return finishAsync(record, values, index, value, native, scope, remoteId);
          if (index < fields.length) setPath(record, field.keys, nullForUndefined(value));
          else (values as Json)[field.keys[0] as string] = nullForUndefined(value);
        }
        producing = undefined;
        return finish(record, values, native, remoteId);
      } catch (error) {
        return failure(error, remoteId, producing);
      }
    },
  };
}
