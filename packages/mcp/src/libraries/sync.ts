// What the tools use of the sync pipeline, loaded on first use (load.ts).
export { openSqliteStore, runSync } from '@pullpush/sync';
