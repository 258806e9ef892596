// The pagination style of a list operation, read from its query parameters, its response body schema and its
// response headers. Each rule names what it saw; the first rule that holds wins, strongest evidence first.
import type { PaginationSpec, PlacementSpec } from '@pullpush/schema';
import type { JsonObject } from './json.ts';
import type { Evidence, PaginationGuess, PaginationParts } from './model.ts';
import { jsonataPath, normal } from './names.ts';
import { mainType, propertyPaths, type Shape } from './schema-shape.ts';

/** A query parameter as pagination sees it. */
export interface QueryParam {
  name: string;
  pointer: string;
  shape: Shape;
  schema: JsonObject;
}

export interface PaginationInput {
  params: QueryParam[];
  /** The 2xx body schema (dereferenced). */
  envelope: JsonObject;
  envelopePointer: string;
  /** Path segments of the records array in the body; empty when the body is the array. */
  recordsPath: string[];
  /** Top-level property names of a record. */
  recordFields: string[];
  /** Declared response headers, lower case, with their pointers. */
  headers: Map<string, string>;
}

const PAGE_PARAMS = new Set(['page', 'pagenumber', 'pageno', 'pagenum', 'pageindex']);
const SIZE_PARAMS = ['perpage', 'pagesize', 'limit', 'size', 'maxresults', 'pagelimit', 'top', 'maxitems', 'resultsperpage', 'itemsperpage', 'count'];
const OFFSET_PARAMS = new Set(['offset', 'startat', 'start', 'skip', 'startindex']);
const CURSOR_PARAMS = new Set(['cursor', 'startingafter', 'after', 'pagetoken', 'nexttoken', 'nextpagetoken', 'continuationtoken', 'continuation', 'marker', 'pagecursor', 'startcursor', 'offset', 'page']);
const CURSOR_FIELDS = new Set(['nextcursor', 'cursor', 'nextpagetoken', 'nexttoken', 'endcursor', 'continuationtoken', 'nextmarker', 'nextpage', 'nextoffset']);
const NEXT_URL_FIELDS = new Set(['nextpageuri', 'nextpageurl', 'nexturl', 'nextlink', 'nexthref', 'nextpagelink']);
const LINK_PARENTS = new Set(['links', 'link', 'paging', 'next', 'nextpage', 'pagination']);
const HAS_MORE_FIELDS = new Set(['hasmore', 'more', 'hasnextpage', 'hasnext', 'hasmoreitems', 'moreresults']);
const IS_LAST_FIELDS = new Set(['islast', 'islastpage', 'lastpage']);
const TOTAL_FIELDS = new Set(['total', 'totalcount', 'totalitems', 'totalresults', 'totalrecords', 'itemcount', 'totalsize', 'totalentries']);
const TOTAL_PAGES_FIELDS = new Set(['totalpages', 'pagecount', 'numpages', 'lastpage', 'pages']);

interface Field {
  path: string[];
  pointer: string;
  type: string | undefined;
  format: string | undefined;
}

export function detectPagination(input: PaginationInput): PaginationGuess {
  const fields = responseFields(input);
  const param = (names: ReadonlySet<string> | readonly string[], type?: (shape: Shape) => boolean) =>
    input.params.find((candidate) => [...names].includes(normal(candidate.name)) && (!type || type(candidate.shape)));
  const size = SIZE_PARAMS.map((name) => input.params.find((candidate) => normal(candidate.name) === name)).find((found) => found !== undefined);
  const field = (names: ReadonlySet<string>, type?: string) => fields.find((candidate) => names.has(normal(candidate.path.at(-1) as string)) && (!type || candidate.type === type));
  const hasMore = field(HAS_MORE_FIELDS, 'boolean');
  const isLast = field(IS_LAST_FIELDS, 'boolean');
  const total = field(TOTAL_FIELDS, 'integer') ?? field(TOTAL_FIELDS, 'number');
  const totalPages = field(TOTAL_PAGES_FIELDS, 'integer') ?? field(TOTAL_PAGES_FIELDS, 'number');
  const stop = stopWhen(hasMore, isLast);
  const pageSize = size ? { pageSize: { param: query(size.name), value: pageSizeValue(size) } } : {};
  const sizeEvidence = size ? [about(size, 'takes the page size')] : [];
  const owned = (...found: Array<QueryParam | undefined>) => found.filter((entry) => entry !== undefined).map((entry) => entry.name);
  const common: PaginationParts = {
    ...(size ? { sizeParam: size.name } : {}),
    ...(hasMore ? { hasMoreField: hasMore.path } : isLast ? { isLastField: isLast.path } : {}),
  };
  const guess = (spec: PaginationSpec, confidence: number, evidence: Evidence[], params: string[], parts: PaginationParts = {}): PaginationGuess => ({
    spec,
    confidence,
    evidence: [...evidence, ...sizeEvidence],
    params,
    parts: spec.kind === 'none' ? {} : { ...common, ...parts },
  });

  // 1. A cursor parameter whose value the response hands back.
  const stringish = (shape: Shape) => mainType(shape) !== 'integer' && mainType(shape) !== 'number';
  const cursorParams = input.params.filter((candidate) => CURSOR_PARAMS.has(normal(candidate.name)) && stringish(candidate.shape));
  for (const cursorParam of cursorParams) {
    const echoed = fields.find((candidate) => candidate.type === 'string' && [normal(cursorParam.name), `next${normal(cursorParam.name)}`].includes(normal(candidate.path.at(-1) as string)));
    const generic = field(CURSOR_FIELDS, 'string');
    const cursor = echoed ?? (normal(cursorParam.name) === 'page' || normal(cursorParam.name) === 'offset' ? undefined : generic);
    if (!cursor || isUrlField(cursor)) continue;
    return guess(
      { kind: 'cursor', cursor: { from: 'body', path: jsonataPath(cursor.path) }, param: query(cursorParam.name), ...stop.spec, ...pageSize },
      echoed ? 0.9 : 0.8,
      [about(cursorParam, 'takes the cursor'), { pointer: cursor.pointer, says: `the response hands the next cursor back in ${cursor.path.join('.')}` }, ...stop.evidence],
      owned(cursorParam, size),
      { cursorParam: cursorParam.name, cursorField: cursor.path },
    );
  }
  // 2. A Link header.
  const link = input.headers.get('link');
  if (link !== undefined) {
    const linkPage = param(PAGE_PARAMS);
    return guess({ kind: 'link', ...pageSize }, 0.9, [{ pointer: link, says: 'the response declares a Link header (RFC 8288)' }], owned(size, linkPage), { linkHeader: true, ...(linkPage ? { pageParam: linkPage.name } : {}) });
  }
  // 3. Page numbers with a page count.
  const page = param(PAGE_PARAMS);
  if (page && totalPages) {
    return guess(
      { kind: 'page', pageParam: query(page.name), ...startPage(page), ...pageSize, totalPages: { from: 'body', path: jsonataPath(totalPages.path) }, ...stop.spec },
      0.85,
      [about(page, 'takes the page number'), { pointer: totalPages.pointer, says: `the response gives the page count in ${totalPages.path.join('.')}` }, ...stop.evidence],
      owned(page, size),
      { pageParam: page.name, totalPagesField: totalPages.path },
    );
  }
  // 4. A next-page URL in the body.
  const nextUrl = fields.find(isUrlField);
  if (nextUrl) {
    // The parameters a next URL carries are the API's business; the declared page or cursor ones are its likely choice.
    const movers = input.params.filter((candidate) => PAGE_PARAMS.has(normal(candidate.name)) || CURSOR_PARAMS.has(normal(candidate.name)));
    return guess(
      { kind: 'nextUrl', path: jsonataPath(nextUrl.path), ...stop.spec, ...pageSize },
      0.85,
      [{ pointer: nextUrl.pointer, says: `the response gives the next page's URL in ${nextUrl.path.join('.')}` }, ...stop.evidence],
      [...owned(size), ...movers.map((candidate) => candidate.name)],
      { nextUrlField: nextUrl.path, ...(movers[0] ? { pageParam: movers[0].name } : {}) },
    );
  }
  // 5. Offset and limit.
  const offset = param(OFFSET_PARAMS, (shape) => !stringish(shape));
  if (offset && size) {
    return {
      spec: { kind: 'offset', offsetParam: query(offset.name), limitParam: query(size.name), limit: pageSizeValue(size), ...startAt(offset), ...(total ? { total: { from: 'body', path: jsonataPath(total.path) } } : {}), ...stop.spec },
      confidence: 0.8,
      evidence: [about(offset, 'takes the offset'), about(size, 'takes the limit'), ...(total ? [{ pointer: total.pointer, says: `the response gives the total in ${total.path.join('.')}` }] : []), ...stop.evidence],
      params: owned(offset, size),
      parts: { ...common, offsetParam: offset.name, ...(total ? { totalField: total.path } : {}) },
    };
  }
  // 6. "Starting after" a record: the cursor is the last record's id (Stripe's starting_after).
  const after = cursorParams.find((candidate) => ['startingafter', 'after'].includes(normal(candidate.name)));
  const idField = input.recordFields.find((name) => normal(name) === 'id');
  if (after && idField) {
    const last = jsonataPath([...input.recordsPath]) ;
    return guess(
      { kind: 'cursor', cursor: { from: 'body', path: `${input.recordsPath.length > 0 ? last : '$'}[-1].${jsonataPath([idField])}` }, param: query(after.name), ...stop.spec, ...pageSize },
      stop.spec.stopWhen ? 0.8 : 0.6,
      [about(after, `takes the id of the last record read (${idField})`), ...stop.evidence],
      owned(after, size),
      { cursorParam: after.name, cursorFromRecord: idField },
    );
  }
  // 7. Page numbers alone: the walk ends on an empty or short page.
  if (page) {
    return guess(
      { kind: 'page', pageParam: query(page.name), ...startPage(page), ...pageSize, ...(total ? { total: { from: 'body', path: jsonataPath(total.path) } } : {}), ...stop.spec },
      total || stop.spec.stopWhen ? 0.8 : 0.7,
      [about(page, 'takes the page number'), ...(total ? [{ pointer: total.pointer, says: `the response gives the total in ${total.path.join('.')}` }] : []), ...stop.evidence],
      owned(page, size),
      { pageParam: page.name, ...(total ? { totalField: total.path } : {}) },
    );
  }
  // 8. A cursor the response hands back under a "next" object, with no declared parameter: send it back by its name.
  const undeclared = fields.find((candidate) => candidate.type === 'string' && candidate.path.length >= 2 && normal(candidate.path.at(-2) as string) === 'next' && CURSOR_PARAMS.has(normal(candidate.path.at(-1) as string)));
  if (undeclared) {
    const name = undeclared.path.at(-1) as string;
    return guess(
      { kind: 'cursor', cursor: { from: 'body', path: jsonataPath(undeclared.path) }, param: query(name), ...stop.spec, ...pageSize },
      0.6,
      [{ pointer: undeclared.pointer, says: `the response hands a cursor back in ${undeclared.path.join('.')}, but no parameter is declared: it is sent back as ${name}` }, ...stop.evidence],
      owned(size),
      { cursorParam: name, cursorField: undeclared.path },
    );
  }
  const signs = [hasMore, isLast, total, totalPages, field(CURSOR_FIELDS, 'string')].filter((entry) => entry !== undefined);
  if (signs.length > 0) {
    return guess({ kind: 'none' }, 0.3, signs.map((sign) => ({ pointer: sign.pointer, says: `the response has ${sign.path.join('.')}, a sign of pages, but no request parameter moves through them` })), owned(size));
  }
  return guess({ kind: 'none' }, size ? 0.5 : 0.7, [{ pointer: input.envelopePointer, says: size ? 'only a page size parameter: one page of up to that many records' : 'no pagination parameter, header or field' }], owned(size));
}

function responseFields(input: PaginationInput): Field[] {
  const records = input.recordsPath.join('.');
  return propertyPaths(input.envelope, 4)
    .filter((entry) => records === '' || (entry.path.join('.') !== records && !entry.path.join('.').startsWith(`${records}.`)))
    .map((entry) => ({ path: entry.path, pointer: `${input.envelopePointer}/properties/${entry.path.join('/properties/')}`, type: mainType(entry.shape), format: entry.shape.format }));
}

function isUrlField(field: Field): boolean {
  if (field.type !== 'string') return false;
  const name = normal(field.path.at(-1) as string);
  if (NEXT_URL_FIELDS.has(name)) return true;
  const parent = field.path.length >= 2 ? normal(field.path.at(-2) as string) : '';
  if ((name === 'next' || name === 'href') && (LINK_PARENTS.has(parent) || field.path.length === 1)) return true;
  return (name === 'uri' || name === 'url') && ['next', 'nextpage'].includes(parent);
}

function stopWhen(hasMore: Field | undefined, isLast: Field | undefined): { spec: { stopWhen?: string }; evidence: Evidence[] } {
  if (hasMore) return { spec: { stopWhen: `$not(${jsonataPath(hasMore.path)})` }, evidence: [{ pointer: hasMore.pointer, says: `${hasMore.path.join('.')} says whether more pages follow` }] };
  if (isLast) return { spec: { stopWhen: jsonataPath(isLast.path) }, evidence: [{ pointer: isLast.pointer, says: `${isLast.path.join('.')} marks the last page` }] };
  return { spec: {}, evidence: [] };
}

function query(name: string): PlacementSpec {
  return { in: 'query', name };
}

function about(param: QueryParam, says: string): Evidence {
  return { pointer: param.pointer, says: `query parameter ${param.name} ${says}` };
}

/** The largest page the parameter allows, else its default, else 100; never above the DSL's 10,000. */
function pageSizeValue(param: QueryParam): number {
  const maximum = param.schema['maximum'];
  const fallback = param.schema['default'];
  if (typeof maximum === 'number' && Number.isInteger(maximum) && maximum >= 1 && maximum <= 1000) return maximum;
  if (typeof fallback === 'number' && Number.isInteger(fallback) && fallback >= 1 && fallback <= 10_000) return fallback;
  return 100;
}

function startPage(param: QueryParam): { startPage?: number } {
  const first = param.schema['minimum'] ?? param.schema['default'];
  return first === 0 ? { startPage: 0 } : {};
}

function startAt(param: QueryParam): { startAt?: number } {
  const first = param.schema['default'];
  return typeof first === 'number' && Number.isInteger(first) && first > 0 ? { startAt: first } : {};
}
