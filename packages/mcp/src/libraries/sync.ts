// What the tools use of the sync pipeline, loaded on first use (load.ts).
export { openSqliteStore, Outbox, previewFlow, reconcileFlow, runFlow, runSync } from '@pullpush/sync';
