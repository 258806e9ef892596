// The shape of a (dereferenced, possibly circular) JSON Schema from a description: allOf merged, oneOf/anyOf
// variants unioned, 3.0 and 3.1 nullability read alike. Discovery reads properties through this, never raw.
import { isObject, type JsonObject } from './json.ts';

export interface Shape {
  types: Set<string>;
  properties: Map<string, JsonObject>;
  required: Set<string>;
  items: JsonObject | undefined;
  format: string | undefined;
  enum: unknown[] | undefined;
  nullable: boolean;
  description: string | undefined;
}

const COMPOSITIONS = ['allOf', 'oneOf', 'anyOf'] as const;
const MAX_MERGE_DEPTH = 8;

// Descriptions share schemas widely; a schema's shape is computed once (the document is not changed after reading).
const shapes = new WeakMap<object, Shape>();

/** The merged shape of a schema; unknown input gives an empty shape. Treat the result as read-only. */
export function shapeOf(schema: unknown): Shape {
  const known = isObject(schema) ? shapes.get(schema) : undefined;
  if (known) return known;
  const shape: Shape = { types: new Set(), properties: new Map(), required: new Set(), items: undefined, format: undefined, enum: undefined, nullable: false, description: undefined };
  merge(shape, schema, 0, true, new Set());
  if (shape.types.size === 0) {
    if (shape.properties.size > 0) shape.types.add('object');
    else if (shape.items) shape.types.add('array');
  }
  if (isObject(schema)) shapes.set(schema, shape);
  return shape;
}

function merge(shape: Shape, schema: unknown, depth: number, requiredCounts: boolean, seen: Set<object>): void {
  if (!isObject(schema) || depth > MAX_MERGE_DEPTH || seen.has(schema)) return;
  seen.add(schema);
  const type = schema['type'];
  for (const entry of Array.isArray(type) ? type : [type]) {
    if (entry === 'null') shape.nullable = true;
    else if (typeof entry === 'string') shape.types.add(entry);
  }
  if (schema['nullable'] === true) shape.nullable = true;
  if (isObject(schema['properties'])) {
    for (const [name, child] of Object.entries(schema['properties'])) {
      if (isObject(child) && !shape.properties.has(name)) shape.properties.set(name, child);
    }
  }
  if (requiredCounts && Array.isArray(schema['required'])) {
    for (const name of schema['required']) if (typeof name === 'string') shape.required.add(name);
  }
  if (isObject(schema['items']) && !shape.items) shape.items = schema['items'];
  // The draft-4 tuple form. Slack's description writes `items: [variants]` to mean "one of these": as the items
  // of an array, or, with no type at all, as the schema itself.
  const tuple = schema['items'];
  if (Array.isArray(tuple)) {
    if (shape.types.has('array') || type === 'array') shape.items ??= { anyOf: tuple };
    else for (const variant of tuple) merge(shape, variant, depth + 1, false, seen);
  }
  if (typeof schema['format'] === 'string' && !shape.format) shape.format = schema['format'];
  if (Array.isArray(schema['enum']) && !shape.enum) shape.enum = schema['enum'];
  if (typeof schema['description'] === 'string' && !shape.description) shape.description = schema['description'];
  for (const key of COMPOSITIONS) {
    const variants = schema[key];
    if (!Array.isArray(variants)) continue;
    // A field is required by a oneOf/anyOf only if every variant requires it; allOf requirements all hold.
    for (const variant of variants) merge(shape, variant, depth + 1, requiredCounts && key === 'allOf', seen);
  }
}

/** The single type a shape most likely has ("object", "array", "string", …), or undefined. */
export function mainType(shape: Shape): string | undefined {
  for (const type of ['object', 'array', 'string', 'integer', 'number', 'boolean']) if (shape.types.has(type)) return type;
  return undefined;
}

/** Every property of an object schema by dotted path, up to `maxDepth` levels deep (objects, not array items). */
export function propertyPaths(schema: unknown, maxDepth: number): Array<{ path: string[]; schema: JsonObject; shape: Shape }> {
  const out: Array<{ path: string[]; schema: JsonObject; shape: Shape }> = [];
  const walk = (node: unknown, prefix: string[], seen: Set<object>) => {
    if (!isObject(node) || seen.has(node) || prefix.length >= maxDepth) return;
    const shape = shapeOf(node);
    for (const [name, child] of shape.properties) {
      const childShape = shapeOf(child);
      out.push({ path: [...prefix, name], schema: child, shape: childShape });
      if (mainType(childShape) === 'object') walk(child, [...prefix, name], new Set([...seen, node]));
    }
  };
  walk(schema, [], new Set());
  return out;
}

/**
 * A plain, acyclic copy of a schema for the API model and the mock API: compositions merged, cycles, depth beyond
 * `maxDepth` and properties beyond a budget cut to `{}` (any value). Real descriptions nest expandable objects
 * (Stripe's anyOf of id-or-object) so deeply that a full copy grows exponentially; the budget keeps it linear.
 */
export function plainSchema(schema: unknown, maxDepth = 5, budget = 400, omit?: object): JsonObject {
  let left = budget;
  const copy = (node: unknown, depth: number, path: Set<object>): JsonObject => {
    if (!isObject(node) || depth > maxDepth || path.has(node) || node === omit || left <= 0) return {};
    left -= 1;
    const shape = shapeOf(node);
    const type = mainType(shape);
    const out: JsonObject = {};
    if (type) out['type'] = shape.nullable ? [type, 'null'] : type;
    if (shape.format) out['format'] = shape.format;
    if (shape.enum) out['enum'] = shape.enum.filter((value) => value === null || typeof value !== 'object');
    const inner = new Set(path).add(node);
    if (type === 'object' && shape.properties.size > 0) {
      // Scalars first, so a tight budget keeps every field's type and cuts only deep objects.
      const entries = [...shape.properties].sort(([, a], [, b]) => Number(isComposite(a)) - Number(isComposite(b)));
      const properties = Object.fromEntries(entries.map(([name, child]) => [name, copy(child, depth + 1, inner)]));
      out['properties'] = Object.fromEntries([...shape.properties.keys()].map((name) => [name, properties[name]]));
      const required = [...shape.required].filter((name) => shape.properties.has(name));
      if (required.length > 0) out['required'] = required;
    }
    if (type === 'array') out['items'] = copy(shape.items, depth + 1, inner);
    for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'default']) {
      const value = node[key];
      if (value !== undefined && (value === null || typeof value !== 'object')) out[key] = value;
    }
    return out;
  };
  return copy(schema, 0, new Set());
}

function isComposite(schema: JsonObject): boolean {
  const type = mainType(shapeOf(schema));
  return type === 'object' || type === 'array' || type === undefined;
}
