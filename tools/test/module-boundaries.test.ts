// The dependency direction of DESIGN.md is enforced by lint: an import against the arrows fails `npm test`.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { appliedDepConstraints, workspaceRoot } from './workspace.ts';

const exec = promisify(execFile);
const linters = new Map<string, ESLint>();

beforeAll(async () => {
  // The Nx rule reads the cached project graph; computing it once makes the test independent of prior runs.
  await exec(process.execPath, [join(workspaceRoot, 'node_modules/.bin/nx'), 'show', 'projects'], {
    cwd: workspaceRoot,
  });
}, 120_000);

/** An ESLint run from the project's folder, as `nx lint` runs it (the project's config re-exports the root one). */
function linterFor(path: string): ESLint {
  const project = path.split('/').slice(0, 2).join('/');
  let linter = linters.get(project);
  if (!linter) {
    linter = new ESLint({ cwd: join(workspaceRoot, project) });
    linters.set(project, linter);
  }
  return linter;
}

/** Lint `code` as if it were the file `path` (relative to the workspace) and return the messages of `ruleId`. */
async function lint(path: string, code: string, ruleId: string): Promise<string[]> {
  const [result] = await linterFor(path).lintText(code, { filePath: join(workspaceRoot, path) });
  return (result?.messages ?? []).filter((message) => message.ruleId === ruleId).map((message) => message.message);
}

const boundaries = '@nx/enforce-module-boundaries';

describe('module boundaries', () => {
  it('refuses canonical importing engine (against the arrows; engine already depends on canonical)', async () => {
    const messages = await lint('packages/canonical/src/wrong-way.ts', "export * from '@pullpush/engine';\n", boundaries);
    expect(messages).toEqual([expect.stringMatching(/Circular dependency between "@pullpush\/canonical" and "@pullpush\/engine"/)]);
  });

  it('refuses a package importing one its layer does not allow, naming the tags', async () => {
    // testkit may depend on schema (for its types) but not on canonical; both are upstream, so no cycle hides it.
    const messages = await lint('packages/testkit/src/x.ts', "export * from '@pullpush/canonical';\n", boundaries);
    expect(messages).toEqual([expect.stringContaining('A project tagged with "layer:testkit" can only depend on libs tagged with "layer:schema"')]);
  });

  it('refuses engine importing sync and schema importing engine', async () => {
    expect(await lint('packages/engine/src/x.ts', "export * from '@pullpush/sync';\n", boundaries)).toHaveLength(1);
    expect(await lint('packages/schema/src/x.ts', "export * from '@pullpush/engine';\n", boundaries)).toHaveLength(1);
  });

  it('refuses a library importing an application', async () => {
    const messages = await lint('packages/mcp/src/x.ts', "export * from 'pullpush';\n", boundaries);
    expect(messages).toHaveLength(1);
  });

  it('allows imports along the arrows', async () => {
    expect(await lint('packages/engine/src/x.ts', "export * from '@pullpush/schema';\n", boundaries)).toEqual([]);
    expect(await lint('packages/sync/src/x.ts', "export * from '@pullpush/canonical';\n", boundaries)).toEqual([]);
    expect(await lint('packages/cli/src/x.ts', "export * from '@pullpush/mcp';\n", boundaries)).toEqual([]);
  });

  it('lets testkit use schema types but no runtime import of ours', async () => {
    const rule = '@typescript-eslint/no-restricted-imports';
    const typeOnly = "import type { X } from '@pullpush/schema';\nexport type Y = X;\n";
    expect(await lint('packages/testkit/src/x.ts', typeOnly, rule)).toEqual([]);
    expect(await lint('packages/testkit/src/x.ts', "export * from '@pullpush/schema';\n", rule)).toEqual([
      expect.stringContaining('schema types only'),
    ]);
    expect(await lint('packages/testkit/src/x.ts', "export * from '@pullpush/canonical';\n", rule)).toHaveLength(1);
  });

  it('lets tests (not sources) start testkit APIs', async () => {
    expect(await lint('packages/engine/test/x.test.ts', "export * from '@pullpush/testkit';\n", boundaries)).toEqual([]);
    expect(await lint('packages/engine/src/x.ts', "export * from '@pullpush/testkit';\n", boundaries)).toHaveLength(1);
  });

  it('gives every layer of the design a constraint', async () => {
    const tags = (await appliedDepConstraints()).map((constraint) => constraint.sourceTag);
    for (const layer of ['canonical', 'schema', 'engine', 'sync', 'mcp', 'testkit', 'cli', 'discovery', 'registry-client']) {
      expect(tags).toContain(`layer:${layer}`);
    }
  });
});
