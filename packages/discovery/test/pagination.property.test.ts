// Property: whatever names and envelopes a description uses for a pagination style discovery knows, it detects
// that style, and the draft validates with zero errors. The generator covers every style and every parameter and
// field name the detector accepts.
import { validateDefinition } from '@pullpush/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discover, draftConnector } from '../src/index.ts';

type Style = 'cursor' | 'after' | 'link' | 'pageCount' | 'nextUrl' | 'offset' | 'page' | 'none';

const name = fc.constantFrom('widgets', 'orders', 'line_items', 'Invoices', 'people');
const sizeParam = fc.constantFrom('limit', 'per_page', 'pageSize', 'page_size', 'maxResults', 'PageSize', 'size');
const caseOf = (text: string) => fc.constantFrom(text, text.toUpperCase(), text.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()));

const styleCase = fc.oneof(
  fc.record({ style: fc.constant<Style>('cursor'), param: fc.constantFrom('cursor', 'page_token', 'pageToken', 'continuation_token', 'marker', 'starting_after'), field: fc.constantFrom('next_cursor', 'nextPageToken', 'cursor', 'next_token', 'end_cursor'), nested: fc.constantFrom('', 'meta', 'response_metadata', 'pagination'), hasMore: fc.constantFrom('', 'has_more', 'hasMore', 'more') }),
  fc.record({ style: fc.constant<Style>('after'), param: fc.constantFrom('starting_after', 'after'), hasMore: fc.constantFrom('has_more', 'hasMore') }),
  fc.record({ style: fc.constant<Style>('link'), header: fc.constantFrom('Link', 'link') }),
  fc.record({ style: fc.constant<Style>('pageCount'), param: fc.constantFrom('page', 'pageNumber', 'page_no'), field: fc.constantFrom('total_pages', 'pageCount', 'num_pages', 'totalPages'), nested: fc.constantFrom('', 'meta', 'pagination') }),
  fc.record({ style: fc.constant<Style>('nextUrl'), field: fc.constantFrom('next_page_uri', 'nextUrl', 'next_link', 'next_page_url'), nested: fc.constantFrom('', 'links', 'paging') }),
  fc.record({ style: fc.constant<Style>('offset'), param: fc.constantFrom('offset', 'startAt', 'skip', 'start'), total: fc.constantFrom('', 'total', 'totalCount', 'total_count') }),
  fc.record({ style: fc.constant<Style>('page'), param: fc.constantFrom('page', 'page_number') }),
  fc.record({ style: fc.constant<Style>('none') }),
);

const expected: Record<Style, string> = { cursor: 'cursor', after: 'cursor', link: 'link', pageCount: 'page', nextUrl: 'nextUrl', offset: 'offset', page: 'page', none: 'none' };

function description(resource: string, envelope: string, size: string, key: string, testCase: Record<string, string>): object {
  const params: object[] = [];
  const fields: Record<string, object> = {};
  const headers: Record<string, object> = {};
  const put = (nested: string | undefined, field: string, schema: object) => {
    if (nested) fields[nested] = { type: 'object', properties: { ...((fields[nested] as { properties?: object })?.properties ?? {}), [field]: schema } };
    else fields[field] = schema;
  };
  const query = (param: string, type: string) => params.push({ name: param, in: 'query', schema: { type } });
  switch (testCase['style'] as Style) {
    case 'cursor':
      query(testCase['param'] as string, 'string');
      put(testCase['nested'], testCase['field'] as string, { type: 'string' });
      if (testCase['hasMore']) put(undefined, testCase['hasMore'], { type: 'boolean' });
      break;
    case 'after':
      query(testCase['param'] as string, 'string');
      put(undefined, testCase['hasMore'] as string, { type: 'boolean' });
      break;
    case 'link':
      query('page', 'integer');
      headers[testCase['header'] as string] = { schema: { type: 'string' } };
      break;
    case 'pageCount':
      query(testCase['param'] as string, 'integer');
      put(testCase['nested'], testCase['field'] as string, { type: 'integer' });
      break;
    case 'nextUrl':
      put(testCase['nested'], testCase['field'] as string, { type: 'string', format: 'uri' });
      break;
    case 'offset':
      query(testCase['param'] as string, 'integer');
      if (testCase['total']) put(undefined, testCase['total'], { type: 'integer' });
      break;
    case 'page':
      query(testCase['param'] as string, 'integer');
      break;
    case 'none':
      break;
  }
  const style = testCase['style'] as Style;
  if (style !== 'none') query(size, 'integer');
  const record = { type: 'object', properties: { [key]: { type: 'string' }, title: { type: 'string' } } };
  const list = { type: 'array', items: record };
  const body = envelope === '' ? (Object.keys(fields).length === 0 ? list : { type: 'object', properties: { [resource]: list, ...fields } }) : { type: 'object', properties: { [envelope]: list, ...fields } };
  return {
    openapi: '3.0.3',
    info: { title: 'Generated', version: '1' },
    servers: [{ url: 'https://api.example.com' }],
    paths: { [`/${resource}`]: { get: { parameters: params, responses: { 200: { description: 'ok', headers, content: { 'application/json': { schema: body } } } } } } },
  };
}

describe('pagination detection (property)', () => {
  it('detects every style under any of the names it knows, and the draft validates', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(name, fc.constantFrom('', 'data', 'items', 'results'), sizeParam, caseOf('id'), styleCase, async (resource, envelope, size, key, testCase) => {
        const model = await discover({ text: JSON.stringify(description(resource, envelope, size, key, testCase)) });
        const [operation] = model.listOperations;
        expect(operation?.pagination.spec.kind).toBe(expected[testCase.style]);
        if (testCase.style !== 'none' && testCase.style !== 'offset') expect(JSON.stringify(operation?.pagination.spec)).toContain(size === 'size' ? '"size"' : `"${size}"`);
        const draft = draftConnector(model);
        expect(validateDefinition(draft.definition).errors).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
