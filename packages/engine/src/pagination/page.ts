// pagination kind "page": a page number parameter. A page count or a record total (from the body or headers such
// as X-WP-TotalPages / X-Total-Count) decides the end, so the walk never asks for a page past the last (some APIs
// answer that with 400); without them a short page ends the walk only once the server's page size is known.
import type { PaginationSpec } from '@pullpush/schema';
import { place } from '../request.ts';
import { PageSizes } from './page-sizes.ts';
import { AnnouncedTotal, firstPage, incomplete, nextPosition, type Observation, pageBindings, type Paginator, type PaginatorContext, readCount, responseValue, stopWhen, truthy } from './walk.ts';

export function pagePagination(spec: Extract<PaginationSpec, { kind: 'page' }>, context: PaginatorContext): Paginator {
  const totalValue = responseValue(context, spec.total, 'total');
  const pagesValue = responseValue(context, spec.totalPages, 'totalPages');
  const stop = stopWhen(context, spec);
  const start = spec.startPage ?? 1;
  return {
    start(request, bindings) {
      const first = firstPage(request, spec.pageSize);
      place(first, spec.pageParam, start);
      const observations: Observation[] = [];
      const sizes = new PageSizes(spec.pageSize?.value);
      const announced = new AnnouncedTotal(context, observations);
      let received = 0;
      return {
        first,
        observations,
        async next(page) {
          received += page.received;
          const pagesRead = page.index + 1;
          announced.update(await readCount(totalValue, page, bindings, 'the total', context), page);
          const pages = await readCount(pagesValue, page, bindings, 'the page count', context);
          const missingRecords = announced.value !== undefined && received < announced.value;
          const missingPages = pages !== undefined && pagesRead < pages;
          const stopped = stop ? truthy(await stop.evaluate(page.body, pageBindings(bindings, page))) : false;
          if (page.received === 0 || stopped) {
            if (missingRecords || missingPages) {
              const told = missingPages ? `${pages} pages` : `${announced.value} records`;
              throw incomplete(context, page, `the API announced ${told} but the read ended after page ${start + page.index} with ${received} records`, 'Records were removed while reading, or the totals count records the endpoint does not list. Run the read again.');
            }
            return null;
          }
          let speculative = false;
          if (pages !== undefined || announced.value !== undefined) {
            if (!missingPages && !missingRecords) return null;
            sizes.noteShort(page.received, observations);
          } else if (!stop) {
            const judgement = sizes.judge(page.received, page.request.speculative === true, observations);
            if (judgement === 'end') return null;
            speculative = judgement === 'speculative';
          }
          return nextPosition(page.request, spec.pageParam, start + page.index + 1, speculative);
        },
      };
    },
  };
}
