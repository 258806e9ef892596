// partitions kind "list": a fixed list of values from the definition.
import type { PartitionsSpec } from '@pullpush/schema';
import type { PartitionRouter } from './router.ts';

export function listPartitions(spec: Extract<PartitionsSpec, { kind: 'list' }>): PartitionRouter {
  return {
    count: () => spec.values.length,
    async *partitions({ limit }) {
      for (const value of spec.values.slice(0, limit)) yield { value };
    },
  };
}
