// partitions kind "parent": one partition per record of another stream (/projects/{id}/issues), read from that
// stream as the read goes; the parent read stops as soon as the partitions it was asked for are found.
import type { PartitionsSpec } from '@pullpush/schema';
import { pointer } from '../pointer.ts';
import type { PartitionRouter, RouterContext } from './router.ts';

export function parentPartitions(spec: Extract<PartitionsSpec, { kind: 'parent' }>, context: RouterContext): PartitionRouter {
  const value = context.sites.expression(pointer('streams', context.stream, 'partitions', 'value'), 'partitionValue');
  return {
    async *partitions({ limit, readParent }) {
      let count = 0;
      for await (const record of readParent(spec.stream)) {
        if (count >= limit) return;
        count += 1;
        yield { value: await value.evaluate(record, { config: context.config, record }), parent: record };
      }
    },
  };
}
