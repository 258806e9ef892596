// The command line: a commander program with one module per command (src/commands). `run` is the testable
// entry point; bin.ts calls it with the process's streams and a signal aborted on SIGINT. Commands load the
// libraries they use when they run, so help, usage errors and light commands start fast.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerCanonical } from './commands/canonical.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDiscover } from './commands/discover.ts';
import { registerDraft } from './commands/draft.ts';
import { registerMcp } from './commands/mcp.ts';
import { registerMock } from './commands/mock.ts';
import { registerProbe } from './commands/probe.ts';
import { registerRead } from './commands/read.ts';
import { registerWrite } from './commands/write.ts';
import { registerFlow } from './commands/flow.ts';
import { registerDlq } from './commands/dlq.ts';
import { registerQueue } from './commands/queue.ts';
import { registerRegistry } from './commands/registry.ts';
import { registerSchema } from './commands/schema.ts';
import { registerState } from './commands/state.ts';
import { registerSync } from './commands/sync.ts';
import { registerTest } from './commands/test.ts';
import { registerValidate } from './commands/validate.ts';
import { registerWorker } from './commands/worker.ts';
import { examples, type Context } from './context.ts';
import { CliError, CliErrorCode, ExitCode, UsageError } from './errors.ts';
import { Output, type RunIO } from './output.ts';

export type { RunIO } from './output.ts';

const processIO: RunIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stdoutStream: process.stdout,
  stderrStream: process.stderr,
};

// Read at call time from the package's own manifest, which sits one level above both src/ and dist/.
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

interface UsageProblem {
  message: string;
  command: string;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap((child) => allCommands(child))];
}

/** The program, with every command registered and output routed to `out`. */
function buildProgram(ctx: Context, usage: UsageProblem[]): Command {
  const program = new Command('pullpush')
    .description('Turn API documentation into working, verified data connectors: validate, test, read and sync them.')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .helpCommand('help [command]', 'print help for a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: false });
  program.addHelpText(
    'after',
    examples(
      ['pullpush demo', 'sync a local demo shop into ./pullpush-demo.db'],
      ['pullpush validate connector.json', 'check a definition'],
      ['pullpush test connector.json --config connection.json', 'test it against the live API, read-only'],
      ['pullpush sync connector.json --config connection.json --to sqlite:./pullpush.db', 'sync it'],
    ) +
      '\nExit codes: 0 ok, 1 the work failed, 2 usage error, 3 some records failed (kept), 130 interrupted.\n' +
      'Colours only on a terminal (NO_COLOR=1 turns them off, FORCE_COLOR=1 on). Run `pullpush <command> --help` for details.\n',
  );
  registerDiscover(program, ctx);
  registerDraft(program, ctx);
  registerMock(program, ctx);
  registerProbe(program, ctx);
  registerValidate(program, ctx);
  registerTest(program, ctx);
  registerRead(program, ctx);
  registerWrite(program, ctx);
  registerFlow(program, ctx);
  registerDlq(program, ctx);
  registerWorker(program, ctx);
  registerQueue(program, ctx);
  registerSync(program, ctx);
  registerState(program, ctx);
  registerSchema(program, ctx);
  registerCanonical(program, ctx);
  registerDemo(program, ctx);
  registerMcp(program, ctx);
  registerRegistry(program, ctx);
  // Every command writes help to our streams and reports parse errors to us instead of printing them.
  for (const command of allCommands(program)) {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => ctx.out.out(text),
      writeErr: (text) => ctx.out.err(text),
      outputError: (text) => void usage.push({ message: text.trim(), command: commandPath(command) }),
    });
  }
  return program;
}

function isAbort(error: unknown): boolean {
  return (error as Error | null)?.name === 'AbortError';
}

/** Runs the command line `args` (without `node` and the script) and resolves to the exit code. */
export async function run(args: readonly string[], io: RunIO = processIO): Promise<number> {
  const out = new Output(io);
  const ctx: Context = { out, signal: io.signal ?? new AbortController().signal, env: io.env ?? process.env, exitCode: ExitCode.Ok, json: false };
  const usage: UsageProblem[] = [];
  const program = buildProgram(ctx, usage);
  if (args.length === 0) {
    out.out(program.helpInformation());
    return ExitCode.Ok;
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (error.exitCode === 0) return ExitCode.Ok;
      const problem = usage.at(-1);
      if (problem) {
        const message = problem.message.replace(/^error: /, '');
        out.error(new UsageError(message, `Run \`${problem.command} --help\` for usage.`));
      }
      return ExitCode.Usage;
    }
    if (ctx.signal.aborted && isAbort(error)) {
      out.error(new CliError(CliErrorCode.Interrupted, 'Interrupted.'), ctx.json);
      return ExitCode.Interrupted;
    }
    out.error(error, ctx.json);
    if (error instanceof UsageError) return ExitCode.Usage;
    return ExitCode.Failed;
  }
}
