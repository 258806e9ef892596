// partitions kind "config": a list from the connection config (the repositories a user chose).
import { PullPushError } from '@pullpush/canonical';
import type { PartitionsSpec } from '@pullpush/schema';
import { EngineErrorCode } from '../errors.ts';
import type { PartitionRouter, RouterContext } from './router.ts';

export function configPartitions(spec: Extract<PartitionsSpec, { kind: 'config' }>, context: RouterContext): PartitionRouter {
  const values = (): unknown[] => {
    const value = context.config[spec.key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      throw new PullPushError(EngineErrorCode.InvalidConfig, `Stream ${context.stream} is partitioned by the config value "${spec.key}", which is not a list.`, {
        hint: `Set ${spec.key} in the connection config to a JSON array.`,
      });
    }
    return value;
  };
  return {
    count: () => values().length,
    async *partitions({ limit }) {
      for (const value of values().slice(0, limit)) yield { value };
    },
  };
}
