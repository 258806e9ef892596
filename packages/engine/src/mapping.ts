// Native → canonical mapping, compiled once per stream: each canonical field from a path, a constant or an
// expression; defaults for what a source does not say (null for nullable fields, [] for arrays, deleted false);
// identity (remote, id) filled by the engine; the result validated with the type's compiled validator.
import { canonicalKey, canonicalValidator, PullPushError, type CanonicalTypeDefinition, type Issue } from '@pullpush/canonical';
import type { FieldMappingSpec, MappingSpec } from '@pullpush/schema';
import { compileExpression, NOT_SYNC, type Bindings } from './expr/compile.ts';

type Schema = Record<string, unknown>;
type Json = Record<string, unknown>;

export interface MappingContext {
  connector: string;
  connection: string;
  stream: string;
  primaryKey: readonly string[];
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

/**
 * Compiles, once per type, what fills in what a source left out: nullable fields null, arrays empty, booleans
 * named deleted false — recursively. Copy on write: objects that need nothing are returned as they are, and
 * nothing is changed in place, because mapped values may be parts of the native record (kept as `raw`).
 * Returns undefined when a schema has nothing to fill.
 */
function compileDefaults(schema: Schema): Filler | undefined {
  const items = arrayItems(schema);
  if (items) {
    const fill = compileDefaults(items);
    if (!fill) return undefined;
    return (value) => {
      if (!Array.isArray(value)) return value;
      let changed = false;
      const filled = value.map((item) => {
        const next = fill(item);
        changed ||= next !== item;
        return next;
      });
      return changed ? filled : value;
    };
  }
  const branch = objectBranch(schema);
  if (!branch) return undefined;
  const required = Array.isArray(branch['required']) ? (branch['required'] as string[]) : [];
  const fields: Array<{ name: string; missing?: () => unknown; fill?: Filler }> = [];
  for (const [name, property] of Object.entries(branch['properties'] as Record<string, Schema>)) {
    const kinds = types(property);
    let missing: (() => unknown) | undefined;
    if (required.includes(name)) {
      if (name === 'deleted' && kinds.includes('boolean')) missing = () => false;
      else if (kinds.includes('null')) missing = () => null;
      else if (kinds.includes('array')) missing = () => [];
    }
    const fill = compileDefaults(property);
    if (missing || fill) fields.push({ name, ...(missing ? { missing } : {}), ...(fill ? { fill } : {}) });
  }
  if (fields.length === 0) return undefined;
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

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Json;
  }
  node[keys.at(-1) as string] = value;
}

/** A field's producer: synchronous where the expression compiled to closures, a promise where JSONata runs. */
function compileField(spec: FieldMappingSpec, where: string): (record: unknown, bindings: Bindings) => unknown {
  if ('const' in spec) {
    const value = spec.const;
    return typeof value === 'object' && value !== null ? () => structuredClone(value) : () => value;
  }
  const expression = compileExpression('path' in spec ? spec.path : spec.expr, where);
  const sync = expression.evaluateSync;
  if (!sync) return (record, bindings) => expression.evaluate(record, bindings);
  return (record, bindings) => {
    const value = sync(record, bindings);
    return value === NOT_SYNC ? expression.evaluate(record, bindings) : value;
  };
}



/** Undefined inside results (keys JSONata dropped, missing paths) becomes null: "no data", never absent. */
function nullForUndefined(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** A name as one JSON pointer segment (RFC 6901). */
function escapePointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

function remoteIdOf(record: unknown, primaryKey: readonly string[]): string {
  return primaryKey
    .map((path) => {
      let value = record;
      for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Json)[key] : undefined;
      return value === undefined || value === null ? '' : String(value);
    })
    .join(':');
}

export interface CompiledMapping {
  map(record: unknown, bindings: Bindings): Promise<MappingResult>;
}

export function compileMapping(definition: CanonicalTypeDefinition, spec: MappingSpec, context: MappingContext): CompiledMapping {
  const base = `/streams/${context.stream}/mapping`;
  const fields = Object.entries(spec.fields).map(([path, field]) => [path, compileField(field, `${base}/fields/${path}`), `/${path.replaceAll('.', '/')}`] as const);
  const custom = Object.entries(spec.custom ?? {}).map(([name, field]) => [name, compileField(field, `${base}/custom/${name}`), `/custom/${escapePointer(name)}`] as const);
  const validate = canonicalValidator(definition);
  const fillDefaults = compileDefaults(definition.schema as unknown as Schema);
  return {
    async map(native, bindings) {
      const remoteId = remoteIdOf(native, context.primaryKey);
      const scope = { ...bindings, record: native };
      // The canonical field being produced: a field whose expression throws is the failure's pointer.
      let producing: string | undefined;
      try {
        let record: Json = {
          id: '',
          remote: { connector: context.connector, connection: context.connection, stream: context.stream, id: remoteId },
        };
        for (const [path, evaluate, pointer] of fields) {
          producing = pointer;
          let value = evaluate(native, scope);
          // Awaiting only real promises: most fields evaluate synchronously, and each await costs a microtask.
          if (value instanceof Promise) value = await value;
          setPath(record, path, nullForUndefined(value));
        }
        if (fillDefaults) record = fillDefaults(record) as Json;
        if (custom.length > 0) {
          const values: Json = {};
          for (const [name, evaluate, pointer] of custom) {
            producing = pointer;
            let value = evaluate(native, scope);
            if (value instanceof Promise) value = await value;
            values[name] = nullForUndefined(value);
          }
          record['custom'] = values;
        }
        producing = undefined;
        if (spec.keepRaw) record['raw'] = native;
        if (remoteId === '' || /^:+$/.test(remoteId)) {
          return { ok: false, remoteId, message: `the native record has no value at its primary key (${context.primaryKey.join(', ')})`, issues: [{ pointer: '/remote/id', message: 'primary key missing', rule: 'key' }] };
        }
        const result = validate({ ...record, id: 'pending' });
        if (!result.valid) return { ok: false, remoteId, message: `does not validate as ${definition.name}@${definition.version}`, issues: result.issues };
        record['id'] = canonicalKey(definition, record);
        return { ok: true, record, remoteId };
      } catch (error) {
        const message = (error as Error).message;
        const issues: Issue[] = error instanceof PullPushError ? [...error.issues] : [];
        if (issues.length === 0 && producing !== undefined) issues.push({ pointer: producing, message, rule: 'mapping' });
        return { ok: false, remoteId, message, issues };
      }
    },
  };
}
