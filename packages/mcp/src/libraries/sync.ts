// What the tools use of the sync pipeline, loaded on first use (load.ts).
export { flowStatus, openFlowOutbox, openSqliteStore, previewFlow, reconcileFlow, runFlow, runSync, shadowFlow } from '@pullpush/sync';
