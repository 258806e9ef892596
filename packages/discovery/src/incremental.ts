// Incremental-read candidates: a record field that grows with each change (updated_at) and, where the operation
// has one, the query parameter that filters by it (updated_since, modified_after, updated[gte], …).
import type { Evidence, IncrementalCandidate } from './model.ts';
import { normal, words } from './names.ts';
import { mainType, type Shape } from './schema-shape.ts';
import type { QueryParam } from './pagination.ts';

const UPDATED_FIELDS = ['updatedat', 'updated', 'modifiedat', 'modified', 'lastmodified', 'lastmodifiedat', 'updatedtime', 'updatedon', 'updateddate', 'dateupdated', 'datemodified', 'lastupdated', 'lastupdatedat', 'updateddateutc', 'modifiedtime', 'lastmodifieddate', 'updatedatutc', 'changedat', 'updatetime'];
const FILTER_WORDS = ['since', 'after', 'from', 'gte', 'gt', 'min', 'start'];

function cursorFormat(shape: Shape, name: string): IncrementalCandidate['format'] | undefined {
  const type = mainType(shape);
  if (type === 'string' && shape.format === 'date-time') return 'iso8601';
  if (type === 'string' && shape.format === 'date') return 'date';
  if (type === 'integer' || type === 'number') return /ms|milli/i.test(name) || /milli/i.test(shape.description ?? '') ? 'unixMillis' : 'unixSeconds';
  return undefined;
}

/** Whether a parameter filters by `field`: its words name the field (or "updated"/"modified") and a lower bound. */
function filters(param: QueryParam, field: string): boolean {
  const paramWords = words(param.name.replace(/\[/g, ' ').replace(/\]/g, ' '));
  const fieldWords = words(field).filter((word) => word !== 'at' && word !== 'date' && word !== 'utc');
  const names = fieldWords.some((word) => paramWords.includes(word)) || paramWords.some((word) => word === 'updated' || word === 'modified' || word === 'changed');
  const bound = paramWords.some((word) => FILTER_WORDS.includes(word));
  return (names && bound) || normal(param.name) === 'since' || normal(param.name) === 'modifiedsince' || normal(param.name) === 'updatedsince';
}

export function incrementalCandidates(fields: ReadonlyMap<string, Shape>, params: readonly QueryParam[], headerParams: readonly QueryParam[], pointer: string): IncrementalCandidate[] {
  const out: IncrementalCandidate[] = [];
  for (const [name, shape] of fields) {
    const rank = UPDATED_FIELDS.indexOf(normal(name));
    if (rank < 0) continue;
    const format = cursorFormat(shape, name);
    if (!format) continue;
    const evidence: Evidence[] = [{ pointer: `${pointer}/properties/${name}`, says: `${name} (${format}) changes with each update` }];
    const param = params.find((candidate) => filters(candidate, name));
    const header = headerParams.find((candidate) => normal(candidate.name) === 'ifmodifiedsince');
    if (param) {
      evidence.push({ pointer: param.pointer, says: `query parameter ${param.name} filters by it` });
      out.push({ cursorField: name, format, param: { in: 'query', name: param.name }, confidence: 0.8, evidence });
    } else if (header) {
      // If-Modified-Since takes an HTTP date by the standard; some APIs (Xero) take ISO 8601, which is what is sent.
      evidence.push({ pointer: header.pointer, says: `header ${header.name} filters by it (check that the API takes an ISO 8601 time there)` });
      out.push({ cursorField: name, format, param: { in: 'header', name: header.name }, confidence: 0.6, evidence });
    } else {
      out.push({ cursorField: name, format, confidence: 0.4, evidence: [...evidence, { pointer, says: 'no parameter filters by it: an incremental read would still read every page' }] });
    }
  }
  return out.sort((a, b) => b.confidence - a.confidence);
}
