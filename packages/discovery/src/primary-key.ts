// Which field of a record identifies it: id first, then a field named after the resource (InvoiceID), then the
// identifier names some APIs use (gid, sid, uuid, key).
import type { KeyCandidate } from './model.ts';
import { normal, singular } from './names.ts';
import { mainType, type Shape } from './schema-shape.ts';

const OTHER_IDENTIFIERS = ['gid', 'sid', 'uuid', 'guid', 'key', 'code', 'slug', 'number'];

/** `required`: the record's required fields, when its schema lists them; a key that may be missing is a poor key. */
export function primaryKeyCandidates(fields: ReadonlyMap<string, Shape>, resource: string, pointer: string, required?: ReadonlySet<string>): KeyCandidate[] {
  const out: KeyCandidate[] = [];
  const scalar = (shape: Shape) => ['string', 'integer', 'number', undefined].includes(mainType(shape));
  const add = (field: string, confidence: number, says: string) => {
    const optional = required !== undefined && required.size > 0 && !required.has(field);
    out.push({ field, confidence: Math.round(confidence * (optional ? 0.6 : 1) * 100) / 100, evidence: [{ pointer: `${pointer}/properties/${field}`, says: optional ? `${says}; not required, so it may be missing` : says }] });
  };
  for (const [name, shape] of fields) {
    if (!scalar(shape)) continue;
    const n = normal(name);
    if (n === 'id') add(name, 0.95, `the record's ${name} field`);
    else if (n === `${singular(normal(resource))}id`) add(name, 0.85, `${name}: the resource's name followed by id`);
    else if (OTHER_IDENTIFIERS.includes(n)) add(name, 0.7 - OTHER_IDENTIFIERS.indexOf(n) * 0.05, `${name}: a name APIs use for identifiers`);
    else if (shape.format === 'uuid') add(name, 0.5, `${name} is a UUID`);
  }
  return out.sort((a, b) => b.confidence - a.confidence);
}
