// @pullpush/engine: the deterministic interpreter of connector definitions.
export { compileConnector, type Connector, type ConnectorOptions } from './connector.ts';
export type { EndReason, ObservedResponse, ReadLimits, ReadMessage, ReadOptions, StreamState } from './stream.ts';
export type { Observation } from './pagination/index.ts';
export { DestinationStatusError, EngineErrorCode } from './errors.ts';
export { Redactor, REDACTED } from './redact.ts';
export { isPrivateAddress } from './net/address.ts';
export type { NetworkOptions } from './net/policy.ts';
export { RateLimiter, type Budget, type RateLimiterOptions } from './net/rate-limiter.ts';
export { compileExpression, compileTemplate, type Bindings, type CompiledExpression, type CompiledTemplate, type ExpressionLimits } from './expr/compile.ts';
export { renderTestReport, testConnector, type FailureGroup, type ReportedError, type RequestLine, type StreamReport, type TestReport, type TestRunOptions, type Verdict } from './test-run.ts';
export { inferSchema, type InferredSchema } from './infer-schema.ts';
export { fetchDocument, type FetchedDocument } from './fetch-document.ts';
export { mapNativeRecord, type MapRecordOptions, type MappingResult } from './map-record.ts';
export { STREAMING_V8_FLAGS } from './runtime-flags.ts';
export { WRITE_OPERATIONS, type PlannedWrite, type WriteOperationName, type WriteOptions, type WriteResult } from './writes.ts';
