// Upgrading definitions written for an older DSL version to the current one, one step at a time.
import { PullPushError } from '@pullpush/canonical';
import { DSL_VERSION } from './dsl/definition.ts';
import { DslCode } from './validate/problems.ts';

export interface DslMigration {
  from: string;
  to: string;
  /** Pure: returns the upgraded document, never changes its input. */
  migrate: (doc: Record<string, unknown>) => Record<string, unknown>;
}

/** Migrations shipped with this release. v1 is the first DSL version, so there are none yet. */
export const DSL_MIGRATIONS: readonly DslMigration[] = [];

const MAX_STEPS = 32;

/**
 * Brings `doc` to the current DSL version (`pullpush/v1`) through `migrations`; a current document is returned
 * as a copy. Throws DSL_UNSUPPORTED_VERSION when no chain of migrations leads from the document's version.
 */
export function migrateDefinition(doc: Record<string, unknown>, migrations: readonly DslMigration[] = DSL_MIGRATIONS): Record<string, unknown> {
  let current = structuredClone(doc);
  const path: string[] = [];
  for (let step = 0; step <= MAX_STEPS; step += 1) {
    const version = current['dsl'];
    if (version === DSL_VERSION) return current;
    const migration = migrations.find((candidate) => candidate.from === version);
    if (!migration || path.includes(migration.from)) break;
    path.push(migration.from);
    current = migration.migrate(structuredClone(current));
    current['dsl'] = migration.to;
  }
  throw new PullPushError(DslCode.UnsupportedVersion, `Cannot migrate a definition from DSL version ${JSON.stringify(doc['dsl'])} to ${DSL_VERSION}.`, {
    hint: `Known migrations: ${migrations.map((m) => `${m.from} → ${m.to}`).join(', ') || 'none'}. Upgrade @pullpush/schema, or set "dsl": "${DSL_VERSION}" if the document already follows v1.`,
    issues: [{ pointer: '/dsl', message: `unsupported DSL version ${JSON.stringify(doc['dsl'])}`, rule: DslCode.UnsupportedVersion }],
  });
}
