// Schema pieces the tools share.
import Type, { type Static } from 'typebox';

export const Problem = Type.Object({
  code: Type.String(),
  severity: Type.Enum(['error', 'warning']),
  pointer: Type.String({ description: 'JSON pointer into the document.' }),
  message: Type.String(),
  hint: Type.Optional(Type.String()),
  suggestion: Type.Optional(Type.String({ description: 'The likely intended key or value.' })),
});

export const Issue = Type.Object({ pointer: Type.String(), message: Type.String(), rule: Type.Optional(Type.String()) });

export const DefinitionId = Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64, description: 'Definition id in the workspace (the definition\'s own id).' });
export const ConnectionName = Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64, description: 'Connection name in the workspace.' });
export const Revision = Type.Integer({ minimum: 1, description: 'Workspace revision of the definition (default the latest).' });
/** Any JSON object (a definition, a report): an explicit free-form object, not an empty schema. */
export function FreeObject(options: { description?: string } = {}) {
  return Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, ...options });
}

export const JsonObject = FreeObject();
export type ProblemOut = Static<typeof Problem>;

/** The object without its undefined properties: what JSON would carry, typed as the tool's output. */
export function compact<T>(value: object): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

/** The candidate closest to `value` (case-insensitive edit distance) when close enough to be a typo; for did-you-mean hints. */
export function closestName(value: string, candidates: Iterable<string>): string | undefined {
  const wanted = value.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const a = wanted;
    const b = name.toLowerCase();
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i += 1) {
      const next = [i];
      for (let j = 1; j <= b.length; j += 1) next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    const distance = row[b.length] ?? Infinity;
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.name.length / 3)) ? best.name : undefined;
}
