// Public entry point of @pullpush/sync: run connectors' streams into destinations, with checkpoints.
export { runSync, type SyncOptions, type SyncProgress } from './run-sync.ts';
export { runFlow, type FlowRunOptions, type FlowRunSummary, type FlowShadowRunSummary } from './flow.ts';
export { flowStatus, recordFlowRun, type FlowMode, type FlowStatus, type FlowStatusOptions } from './flow-status.ts';
export { deliver, type DeliveryOptions, type DeliveryReport } from './delivery.ts';
export { previewFlow, type FlowPreview, type PreviewAction, type PreviewItem, type PreviewOptions } from './preview.ts';
export { reconcileFlow, type ReconcileOptions, type ReconcileReport } from './reconcile.ts';
export { shadowFlow, type ShadowDifference, type ShadowOptions, type ShadowReport, type ShadowWrite } from './shadow.ts';
export { Outbox, type AttemptRecord, type DeadLetter, type DeadLetterCluster, type FlowRunRecord, type OutboxCounts } from './outbox.ts';
export { PostgresStore, type PostgresStoreOptions } from './postgres-store.ts';
export { SqliteStore, openSqliteStore, rawTableNameOf, tableNameOf, type SqliteStoreOptions } from './sqlite-store.ts';
export { JsonlDestination, type JsonlDestinationOptions } from './jsonl-destination.ts';
export { openDestination, parseDestination, type DestinationSpec } from './open-destination.ts';
export { environmentName, loadConnectionConfig, type LoadConfigOptions, type LoadedConfig } from './config.ts';
export type { BackgroundWriter, Batch, Destination, FailedRecord, MaybePromise, RawRecord, StateStore, StoredState, StreamIdentity, WriteCounts } from './destination.ts';
export type { RecordCounts, RunError, RunLog, StreamSummary, SyncSummary } from './summary.ts';
export { SyncErrorCode } from './errors.ts';
