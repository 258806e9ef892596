// A JSON Schema summarising the native records a test run saw: which fields, of which types, how often present.
// It shows a connector author what the API really returns, next to what the mapping expects.

export interface InferredSchema {
  type: string | string[];
  properties?: Record<string, InferredSchema>;
  required?: string[];
  items?: InferredSchema;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value === 'number' ? 'number' : typeof value;
}

function merge(schema: InferredSchema | undefined, value: unknown, depth: number): InferredSchema {
  const type = typeOf(value);
  const types = new Set(schema ? (Array.isArray(schema.type) ? schema.type : [schema.type]) : []);
  types.add(type);
  if (types.has('integer') && types.has('number')) types.delete('integer');
  const merged: InferredSchema = { ...schema, type: types.size === 1 ? [...types][0] as string : [...types].sort() };
  if (depth > 8) return merged;
  if (type === 'object') {
    const record = value as Record<string, unknown>;
    const properties = { ...schema?.properties };
    for (const [key, item] of Object.entries(record)) properties[key] = merge(properties[key], item, depth + 1);
    merged.properties = properties;
    const present = Object.keys(record);
    merged.required = schema?.required ? schema.required.filter((key) => present.includes(key)) : present;
  } else if (type === 'array') {
    let items = schema?.items;
    for (const item of (value as unknown[]).slice(0, 20)) items = merge(items, item, depth + 1);
    if (items) merged.items = items;
  }
  return merged;
}

/** Infers a schema from sample records; fields missing from some records are not required. */
export function inferSchema(samples: readonly unknown[]): InferredSchema | undefined {
  let schema: InferredSchema | undefined;
  for (const sample of samples) schema = merge(schema, sample, 0);
  return schema;
}
