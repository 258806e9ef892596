// Helpers shared by the workspace tests: where the workspace is and what it holds.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { readWorkspacePackage, type WorkspacePackage } from '../conventions/package-conventions.ts';

export const workspaceRoot = resolve(import.meta.dirname, '../..');

export function workspacePackages(): WorkspacePackage[] {
  const packagesDir = join(workspaceRoot, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => readWorkspacePackage(join(packagesDir, entry.name), entry.name));
}

interface DepConstraint {
  sourceTag: string;
  onlyDependOnLibsWithTags: string[];
}

/** The module-boundary constraints ESLint actually applies to workspace sources. */
export async function appliedDepConstraints(): Promise<DepConstraint[]> {
  const eslint = new ESLint({ cwd: workspaceRoot });
  const config = (await eslint.calculateConfigForFile(join(workspaceRoot, 'packages/canonical/src/index.ts'))) as {
    rules: Record<string, [unknown, { depConstraints: DepConstraint[] }]>;
  };
  const rule = config.rules['@nx/enforce-module-boundaries'];
  if (!rule) throw new Error('@nx/enforce-module-boundaries is not configured for package sources');
  return rule[1].depConstraints;
}
