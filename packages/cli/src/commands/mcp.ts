// `pullpush mcp`: the MCP server through which AI assistants build, validate, test and run connectors — over
// stdio for a client that spawns it, or Streamable HTTP (--http) behind a bearer token.
import { TOOLSET_NAMES, unknownToolsets, type ToolsetSelection } from '@pullpush/mcp/toolsets';
import { InvalidArgumentError, type Command } from 'commander';
import { examples, positiveInteger, type Context } from '../context.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { mcpRegistrySettings } from './registry.ts';

interface McpFlags {
  workspace: string;
  http?: boolean;
  port?: number;
  host: string;
  token?: string;
  allowPrivateNetwork?: boolean;
  allowInsecureHttp?: boolean;
  maxSessions?: number;
  sessionIdle?: number;
  toolsets?: ToolsetSelection;
  publicUrl?: string;
  flowStore?: string;
  json?: boolean;
}

/** --toolsets discover,sync or --toolsets dynamic. */
function toolsetsArgument(value: string): ToolsetSelection {
  if (value.trim() === 'dynamic') return 'dynamic';
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = unknownToolsets(names);
  if (names.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`${unknown.length > 0 ? `no toolset ${unknown.join(', ')}; ` : ''}toolsets: ${TOOLSET_NAMES.join(', ')}, or dynamic.`);
  return names as ToolsetSelection;
}

/** Resolves when the signal aborts (SIGINT) or `closed` settles. */
function untilStopped(signal: AbortSignal, closed: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
    void closed.finally(() => resolve());
  });
}

export function registerMcp(program: Command, ctx: Context): void {
  program
    .command('mcp')
    .summary('serve the MCP tools to AI assistants (stdio, or Streamable HTTP)')
    .description(
      'Serve the PullPush MCP server: tools to create, validate, test and run connectors, canonical types, connections with encrypted secrets and syncs. ' +
        'Over stdio by default (an MCP client spawns `pullpush mcp`); with --http over Streamable HTTP on 127.0.0.1, which requires a bearer token (--token or PULLPUSH_MCP_TOKEN). ' +
        'Everything the assistant creates lives in the workspace directory; secrets are sealed with PULLPUSH_SECRET_KEY or the workspace key file.',
    )
    .option('--workspace <dir>', 'the workspace directory', './pullpush')
    .option('--http', 'serve Streamable HTTP instead of stdio')
    .option('--port <n>', 'HTTP port (default: a free one, printed)', positiveInteger)
    .option('--host <address>', 'HTTP address to listen on', '127.0.0.1')
    .option('--token <token>', 'HTTP bearer token (default PULLPUSH_MCP_TOKEN)')
    .option('--allow-private-network', 'let connectors reach private and loopback addresses (local and test APIs only)')
    .option('--allow-insecure-http', 'let connectors use plain http URLs (local and test APIs only)')
    .option('--max-sessions <n>', 'with --http: sessions open at once (default 32)', positiveInteger)
    .option('--session-idle <minutes>', 'with --http: close a session after this many minutes without a request (default 30)', positiveInteger)
    .option('--public-url <url>', 'with --http behind a reverse proxy that terminates TLS: the endpoint as clients reach it (https://mcp.example.com/mcp), named in the protected-resource metadata')
    .option('--toolsets <names>', `the toolsets a session lists, comma-separated (${TOOLSET_NAMES.join(', ')}), or "dynamic": only list_toolsets and enable_toolset until the assistant enables what it needs (default: all)`, toolsetsArgument)
    .option('--flow-store <url>', 'keep the stores of flows to a connector in this PostgreSQL database (postgres://…[?schema=prefix], shared with pullpush worker) instead of a SQLite file per flow in the workspace')
    .option('--json', 'with --http: print the endpoint as JSON on stdout')
    .addHelpText(
      'after',
      examples(
        ['pullpush mcp', 'stdio, for an MCP client configuration ({"command": "npx", "args": ["pullpush", "mcp"]})'],
        ['PULLPUSH_MCP_TOKEN=$(openssl rand -hex 24) pullpush mcp --http --port 3333', 'Streamable HTTP on http://127.0.0.1:3333/mcp'],
        ['pullpush mcp --toolsets discover,connect,test,sync', 'only the tools that go from an API description to a sync'],
        ['pullpush mcp --toolsets dynamic', 'the assistant lists and enables toolsets itself'],
      ),
    )
    .action(async (flags: McpFlags) => {
      const { serveStdio, startHttpServer } = await import('../libraries/mcp.ts');
      const engine = {
        ...(flags.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
        ...(flags.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
      };
      const registry = mcpRegistrySettings(ctx);
      const options = {
        workspace: flags.workspace,
        env: ctx.env,
        engine,
        ...(flags.toolsets ? { toolsets: flags.toolsets } : {}),
        ...(registry ? { registry } : {}),
        ...(flags.flowStore ? { flowStore: flags.flowStore } : {}),
      };
      if (!flags.http) {
        // stdout belongs to the protocol: nothing else may be written there.
        const server = await serveStdio(options);
        const closed = new Promise((resolve) => {
          server.onclose = () => resolve(undefined);
          process.stdin.once('end', () => resolve(undefined));
        });
        await untilStopped(ctx.signal, closed);
        await server.close();
        ctx.exitCode = ExitCode.Ok;
        return;
      }
      const token = flags.token ?? ctx.env['PULLPUSH_MCP_TOKEN'];
      if (!token) throw new UsageError('--http needs a bearer token: --token <token> or PULLPUSH_MCP_TOKEN.', 'Generate one: openssl rand -hex 24');
      const running = await startHttpServer({
        ...options,
        token,
        host: flags.host,
        ...(flags.port === undefined ? {} : { port: flags.port }),
        ...(flags.maxSessions === undefined ? {} : { maxSessions: flags.maxSessions }),
        ...(flags.sessionIdle === undefined ? {} : { sessionIdleMs: flags.sessionIdle * 60_000 }),
        ...(flags.publicUrl === undefined ? {} : { publicUrl: flags.publicUrl }),
      });
      // One line, so a supervisor can read the endpoint as soon as it is up.
      if (flags.json) ctx.out.line(JSON.stringify({ transport: 'streamable-http', url: running.url }));
      else ctx.out.errLine(`PullPush MCP server (Streamable HTTP) on ${running.url}; clients send "Authorization: Bearer <token>". Ctrl-C stops it.`);
      await untilStopped(ctx.signal, new Promise(() => undefined));
      await running.close();
      // Stopping a server with Ctrl-C is how it ends: not an interruption of work.
      ctx.exitCode = ExitCode.Ok;
    });
}
