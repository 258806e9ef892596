// pagination kind "offset": offset and limit parameters. The offset advances by the records received, not by the
// limit asked for (a server that clamps the limit would otherwise be skipped past); a declared total decides the
// end, and an end before it is an error.
import type { PaginationSpec } from '@pullpush/schema';
import { clone, place } from '../request.ts';
import { PageSizes } from './page-sizes.ts';
import { AnnouncedTotal, incomplete, nextPosition, pageBindings, readCount, responseValue, stopWhen, truthy, type Observation, type Paginator, type PaginatorContext } from './walk.ts';

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
      const announced = new AnnouncedTotal(context, observations);
      let offset = start;
      return {
        first,
        observations,
        async next(page) {
          offset += page.received;
          announced.update(await readCount(totalValue, page, bindings, 'the total', context), page);
          const missing = announced.value !== undefined && offset - start < announced.value;
          const stopped = stop ? truthy(await stop.evaluate(page.body, pageBindings(bindings, page))) : false;
          if (page.received === 0 || stopped) {
            if (missing) {
              throw incomplete(context, page, `the API announced ${announced.value} records but the read ended at offset ${offset}`, 'Records were removed while reading, or the total counts records the endpoint does not list. Run the read again; if it persists, check the total setting of the pagination.');
            }
            return null;
          }
          let speculative = false;
          if (announced.value !== undefined) {
            if (!missing) return null;
            sizes.noteShort(page.received, observations);
          } else if (!stop) {
            const judgement = sizes.judge(page.received, page.request.speculative === true, observations);
            if (judgement === 'end') return null;
            speculative = judgement === 'speculative';
          }
          return nextPosition(page.request, spec.offsetParam, offset, speculative);
        },
      };
    },
  };
}
