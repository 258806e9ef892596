// Shared helpers of the testkit tests: JSON requests, walking every pagination style, a strict CSV parser.
import { get, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { TestApi } from '../src/index.ts';

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function request<T = unknown>(api: TestApi | string, path: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
  const base = typeof api === 'string' ? api : api.url;
  const response = await fetch(/^https?:/.test(path) ? path : base + path, init);
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body: body as T, text };
}

/** A GET by node:http, which sends only the headers given (fetch adds a User-Agent and more of its own). */
export async function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, { headers }, resolve).on('error', reject));
  let body = '';
  for await (const chunk of response) body += String(chunk);
  return { status: response.statusCode ?? 0, headers: response.headers, body };
}

export function postJson<T = unknown>(api: TestApi, path: string, value: unknown, headers: Record<string, string> = {}, method = 'POST'): Promise<JsonResponse<T>> {
  return request<T>(api, path, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) });
}

type Rec = { id: number | string; updated_at: string };

/** The URL of rel="next" in a Link header. */
export function nextLink(header: string | null): string | undefined {
  return /<([^>]+)>;\s*rel="next"/.exec(header ?? '')?.[1];
}

/** Walks one generic pagination style from its first page to its last; returns every record and the page count. */
export async function walk(api: TestApi, style: string, collection: string, pageSize: number, extra = ''): Promise<{ records: Rec[]; pages: number }> {
  const records: Rec[] = [];
  let pages = 0;
  const query = (params: string) => `?${params}${extra === '' ? '' : `&${extra}`}`;
  const guard = () => {
    if (++pages > 1000) throw new Error(`${style}: more than 1000 pages`);
  };
  switch (style) {
    case 'cursor': {
      let cursor: string | null = null;
      do {
        guard();
        const page: JsonResponse<{ data: Rec[]; next_cursor: string | null; has_more: boolean }> = await request(
          api,
          `/cursor/${collection}${query(`limit=${pageSize}${cursor === null ? '' : `&cursor=${cursor}`}`)}`,
        );
        if (page.status !== 200) throw new Error(page.text);
        records.push(...page.body.data);
        if (page.body.has_more !== (page.body.next_cursor !== null)) throw new Error('has_more disagrees with next_cursor');
        cursor = page.body.next_cursor;
      } while (cursor !== null);
      break;
    }
    case 'cursor-header': {
      let cursor: string | null = null;
      do {
        guard();
        const page: JsonResponse<Rec[]> = await request(api, `/cursor-header/${collection}${query(`limit=${pageSize}${cursor === null ? '' : `&cursor=${cursor}`}`)}`);
        if (page.status !== 200) throw new Error(page.text);
        records.push(...page.body);
        cursor = page.headers.get('x-next-cursor');
      } while (cursor !== null);
      break;
    }
    case 'offset': {
      for (let offset = 0; ; offset += pageSize) {
        guard();
        const page = await request<{ items: Rec[]; total: number; offset: number; limit: number }>(api, `/offset/${collection}${query(`offset=${offset}&limit=${pageSize}`)}`);
        records.push(...page.body.items);
        if (offset + pageSize >= page.body.total) break;
      }
      break;
    }
    case 'page': {
      for (let n = 1; ; n++) {
        guard();
        const page = await request<{ results: Rec[]; page: number; total_pages: number }>(api, `/page/${collection}${query(`page=${n}&per_page=${pageSize}`)}`);
        records.push(...page.body.results);
        if (n >= page.body.total_pages) break;
      }
      break;
    }
    case 'link': {
      let url: string | undefined = `/link/${collection}${query(`per_page=${pageSize}`)}`;
      while (url !== undefined) {
        guard();
        const page: JsonResponse<Rec[]> = await request(api, url);
        records.push(...page.body);
        url = nextLink(page.headers.get('link'));
      }
      break;
    }
    case 'next-url': {
      let url: string | null = `/next-url/${collection}${query(`limit=${pageSize}`)}`;
      while (url !== null) {
        guard();
        const page: JsonResponse<{ records: Rec[]; next: string | null }> = await request(api, url);
        records.push(...page.body.records);
        url = page.body.next;
      }
      break;
    }
    default:
      throw new Error(`unknown style ${style}`);
  }
  return { records, pages };
}

export const STYLES = ['cursor', 'cursor-header', 'offset', 'page', 'link', 'next-url'] as const;

/** (updated_at, id) order, the order of every generic list. */
export function byUpdate(a: Rec, b: Rec): number {
  const time = Date.parse(a.updated_at) - Date.parse(b.updated_at);
  if (time !== 0) return time;
  if (typeof a.id === 'number' && typeof b.id === 'number') return a.id - b.id;
  return String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0;
}

/** A strict RFC 4180 parser: CRLF records, quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (char === '"') {
        quoted = false;
        i++;
      } else {
        field += char;
        i++;
      }
    } else if (char === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else if (char === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (char === '\n' || char === '\r') {
      throw new Error(`bare line break at ${i}`);
    } else {
      field += char;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('last record lacks its CRLF');
  return rows;
}
