// pagination kind "offset": offset and limit parameters. The offset advances by the records received, not by the
// limit asked for (a server that clamps the limit would otherwise be skipped past); a declared total decides the
// end, and an end before it is an error.
import type { PaginationSpec } from '@pullpush/schema';
import { clone, place, type PageRequest } from '../request.ts';
import { PageSizes } from './page-sizes.ts';
import { incomplete, shrank, pageBindings, readCount, responseValue, stopWhen, truthy, type Observation, type Paginator, type PaginatorContext } from './walk.ts';

export function offsetPagination(spec: Extract<PaginationSpec, { kind: 'offset' }>, context: PaginatorContext): Paginator {
  const totalValue = responseValue(context, spec.total, 'total');
  const stop = stopWhen(context, spec);
  const start = spec.startAt ?? 0;
  return {
    start(request, bindings) {
      const first = clone(request);
      place(first, spec.offsetParam, start);
      place(first, spec.limitParam, spec.limit);
      const observations: Observation[] = [];
      const sizes = new PageSizes(spec.limit);
      let offset = start;
      let announced: number | undefined;
      return {
        first,
        observations,
        async next(page) {
          offset += page.received;
          const total = await readCount(totalValue, page, bindings, 'the total', context);
          if (total !== undefined) {
            if (announced !== undefined && total !== announced) {
              observations.push({ kind: 'totalChanged', from: announced, to: total });
              // Records removed before the position reached shift every later page: some are skipped unseen.
              if (total < announced) throw shrank(context, page, announced, total);
            }
            announced = total;
          }
          const missing = announced !== undefined && offset - start < announced;
          const stopped = stop ? truthy(await stop.evaluate(page.body, pageBindings(bindings, page))) : false;
          if (page.received === 0 || stopped) {
            if (missing) {
              throw incomplete(context, page, `the API announced ${announced} records but the read ended at offset ${offset}`, 'Records were removed while reading, or the total counts records the endpoint does not list. Run the read again; if it persists, check the total setting of the pagination.');
            }
            return null;
          }
          let speculative = false;
          if (announced !== undefined) {
            if (!missing) return null;
            sizes.noteShort(page.received, observations);
          } else if (!stop) {
            const judgement = sizes.judge(page.received, page.request.speculative === true, observations);
            if (judgement === 'end') return null;
            speculative = judgement === 'speculative';
          }
          const next: PageRequest = clone(page.request);
          place(next, spec.offsetParam, offset);
          if (speculative) next.speculative = true;
          else delete next.speculative;
          return next;
        },
      };
    },
  };
}
