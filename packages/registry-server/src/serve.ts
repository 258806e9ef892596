// The registry as a running HTTP server (@hono/node-server) over a SQLite file.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createRegistryApp } from './app.ts';
import type { RateLimits } from './rate-limits.ts';
import { SqliteRegistryStore } from './store.ts';

export interface RegistryServerOptions {
  /** The SQLite file (created when missing). */
  db: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  maxBodyBytes?: number;
  /** Reads and writes per account or address and window (default DEFAULT_RATE_LIMITS); false: none. */
  rateLimits?: RateLimits | false;
}

export interface RunningRegistry {
  url: string;
  close(): Promise<void>;
}

export async function startRegistry(options: RegistryServerOptions): Promise<RunningRegistry> {
  const store = new SqliteRegistryStore(options.db);
  // The registry key is made at start, not on the first publish, so every instance serves the same one.
  store.registryKey();
  const app = createRegistryApp({ store, ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }), ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }) });
  const host = options.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve) => {
    const running = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 0 }, () => resolve(running));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          store.close();
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
