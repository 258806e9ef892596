// Native → canonical mapping, compiled once per stream: each canonical field from a path, a constant or an
// expression; defaults for what a source does not say (null for nullable fields, [] for arrays, deleted false);
// identity (remote, id) filled by the engine; the result validated with the type's compiled validator.
import { canonicalKey, canonicalValidator, PullPushError, type CanonicalTypeDefinition, type Issue } from '@pullpush/canonical';
import type { FieldMappingSpec, MappingSpec } from '@pullpush/schema';
import { compileExpression, type Bindings } from './expr/compile.ts';

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

/** Fills what a source left out: nullable fields null, arrays empty, booleans named deleted false — recursively. */
function fillDefaults(schema: Schema, value: unknown): void {
  if (Array.isArray(value)) {
    const itemSchema = arrayItems(schema);
    if (itemSchema) for (const item of value) fillDefaults(itemSchema, item);
    return;
  }
  const branch = objectBranch(schema);
  if (!branch || typeof value !== 'object' || value === null) return;
  const record = value as Json;
  const properties = branch['properties'] as Record<string, Schema>;
  const required = Array.isArray(branch['required']) ? (branch['required'] as string[]) : [];
  for (const [name, property] of Object.entries(properties)) {
    if (record[name] === undefined && required.includes(name)) {
      const kinds = types(property);
      if (name === 'deleted' && kinds.includes('boolean')) record[name] = false;
      else if (kinds.includes('null')) record[name] = null;
      else if (kinds.includes('array')) record[name] = [];
    }
    if (record[name] !== undefined && record[name] !== null) fillDefaults(property, record[name]);
  }
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

function compileField(spec: FieldMappingSpec, where: string): (record: unknown, bindings: Bindings) => Promise<unknown> {
  if ('const' in spec) {
    const value = spec.const;
    return async () => structuredClone(value);
  }
  const expression = compileExpression('path' in spec ? spec.path : spec.expr, where);
  return (record, bindings) => expression.evaluate(record, bindings);
}

/** Undefined inside results (keys JSONata dropped, missing paths) becomes null: "no data", never absent. */
function nullForUndefined(value: unknown): unknown {
  return value === undefined ? null : value;
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
  const fields = Object.entries(spec.fields).map(([path, field]) => [path, compileField(field, `${base}/fields/${path}`)] as const);
  const custom = Object.entries(spec.custom ?? {}).map(([name, field]) => [name, compileField(field, `${base}/custom/${name}`)] as const);
  const validate = canonicalValidator(definition);
  const schema = definition.schema as unknown as Schema;
  return {
    async map(native, bindings) {
      const remoteId = remoteIdOf(native, context.primaryKey);
      const scope = { ...bindings, record: native };
      try {
        const record: Json = {
          id: '',
          remote: { connector: context.connector, connection: context.connection, stream: context.stream, id: remoteId },
        };
        for (const [path, evaluate] of fields) setPath(record, path, nullForUndefined(await evaluate(native, scope)));
        fillDefaults(schema, record);
        if (custom.length > 0) {
          const values: Json = {};
          for (const [name, evaluate] of custom) values[name] = nullForUndefined(await evaluate(native, scope));
          record['custom'] = values;
        }
        if (spec.keepRaw) record['raw'] = native;
        if (remoteId === '' || /^:+$/.test(remoteId)) {
          return { ok: false, remoteId, message: `the native record has no value at its primary key (${context.primaryKey.join(', ')})`, issues: [{ pointer: '/remote/id', message: 'primary key missing', rule: 'key' }] };
        }
        const result = validate({ ...record, id: 'pending' });
        if (!result.valid) return { ok: false, remoteId, message: `does not validate as ${definition.name}@${definition.version}`, issues: result.issues };
        record['id'] = canonicalKey(definition, record);
        return { ok: true, record, remoteId };
      } catch (error) {
        const issues = error instanceof PullPushError ? [...error.issues] : [];
        return { ok: false, remoteId, message: (error as Error).message, issues };
      }
    },
  };
}
