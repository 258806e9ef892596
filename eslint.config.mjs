// ESLint flat config for the whole workspace; each project's eslint.config.mjs re-exports it.
import nx from '@nx/eslint-plugin';
import jsoncParser from 'jsonc-eslint-parser';

const workspaceRoot = import.meta.dirname;

// What each package may import (DESIGN.md, "Packages"): arrows point at what a package may use.
// A package's tags live in its package.json under `nx.tags`.
const layers = {
  canonical: [],
  schema: ['canonical'],
  engine: ['schema', 'canonical'],
  discovery: ['engine', 'schema', 'canonical'],
  'registry-client': ['schema', 'canonical'],
  sync: ['engine', 'schema', 'canonical'],
  mcp: ['sync', 'engine', 'discovery', 'registry-client', 'schema', 'canonical'],
  connectors: ['schema', 'canonical'],
  // testkit imports nothing of ours at runtime but schema types (enforced below).
  testkit: ['schema'],
  cli: ['mcp', 'sync', 'engine', 'discovery', 'registry-client', 'registry-server', 'schema', 'canonical', 'connectors', 'testkit'],
  'registry-server': ['schema', 'canonical'],
  // Workspace scripts (benchmarks, checks) may use every library.
  tools: ['canonical', 'schema', 'engine', 'sync', 'mcp', 'testkit', 'discovery', 'registry-client', 'registry-server', 'connectors'],
};

// Tests may also start testkit APIs (a devDependency), whatever their package's layer; the registry client's and
// the MCP server's start a real registry server.
const testLayers = Object.fromEntries(
  Object.entries(layers).map(([layer, allowed]) => [layer, layer === 'testkit' ? allowed : [...allowed, 'testkit', ...(layer === 'registry-client' || layer === 'mcp' ? ['registry-server'] : [])]]),
);

function constraints(map) {
  return [
    // Libraries never import applications.
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
    ...Object.entries(map).map(([layer, allowed]) => ({
      sourceTag: `layer:${layer}`,
      onlyDependOnLibsWithTags: allowed.map((name) => `layer:${name}`),
    })),
  ];
}

export const depConstraints = constraints(layers);

const boundaries = (constraintsOfFiles) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: true,
    checkDynamicDependenciesExceptions: [],
    allow: [],
    depConstraints: constraintsOfFiles,
  },
];

export default [
  {
    ignores: ['**/dist', '**/out-tsc', '**/coverage', '**/node_modules', '**/vite.config.*.timestamp*'],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(depConstraints),
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // Patterns below are relative to the workspace root (basePath), whichever project's config loads them.
    basePath: workspaceRoot,
    files: ['packages/*/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(constraints(testLayers)) },
  },
  {
    // Project config files may re-export the workspace's shared configs by relative path.
    files: ['**/eslint.config.mjs', '**/vitest.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // testkit ships to users' tests: it may use schema *types* only, never schema code.
    basePath: workspaceRoot,
    files: ['packages/testkit/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pullpush/*', '!@pullpush/schema'],
              message: 'testkit imports nothing of ours at runtime (DESIGN.md).',
            },
            {
              group: ['@pullpush/schema'],
              allowTypeImports: true,
              message: 'testkit may import schema types only: use `import type`.',
            },
          ],
        },
      ],
    },
  },
  {
    // Every package.json declares what its sources import, with real version ranges.
    basePath: workspaceRoot,
    files: ['packages/*/package.json'],
    languageOptions: { parser: jsoncParser },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          buildTargets: ['build'],
          checkMissingDependencies: true,
          checkObsoleteDependencies: false,
          checkVersionMismatches: true,
          ignoredFiles: ['{projectRoot}/eslint.config.mjs', '{projectRoot}/vitest.config.ts', '{projectRoot}/test/**/*'],
          includeTransitiveDependencies: false,
        },
      ],
    },
  },
];
