// Stable error codes of @pullpush/sync. Every sync error is a PullPushError (from @pullpush/canonical) with a
// hint; messages name the stream, the file or the variable concerned, never a secret.
export const SyncErrorCode = {
  InvalidDestination: 'SYNC_INVALID_DESTINATION',
  InvalidFlow: 'SYNC_INVALID_FLOW',
  InvalidConfig: 'SYNC_INVALID_CONFIG',
  ConfigFile: 'SYNC_CONFIG_FILE',
  UnknownStream: 'SYNC_UNKNOWN_STREAM',
  Database: 'SYNC_DATABASE',
  DatabaseVersion: 'SYNC_DATABASE_VERSION',
  Closed: 'SYNC_CLOSED',
  /** Delivery to a connector destination stopped by its caller; what is left waits in the outbox. */
  DeliveryInterrupted: 'SYNC_DELIVERY_INTERRUPTED',
  /** A flow whose destination needs what the caller did not give (the destination definition and config). */
  MissingDestination: 'SYNC_MISSING_DESTINATION',
  /** A run of a flow whose mode is paused. */
  FlowPaused: 'SYNC_FLOW_PAUSED',
  /** A cron expression or time zone pg-boss refused. */
  InvalidSchedule: 'SYNC_INVALID_SCHEDULE',
  /** A job id the queue does not have. */
  UnknownJob: 'SYNC_UNKNOWN_JOB',
  /** A queued flow job names a connector whose definition it does not carry, or a connection the worker has no config for. */
  JobInputs: 'SYNC_JOB_INPUTS',
} as const;
export type SyncErrorCode = (typeof SyncErrorCode)[keyof typeof SyncErrorCode];
