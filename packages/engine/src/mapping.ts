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

/**
 * What a source left out, filled: nullable fields null, arrays empty, booleans named deleted false — recursively.
 * Copy on write: objects that need nothing are returned as they are, and nothing is changed in place, because
 * mapped values may be parts of the native record (kept as `raw`).
 */
function withDefaults(schema: Schema, value: unknown): unknown {
  if (Array.isArray(value)) {
    const itemSchema = arrayItems(schema);
    if (!itemSchema) return value;
    let changed = false;
    const items = value.map((item) => {
      const filled = withDefaults(itemSchema, item);
      changed ||= filled !== item;
      return filled;
    });
    return changed ? items : value;
  }
  const branch = objectBranch(schema);
  if (!branch || typeof value !== 'object' || value === null) return value;
  const record = value as Json;
  const properties = branch['properties'] as Record<string, Schema>;
  const required = Array.isArray(branch['required']) ? (branch['required'] as string[]) : [];
  let out: Json | undefined;
  for (const [name, property] of Object.entries(properties)) {
    let field = record[name];
    if (field === undefined && required.includes(name)) {
      const kinds = types(property);
      if (name === 'deleted' && kinds.includes('boolean')) field = false;
      else if (kinds.includes('null')) field = null;
      else if (kinds.includes('array')) field = [];
    } else if (field !== undefined && field !== null) field = withDefaults(property, field);
    if (field !== record[name]) {
      out ??= { ...record };
      out[name] = field;
    }
  }
  return out ?? record;
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

async function settle(value: unknown): Promise<unknown> {
  return value instanceof Promise ? await value : value;
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
  const schema = definition.schema as unknown as Schema;
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
          setPath(record, path, nullForUndefined(await settle(evaluate(native, scope))));
        }
        record = withDefaults(schema, record) as Json;
        if (custom.length > 0) {
          const values: Json = {};
          for (const [name, evaluate, pointer] of custom) {
            producing = pointer;
            values[name] = nullForUndefined(await settle(evaluate(native, scope)));
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
