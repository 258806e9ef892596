// Destinations named by a string, as the CLI and flows name them: `sqlite:<path>`, `jsonl:<path>`, `jsonl:-`.
import { PullPushError } from '@pullpush/canonical';
import type { Destination } from './destination.ts';
import { SyncErrorCode } from './errors.ts';
import { JsonlDestination, type JsonlDestinationOptions } from './jsonl-destination.ts';
import { SqliteStore } from './sqlite-store.ts';

export type DestinationSpec = { kind: 'sqlite'; path: string } | { kind: 'jsonl'; path: string };

export function parseDestination(text: string): DestinationSpec {
  const match = /^(sqlite|jsonl):(.+)$/.exec(text.trim());
  if (!match) {
    throw new PullPushError(SyncErrorCode.InvalidDestination, `"${text}" is not a destination.`, {
      hint: 'Write sqlite:<file> (sqlite:./pullpush.db), jsonl:<file> or jsonl:- for standard output.',
    });
  }
  return { kind: match[1] as 'sqlite' | 'jsonl', path: match[2] as string };
}

export function openDestination(spec: string | DestinationSpec, options: JsonlDestinationOptions = {}): Destination {
  const parsed = typeof spec === 'string' ? parseDestination(spec) : spec;
  return parsed.kind === 'sqlite' ? new SqliteStore(parsed.path) : new JsonlDestination(parsed.path, options);
}
