// Migrating stored canonical records to a newer major version through the registered upcasters.
import { parseTypeRef } from './definition.ts';
import { CanonicalErrorCode, PullPushError } from './errors.ts';
import { defaultRegistry, type CanonicalRegistry } from './registry.ts';
import { assertCanonical } from './validate.ts';

export interface UpcastOptions {
  /** Target version; defaults to the latest registered version. */
  to?: number;
  registry?: CanonicalRegistry;
}

/**
 * Migrates `record`, a valid `name@version` record (`from` must name its version: `commerce.order@1`), step by
 * step to the target version, and validates the result against it. Returns the record unchanged when it is
 * already at the target.
 */
export function upcastCanonical<T = Record<string, unknown>>(from: string, record: unknown, options: UpcastOptions = {}): T {
  const registry = options.registry ?? defaultRegistry;
  const parsed = parseTypeRef(from);
  const source = registry.get(from);
  if (parsed?.version === undefined) {
    throw new PullPushError(CanonicalErrorCode.UnknownType, `"${from}" does not say which version the record is.`, {
      hint: `Name the stored version, e.g. "${source.name}@1".`,
    });
  }
  const target = options.to === undefined ? registry.get(source.name) : registry.get(source.name, options.to);
  if (target.version < source.version) {
    throw new PullPushError(CanonicalErrorCode.NoUpcaster, `Cannot migrate ${from} down to ${target.name}@${target.version}.`, {
      hint: 'Upcasters only migrate forward; read the record with the version it was written in.',
    });
  }
  let current = assertCanonical<Record<string, unknown>>(source, record, registry);
  for (let version = source.version; version < target.version; version += 1) {
    const step = registry.upcasterFrom(source.name, version);
    if (!step) {
      throw new PullPushError(CanonicalErrorCode.NoUpcaster, `No upcaster from ${source.name}@${version} to @${version + 1}.`, {
        hint: 'Register one with registerUpcaster({ name, from, upcast }).',
      });
    }
    current = step.upcast(structuredClone(current));
  }
  return assertCanonical<T>(target, current, registry);
}
