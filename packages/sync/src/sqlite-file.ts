// A connection to one of the sync's SQLite files (a store, a flow's outbox), set up the same way whichever opens
// the file first.
import { DatabaseSync } from 'node:sqlite';
import { PullPushError } from '@pullpush/canonical/errors';
import { SyncErrorCode } from './errors.ts';

/** The page size of a new file. */
const PAGE_SIZE = 16_384;
/** WAL size at which it is checkpointed into the file. */
const WAL_CHECKPOINT_BYTES = 64 * 1024 * 1024;

/** Why a store's file could not be opened or set up, naming it. */
export function cannotOpen(path: string, error: unknown): PullPushError {
  return new PullPushError(SyncErrorCode.Database, `Cannot open the SQLite file ${path}: ${(error as Error).message}`, {
    hint: 'Check that the directory is writable and that the file is a SQLite database (or does not exist yet).',
  });
}

/** Opens (or creates) a SQLite file for a sync: WAL, pages of 16 KiB when new, a checkpoint every 64 MiB of WAL. */
export function openSqliteFile(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    // The busy timeout first: another connection (the background writer's) may hold the lock while this one opens.
    // Pages of 16 KiB in a new file (an existing one keeps its own): a record of about 2 KB took a 4 KiB page to
    // itself, which doubled what a sync wrote; seven fit in one of 16 KiB.
    // WAL: readers (any SQLite tool) never block the sync; NORMAL sync is durable against a killed process.
    db.exec(`PRAGMA busy_timeout = 5000; PRAGMA page_size = ${PAGE_SIZE}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;`);
    // A checkpoint (which syncs the file) every 64 MiB of WAL rather than every 4 MiB: a sync writes in bulk.
    const { page_size: pageSize } = db.prepare('PRAGMA page_size').get() as { page_size: number };
    db.exec(`PRAGMA wal_autocheckpoint = ${Math.round(WAL_CHECKPOINT_BYTES / pageSize)};`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
