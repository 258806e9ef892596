// pagination kind "nextUrl": the next page's URL at a path in the body (relative URLs resolve against the
// response's URL), on the same host only.
import type { PaginationSpec } from '@pullpush/schema';
import { clone } from '../request.ts';
import { at, firstPage, incomplete, loopGuard, pageBindings, type Paginator, type PaginatorContext, sameHost, stopWhen, truthy } from './walk.ts';

export function nextUrlPagination(spec: Extract<PaginationSpec, { kind: 'nextUrl' }>, context: PaginatorContext): Paginator {
  const path = context.sites.expression(at(context, 'path'), 'pagination');
  const stop = stopWhen(context, spec);
  return {
    start(request, bindings) {
      const first = firstPage(request, spec.pageSize);
      const guard = loopGuard('next URL', context);
      return {
        first,
        observations: [],
        async next(page) {
          if (page.received === 0) return null;
          const scope = pageBindings(bindings, page);
          if (stop && truthy(await stop.evaluate(page.body, scope))) return null;
          const link = await path.evaluate(page.body, scope);
          if (typeof link !== 'string' || link === '') {
            if (stop) throw incomplete(context, page, 'the response says there are more records (stopWhen is false) but holds no next URL', `Check where the next URL is read (pagination.path: ${spec.path}).`);
            return null;
          }
          const url = sameHost(new URL(link, page.response.url), page.response.url, context);
          guard(url.toString());
          return { ...clone(page.request), url };
        },
      };
    },
  };
}
