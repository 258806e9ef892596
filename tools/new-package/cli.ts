// npm run new-package -- <folder> --description "..." [--app] [--bin name] [--npm-name name]
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { scaffoldPackage } from './scaffold.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    description: { type: 'string' },
    app: { type: 'boolean', default: false },
    bin: { type: 'string' },
    'npm-name': { type: 'string' },
  },
});

const [folder] = positionals;
if (!folder || !values.description) {
  console.error('usage: npm run new-package -- <folder> --description "<the package\'s job>" [--app] [--bin <name>] [--npm-name <name>]');
  process.exit(2);
}

const dir = await scaffoldPackage(resolve(import.meta.dirname, '../..'), {
  folder,
  description: values.description,
  kind: values.app ? 'app' : 'lib',
  ...(values.bin ? { bin: values.bin } : {}),
  ...(values['npm-name'] ? { npmName: values['npm-name'] } : {}),
});
console.log(`Created ${dir}.
Next: add "${folder}" to the layers in eslint.config.mjs (what it may import), declare its
@pullpush/* dependencies in its package.json, then run \`npm install\` and \`npx nx sync\`.`);
