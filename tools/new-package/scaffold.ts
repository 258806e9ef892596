// Writes the files of a new publishable package that follows the workspace conventions
// (exports with a source condition, files, engines, tags, tsconfigs, vitest and eslint configs).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface PackageSpec {
  /** Folder under packages/, also the default npm name after the `@pullpush/` scope. */
  folder: string;
  /** npm name; defaults to `@pullpush/<folder>`. */
  npmName?: string;
  /** One sentence: the package's job, used in package.json and the README. */
  description: string;
  /** `lib` packages are imported by others; `app` packages (the CLI, services) are not. */
  kind: 'lib' | 'app';
  /** Name of the executable for an app with a command; its entry is src/bin.ts. */
  bin?: string;
}

export const NODE_ENGINES = '>=22.13';
export const SOURCE_CONDITION = '@pullpush/source';

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function packageJson(spec: PackageSpec): Record<string, unknown> {
  const name = spec.npmName ?? `@pullpush/${spec.folder}`;
  return {
    name,
    version: '0.0.0',
    description: spec.description,
    license: 'MIT',
    type: 'module',
    engines: { node: NODE_ENGINES },
    sideEffects: false,
    exports: {
      '.': {
        [SOURCE_CONDITION]: './src/index.ts',
        types: './dist/index.d.ts',
        default: './dist/index.js',
      },
      './package.json': './package.json',
    },
    ...(spec.bin ? { bin: { [spec.bin]: './dist/bin.js' } } : {}),
    files: ['dist', 'src', '!**/*.tsbuildinfo'],
    scripts: {
      'lint:package': 'publint --strict && attw --pack . --profile esm-only',
    },
    publishConfig: { access: 'public' },
    nx: { tags: [`type:${spec.kind}`, `layer:${spec.folder}`] },
  };
}

export function scaffoldFiles(spec: PackageSpec): Record<string, string> {
  const pkg = packageJson(spec);
  const name = pkg['name'] as string;
  const files: Record<string, string> = {
    'package.json': json(pkg),
    'README.md': `# ${name}\n\n${spec.description}\n\n## Install\n\n\`\`\`sh\nnpm install ${name}\n\`\`\`\n\nRequires Node.js ${NODE_ENGINES}. ESM only.\n`,
    'tsconfig.json': json({
      extends: '../../tsconfig.base.json',
      files: [],
      include: [],
      references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }],
    }),
    'tsconfig.lib.json': json({
      extends: '../../tsconfig.base.json',
      compilerOptions: {
        rootDir: 'src',
        outDir: 'dist',
        tsBuildInfoFile: 'dist/tsconfig.lib.tsbuildinfo',
      },
      include: ['src/**/*.ts'],
      references: [],
    }),
    'tsconfig.spec.json': json({
      extends: '../../tsconfig.base.json',
      compilerOptions: { outDir: './out-tsc/vitest', types: ['node'], rewriteRelativeImportExtensions: false },
      include: ['test/**/*.ts'],
      references: [{ path: './tsconfig.lib.json' }],
    }),
    'vitest.config.ts': "export { default } from '../../vitest.shared.ts';\n",
    'eslint.config.mjs': "export { default } from '../../eslint.config.mjs';\n",
    'src/index.ts': `// Public entry point of ${name}.\n`,
  };
  if (spec.bin) {
    files['src/bin.ts'] = `#!/usr/bin/env node\n// The \`${spec.bin}\` command.\n`;
  }
  return files;
}

/** Creates packages/<folder> under `workspaceRoot`; refuses to overwrite an existing folder. */
export async function scaffoldPackage(workspaceRoot: string, spec: PackageSpec): Promise<string> {
  if (!/^[a-z][a-z0-9-]*$/.test(spec.folder)) {
    throw new Error(`Package folder "${spec.folder}" must be lower-case kebab-case (a-z, 0-9, -).`);
  }
  const dir = join(workspaceRoot, 'packages', spec.folder);
  if (existsSync(dir)) {
    throw new Error(`${dir} already exists; choose another folder name or remove it first.`);
  }
  for (const [path, content] of Object.entries(scaffoldFiles(spec))) {
    const target = join(dir, path);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, content);
  }
  await copyFile(join(workspaceRoot, 'LICENSE'), join(dir, 'LICENSE'));
  return dir;
}
