// Where the records are in a list response: the body itself when it is an array, else the array property that
// most likely holds the resource (named after it, or a conventional name such as data or items).
import type { JsonObject } from './json.ts';
import type { Evidence } from './model.ts';
import { normal, singular, words } from './names.ts';
import { mainType, propertyPaths, shapeOf } from './schema-shape.ts';

export interface RecordsLocation {
  /** Path segments of the array in the body; empty when the body is the array. */
  path: string[];
  /** The schema of one record (dereferenced). */
  item: JsonObject;
  confidence: number;
  evidence: Evidence[];
}

const CONVENTIONAL = new Set(['data', 'items', 'results', 'records', 'values', 'entries', 'elements', 'list', 'objects', 'rows', 'collection', 'content', 'hits', 'nodes', 'resources']);
// Objects a list may be wrapped in ({ data: { items: [...] } }); an array inside any other object belongs to a record.
const ENVELOPES = new Set(['data', 'response', 'result', 'results', 'payload', 'body', 'content', 'embedded', 'page', 'list']);
const NOT_RECORDS = new Set(['errors', 'warnings', 'links', 'meta', 'included', 'facets', 'aggregations']);

/** The resource a path names: its last literal segment, without a file extension or an RPC verb. */
export function resourceName(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && !segment.startsWith('{'));
  const last = (segments.at(-1) ?? '').replace(/\.(json|xml)$/i, '');
  return last.split('.')[0] ?? last;
}

function isRecordArray(schema: unknown): JsonObject | undefined {
  const shape = shapeOf(schema);
  if (mainType(shape) !== 'array' || !shape.items) return undefined;
  const item = shapeOf(shape.items);
  return mainType(item) === 'object' && item.properties.size > 0 ? shape.items : undefined;
}

export function locateRecords(body: JsonObject, bodyPointer: string, path: string): RecordsLocation | undefined {
  const bare = isRecordArray(body);
  if (bare) return { path: [], item: bare, confidence: 0.9, evidence: [{ pointer: bodyPointer, says: 'the response body is an array of objects' }] };
  if (mainType(shapeOf(body)) !== 'object') return undefined;
  const resource = singular(normal(resourceName(path)));
  const resourceWords = new Set(words(resourceName(path)).map(singular));
  // A path that names one record (/projects/{id}, Slack's users.info) holds a list only under a list's name.
  const single = /\}$/.test(path) || /\.(info|get|lookup[A-Za-z]*)$/i.test(path);
  const candidates = propertyPaths(body, 3).flatMap((entry) => {
    const item = isRecordArray(entry.schema);
    const name = entry.path.at(-1) as string;
    if (!item || NOT_RECORDS.has(normal(name))) return [];
    if (!entry.path.slice(0, -1).every((parent) => ENVELOPES.has(normal(parent)))) return [];
    const named = singular(normal(name));
    let score = 0;
    let says = '';
    if (named === resource) [score, says] = [3, `named after the resource (${name})`];
    else if (resourceWords.has(named)) [score, says] = [2.5, `named after part of the resource (${name})`];
    else if (CONVENTIONAL.has(normal(name))) [score, says] = [2, `the conventional name ${name}`];
    else [score, says] = [1, `an array of objects (${name})`];
    if (single && score < 2) return [];
    return [{ entry, item, score: score - 0.5 * (entry.path.length - 1), says }];
  });
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => b.score - a.score);
  const [best, second] = candidates;
  if (!best) return undefined;
  const ambiguous = second !== undefined && second.score === best.score;
  const confidence = Math.min(0.9, 0.5 + best.score * 0.15) - (ambiguous ? 0.2 : 0);
  return {
    path: best.entry.path,
    item: best.item,
    confidence: Math.round(confidence * 100) / 100,
    evidence: [{ pointer: `${bodyPointer}/properties/${best.entry.path.join('/properties/')}`, says: `records are the array ${best.entry.path.join('.')}: ${best.says}${ambiguous ? `; ${second.entry.path.join('.')} is as likely` : ''}` }],
  };
}
