// Partitions at run time: each partition kind of the DSL has its module; this table builds a stream's router.
import type { PartitionsSpec } from '@pullpush/schema';
import { buildComponent, type RuntimeTable } from '../component.ts';
import { configPartitions } from './config.ts';
import { listPartitions } from './list.ts';
import { parentPartitions } from './parent.ts';
import type { PartitionRouter, RouterContext } from './router.ts';

export { partitionKey, type Partition, type PartitionOptions, type PartitionRouter, type RouterContext } from './router.ts';

const ROUTERS: RuntimeTable<PartitionsSpec, RouterContext, PartitionRouter> = {
  list: listPartitions,
  config: configPartitions,
  parent: parentPartitions,
};

/** A stream without partitions is read once, with $partition null. */
const SINGLE: PartitionRouter = {
  async *partitions() {
    yield { value: undefined };
  },
};

export function createPartitionRouter(spec: PartitionsSpec | undefined, context: RouterContext): PartitionRouter {
  return spec === undefined ? SINGLE : buildComponent(ROUTERS, spec, context);
}
