// Destinations named by a string, as the CLI and flows name them: `sqlite:<path>`, `jsonl:<path>`, `jsonl:-`,
// `postgres://user:password@host:port/database[?schema=name]`.
import { PullPushError } from '@pullpush/canonical';
import type { Destination } from './destination.ts';
import { SyncErrorCode } from './errors.ts';
import { JsonlDestination, type JsonlDestinationOptions } from './jsonl-destination.ts';
import { PostgresStore } from './postgres-store.ts';
import { SqliteStore } from './sqlite-store.ts';

export type DestinationSpec = { kind: 'sqlite'; path: string } | { kind: 'jsonl'; path: string } | { kind: 'postgres'; url: string; schema?: string };

/** A PostgreSQL URL, with its `schema` parameter (ours, not the driver's) taken out. */
function postgresSpec(text: string): DestinationSpec {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.hostname === '') {
    throw new PullPushError(SyncErrorCode.InvalidDestination, 'The PostgreSQL destination is not a URL with a host.', {
      hint: 'Write postgres://user:password@host:5432/database, optionally with ?schema=name.',
    });
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return { kind: 'postgres', url: url.toString(), ...(schema ? { schema } : {}) };
}

export function parseDestination(text: string): DestinationSpec {
  const trimmed = text.trim();
  if (/^postgres(ql)?:\/\//.test(trimmed)) return postgresSpec(trimmed);
  const match = /^(sqlite|jsonl):(.+)$/.exec(trimmed);
  if (!match) {
    throw new PullPushError(SyncErrorCode.InvalidDestination, `"${text.replace(/\/\/[^@/]*@/, '//***@')}" is not a destination.`, {
      hint: 'Write sqlite:<file> (sqlite:./pullpush.db), jsonl:<file>, jsonl:- for standard output, or postgres://user:password@host/database.',
    });
  }
  return { kind: match[1] as 'sqlite' | 'jsonl', path: match[2] as string };
}

export function openDestination(spec: string | DestinationSpec, options: JsonlDestinationOptions = {}): Destination {
  const parsed = typeof spec === 'string' ? parseDestination(spec) : spec;
  if (parsed.kind === 'postgres') return new PostgresStore(parsed.url, parsed.schema ? { schema: parsed.schema } : {});
  return parsed.kind === 'sqlite' ? new SqliteStore(parsed.path) : new JsonlDestination(parsed.path, options);
}
