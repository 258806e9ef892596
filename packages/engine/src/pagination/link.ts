// pagination kind "link": the next page's URL in the Link response header (RFC 8288), on the same host only.
import type { PaginationSpec } from '@pullpush/schema';
import { clone } from '../request.ts';
import { firstPage, loopGuard, type Paginator, type PaginatorContext, sameHost } from './walk.ts';

/** The URL of the link with relation `rel` in a Link header. */
function linkTarget(header: string | null, rel: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    const relations = /rel\s*=\s*(?:"([^"]*)"|([^";,\s]+))/i.exec(match?.[2] ?? '');
    const names = (relations?.[1] ?? relations?.[2] ?? '').toLowerCase().split(/\s+/);
    if (match && names.includes(rel.toLowerCase())) return match[1];
  }
  return undefined;
}

export function linkPagination(spec: Extract<PaginationSpec, { kind: 'link' }>, context: PaginatorContext): Paginator {
  const rel = spec.rel ?? 'next';
  return {
    start(request) {
      const first = firstPage(request, spec.pageSize);
      const guard = loopGuard('next link', context);
      return {
        first,
        observations: [],
        async next(page) {
          if (page.received === 0) return null;
          const link = linkTarget(page.response.headers.get('link'), rel);
          if (!link) return null;
          const url = sameHost(new URL(link, page.response.url), page.response.url, context);
          guard(url.toString());
          return { ...clone(page.request), url };
        },
      };
    },
  };
}
