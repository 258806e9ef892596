import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export interface RunIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIO: RunIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

// Read at call time from the package's own manifest, which sits one level above both src/ and dist/.
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

const HELP = `Usage: pullpush [options] <command>

Turn API documentation into working, verified data connectors.

Options:
  -v, --version  print the version
  -h, --help     print this help
`;

/** Runs the command line `args` (without `node` and the script) and returns the exit code. */
export function run(args: readonly string[], io: RunIO = processIO): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { version: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.stderr(`pullpush: ${(error as Error).message}\nRun \`pullpush --help\` for usage.\n`);
    return 2;
  }
  if (parsed.values.version) {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  if (parsed.values.help || parsed.positionals.length === 0) {
    io.stdout(HELP);
    return 0;
  }
  io.stderr(`pullpush: unknown command "${parsed.positionals[0]}".\nRun \`pullpush --help\` for usage.\n`);
  return 2;
}
