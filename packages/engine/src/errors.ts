import { PullPushError, type PullPushErrorOptions } from '@pullpush/canonical';

// Stable error codes of @pullpush/engine. Every engine error is a PullPushError (from @pullpush/canonical)
// whose message names the stream and the redacted URL, with a hint.
export const EngineErrorCode = {
  InvalidDefinition: 'ENGINE_INVALID_DEFINITION',
  InvalidConfig: 'ENGINE_INVALID_CONFIG',
  /** A URL given to the engine (a document to fetch) that does not parse. */
  InvalidUrl: 'ENGINE_INVALID_URL',
  HostNotAllowed: 'ENGINE_HOST_NOT_ALLOWED',
  PrivateAddress: 'ENGINE_PRIVATE_ADDRESS',
  InsecureUrl: 'ENGINE_INSECURE_URL',
  RedirectRefused: 'ENGINE_REDIRECT_REFUSED',
  ResponseTooLarge: 'ENGINE_RESPONSE_TOO_LARGE',
  HttpStatus: 'ENGINE_HTTP_STATUS',
  Network: 'ENGINE_NETWORK',
  Timeout: 'ENGINE_TIMEOUT',
  InvalidBody: 'ENGINE_INVALID_BODY',
  Expression: 'ENGINE_EXPRESSION',
  PaginationLoop: 'ENGINE_PAGINATION_LOOP',
  /** A cursor or next link longer than the engine follows (a bound on memory and request size). */
  CursorTooLarge: 'ENGINE_CURSOR_TOO_LARGE',
  /** A read stopped before the end the API announced (a total, a has-more flag): never reported as success. */
  IncompleteRead: 'ENGINE_INCOMPLETE_READ',
  /** An incremental cursor value the declared format cannot read. */
  Cursor: 'ENGINE_CURSOR',
  PageLimit: 'ENGINE_PAGE_LIMIT',
  PartitionLimit: 'ENGINE_PARTITION_LIMIT',
  Auth: 'ENGINE_AUTH',
  UnknownStream: 'ENGINE_UNKNOWN_STREAM',
  ReadOnly: 'ENGINE_READ_ONLY',
  /** A value (from the API or the config) that would change which path a request goes to: `.` or `..`. */
  UnsafePathValue: 'ENGINE_UNSAFE_PATH_VALUE',
  Closed: 'ENGINE_CLOSED',
  /** A canonical type or operation the definition's writes do not declare. */
  WriteUnsupported: 'ENGINE_WRITE_UNSUPPORTED',
  /** A record to write that does not fit its canonical type: nothing is sent. */
  WriteInvalidRecord: 'ENGINE_WRITE_INVALID_RECORD',
  /** An update or delete whose request needs $remoteId, given none. */
  WriteNeedsRemoteId: 'ENGINE_WRITE_NEEDS_REMOTE_ID',
  /** The destination refused a write (its status and the start of its answer are in the message). */
  WriteFailed: 'ENGINE_WRITE_FAILED',
  /** A write that must not be repeated got no answer: the API may have applied it. */
  WriteAmbiguous: 'ENGINE_WRITE_AMBIGUOUS',
  /** A create was answered, but its remoteIdPath finds no id in the answer. */
  WriteNoRemoteId: 'ENGINE_WRITE_NO_REMOTE_ID',
  /** A lookup (writes.match) found more than one record. */
  WriteLookupAmbiguous: 'ENGINE_WRITE_LOOKUP_AMBIGUOUS',
  /** A bug of the engine itself (the schema and the engine disagree). */
  Internal: 'ENGINE_INTERNAL',
} as const;
export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

/** A write or lookup the destination answered with an error status (ENGINE_WRITE_FAILED), the status kept for callers. */
export class DestinationStatusError extends PullPushError {
  readonly status: number;

  constructor(status: number, message: string, options: PullPushErrorOptions = {}) {
    super(EngineErrorCode.WriteFailed, message, options);
    this.status = status;
  }
}
