// pagination kind "cursor": an opaque cursor read from the body or a header, sent back with the next request. A
// cursor is sent back exactly as the API wrote it. The walk ends on an empty page, on stopWhen, or when no cursor
// comes; a missing cursor while stopWhen says there is more is an error, and so is a cursor seen before.
import type { PaginationSpec } from '@pullpush/schema';
import { clone, place } from '../request.ts';
import { firstPage, incomplete, loopGuard, pageBindings, type Paginator, type PaginatorContext, responseValue, stopWhen, truthy } from './walk.ts';

export function cursorPagination(spec: Extract<PaginationSpec, { kind: 'cursor' }>, context: PaginatorContext): Paginator {
  const cursorValue = responseValue(context, spec.cursor, 'cursor') as NonNullable<ReturnType<typeof responseValue>>;
  const stop = stopWhen(context, spec);
  return {
    start(request, bindings) {
      const first = firstPage(request, spec.pageSize);
      const guard = loopGuard('cursor', context);
      return {
        first,
        observations: [],
        async next(page) {
          if (page.received === 0) return null;
          if (stop && truthy(await stop.evaluate(page.body, pageBindings(bindings, page)))) return null;
          const cursor = await cursorValue.read(page, bindings);
          if (!truthy(cursor) || (typeof cursor === 'object' && cursor !== null)) {
            if (stop) throw incomplete(context, page, 'the response says there are more records (stopWhen is false) but holds no cursor', `Check where the cursor is read (pagination.cursor: ${spec.cursor.from} ${spec.cursor.path}).`);
            return null;
          }
          guard(String(cursor));
          const next = clone(page.request);
          place(next, spec.param, cursor);
          return next;
        },
      };
    },
  };
}
