// What every partition router is: the values a stream is read once for, each bound to $partition (and the parent
// record to $parent for parent partitions).
import type { SiteTable } from '../sites.ts';

export interface Partition {
  value: unknown;
  parent?: unknown;
}

export interface PartitionOptions {
  signal?: AbortSignal | undefined;
  /** Stop after this many partitions. */
  limit: number;
  /** Reads another stream's native records, within the limits of the read that asks (parent partitions). */
  readParent: (stream: string) => AsyncIterable<unknown>;
}

export interface PartitionRouter {
  /** The partitions, in order. */
  partitions(options: PartitionOptions): AsyncIterable<Partition>;
  /** How many there are, when that is known without reading anything (lists). */
  count?(): number;
}

export interface RouterContext {
  stream: string;
  /** The connection config without its secrets. */
  config: Record<string, unknown>;
  sites: SiteTable;
}

/** The key a partition's state is stored under: the value itself for strings, JSON for anything else. */
export function partitionKey(value: unknown): string {
  return value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}
