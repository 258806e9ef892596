// The registry as a running HTTP server (@hono/node-server) over a SQLite file or a PostgreSQL database.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createRegistryApp } from './app.ts';
import { openRegistryStore } from './open-store.ts';
import type { RateLimits } from './rate-limits.ts';

export interface RegistryServerOptions {
  /** The SQLite file (created when missing), or a PostgreSQL URL (postgres://user:password@host/db[?schema=name]). */
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
  /** Where the data is: the SQLite file, or the PostgreSQL URL with its password masked. */
  database: string;
  close(): Promise<void>;
}

export async function startRegistry(options: RegistryServerOptions): Promise<RunningRegistry> {
  const store = openRegistryStore(options.db);
  try {
    // The registry key is made at start, not on the first publish, so every instance serves the same one; and an
    // unreachable database is reported now, not on the first request.
    await store.registryKey();
  } catch (error) {
    await store.close();
    throw error;
  }
  const app = createRegistryApp({ store, ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }), ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }) });
  const host = options.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve) => {
    const running = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 0 }, () => resolve(running));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    database: store.description,
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      try {
        await closed;
      } finally {
        await store.close();
      }
    },
  };
}
