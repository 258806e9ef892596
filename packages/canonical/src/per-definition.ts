// What is derived from a type definition once and reused for every record of that type: its compiled validator,
// its canonical JSON writer, its split key paths. Kept per definition object, so a registry's own types get theirs.
import type { CanonicalTypeDefinition } from './definition.ts';

/** `build`, computed once per definition object. */
export function perDefinition<T>(build: (definition: CanonicalTypeDefinition) => T): (definition: CanonicalTypeDefinition) => T {
  const built = new WeakMap<CanonicalTypeDefinition, T>();
  return (definition) => {
    let value = built.get(definition);
    if (value === undefined) {
      value = build(definition);
      built.set(definition, value);
    }
    return value;
  };
}
