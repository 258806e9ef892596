// The Streamable HTTP transport: one MCP session per client (Mcp-Session-Id), each with its own protocol server
// over one shared runtime. Every request needs the bearer token; Host and Origin are checked against the
// addresses the server listens on, so a web page cannot reach it through DNS rebinding.
import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { PullPushError } from '@pullpush/canonical';
import { McpErrorCode } from './errors.ts';
import { BoundedEventStore } from './event-store.ts';
import { ServerRuntime } from './runtime.ts';
import { createPullPushServer, type PullPushServer, type PullPushServerOptions } from './server.ts';
import { Workspace } from './workspace/workspace.ts';

export interface HttpServerOptions extends Omit<PullPushServerOptions, 'runtime'> {
  /** Required: clients send `Authorization: Bearer <token>`. */
  token: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Extra Host header values to accept (a reverse proxy's name), besides the listening address and localhost. */
  allowedHosts?: readonly string[];
  /** Extra Origin values to accept, besides http://localhost:<port> and http://127.0.0.1:<port>. */
  allowedOrigins?: readonly string[];
  /** Path of the MCP endpoint (default /mcp). */
  path?: string;
  /**
   * The endpoint's URL as clients reach it, behind a reverse proxy that terminates TLS (https://mcp.example.com/mcp):
   * the protected-resource metadata and the 401 name it, and its host and origin are accepted.
   */
  publicUrl?: string;
  /** Sessions open at once (default 32): an initialize beyond it is answered 503 until one ends or expires. */
  maxSessions?: number;
  /** A session without a request for this long is closed (default 30 minutes); its id then answers 404. */
  sessionIdleMs?: number;
  /** Largest request body (default 4 MiB); a larger one is answered 413. */
  maxBodyBytes?: number;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  /** Open sessions. */
  readonly sessions: number;
  close(): Promise<void>;
}

/** RFC 9728's well-known path of protected-resource metadata; the resource's own path follows it. */
const METADATA_PATH = '/.well-known/oauth-protected-resource';

/** The origin a client used, from its (already checked) Host header. */
function originOf(host: string): string {
  return `http://${host}`;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function reply(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: `${code}: ${message}` }, id: null }));
}

/** A request body over the limit: answered 413 and not read further. */
class BodyTooLarge extends PullPushError {
  constructor(limit: number) {
    super(McpErrorCode.TooLarge, `The request body exceeds ${limit} bytes.`, { hint: 'Send smaller documents (a definition is a few kilobytes).' });
  }
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  if (!options.token || options.token.length < 16) {
    throw new PullPushError(McpErrorCode.Unauthorized, 'The HTTP transport needs a bearer token of at least 16 characters.', {
      hint: 'Set PULLPUSH_MCP_TOKEN (or pass --token) to a long random value, e.g. node -e "console.log(crypto.randomBytes(24).toString(\'base64url\'))".',
    });
  }
  const expected = digest(`Bearer ${options.token}`);
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/mcp';
  const workspace = options.workspace instanceof Workspace ? options.workspace : new Workspace(options.workspace, { ...(options.env ? { env: options.env } : {}), ...(options.flowStore ? { flowStore: options.flowStore } : {}) });
  const runtime = new ServerRuntime(workspace, options.engine, options.registry);
  const maxSessions = options.maxSessions ?? 32;
  const idleMs = options.sessionIdleMs ?? 30 * 60 * 1000;
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  /** `open`: requests (an SSE stream among them) not yet finished; a session with none is idle since `lastSeen`. */
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: PullPushServer; open: number; lastSeen: number }>();
  // Idle sessions are closed by a sweep; the timer never keeps the process alive.
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const session of sessions.values()) if (session.open === 0 && now - session.lastSeen >= idleMs) void session.transport.close();
    },
    Math.max(10, Math.min(idleMs / 4, 60_000)),
  );
  sweep.unref();
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  const publicUrl = options.publicUrl === undefined ? undefined : new URL(options.publicUrl);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a browser page on another name resolving to us still sends its own Host and Origin.
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(hostHeader)) return reply(res, 403, McpErrorCode.Unauthorized, `Host ${hostHeader || '(none)'} is not allowed.`);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) return reply(res, 403, McpErrorCode.Unauthorized, `Origin ${origin} is not allowed.`);
    const requested = new URL(req.url ?? '/', 'http://x').pathname;
    // RFC 9728: what protects this resource, public like any metadata. No authorization server is named: the token
    // is given to the client by whoever runs the server, so clients do not start an OAuth flow.
    if (req.method === 'GET' && (requested === METADATA_PATH || requested === `${METADATA_PATH}${path}` || (publicUrl && requested === `${METADATA_PATH}${publicUrl.pathname}`))) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' });
      res.end(JSON.stringify({ resource: publicUrl ? publicUrl.href : `${originOf(hostHeader)}${path}`, bearer_methods_supported: ['header'], resource_name: 'PullPush MCP server' }));
      return;
    }
    if (requested !== path) return reply(res, 404, McpErrorCode.NotFound, `No endpoint here; MCP is at ${path}.`);
    const authorization = req.headers.authorization ?? '';
    if (!timingSafeEqual(digest(authorization), expected)) {
      return reply(res, 401, McpErrorCode.Unauthorized, 'A valid bearer token is required.', {
        'www-authenticate': `Bearer realm="pullpush", resource_metadata="${publicUrl ? `${publicUrl.origin}${METADATA_PATH}${publicUrl.pathname}` : `${originOf(hostHeader)}${METADATA_PATH}${path}`}"`,
      });
    }
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing) {
      existing.open += 1;
      res.once('close', () => {
        existing.open -= 1;
        existing.lastSeen = Date.now();
      });
      return existing.transport.handleRequest(req, res, req.method === 'POST' ? await readJson(req, maxBodyBytes) : undefined);
    }
    if (sessionId !== undefined) return reply(res, 404, McpErrorCode.NotFound, 'Unknown or expired session; initialize a new one.');
    if (req.method !== 'POST') return reply(res, 400, McpErrorCode.InvalidArguments, 'No session: send an initialize request first.');
    const body = await readJson(req, maxBodyBytes);
    if (!isInitializeRequest(body)) return reply(res, 400, McpErrorCode.InvalidArguments, 'No session: the first request must be initialize.');
    if (sessions.size >= maxSessions) {
      return reply(res, 503, McpErrorCode.Unavailable, `${maxSessions} sessions are open, the most this server keeps.`, { 'retry-after': '60' });
    }
    const server = createPullPushServer({ ...options, runtime });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // SSE events carry ids, and a client that reconnects with Last-Event-ID gets what it missed.
      eventStore: new BoundedEventStore(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, server, open: 0, lastSeen: Date.now() }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      void server.close();
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) {
        // The rest of the body is not read: the connection ends with the answer.
        if (!res.headersSent) reply(res, 413, error.code, error.message, { connection: 'close' });
        req.destroy();
        return;
      }
      if (!res.headersSent) reply(res, error instanceof SyntaxError ? 400 : 500, error instanceof PullPushError ? error.code : McpErrorCode.Internal, (error as Error).message);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const names = [`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, ...(publicUrl ? [publicUrl.host] : []), ...(options.allowedHosts ?? [])];
  allowedHosts = new Set(names.map((name) => name.toLowerCase()));
  allowedOrigins = new Set([`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://${host}:${port}`, ...(publicUrl ? [publicUrl.origin] : []), ...(options.allowedOrigins ?? [])].map((origin) => origin.toLowerCase()));
  const displayHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${displayHost}:${port}${path}`,
    port,
    get sessions() {
      return sessions.size;
    },
    async close() {
      clearInterval(sweep);
      await Promise.allSettled([...sessions.values()].map(({ transport }) => transport.close()));
      sessions.clear();
      await runtime.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
