// Stable error codes of @pullpush/discovery. Every discovery error is a PullPushError (from @pullpush/canonical)
// with a hint; messages name the file or URL and the place in the description.
export const DiscoveryErrorCode = {
  /** The text is neither valid JSON nor valid YAML. */
  Unparseable: 'DISCOVERY_UNPARSEABLE',
  /** It parses, but is not an OpenAPI 2.0/3.x description or a Postman v2.x collection. */
  NotADescription: 'DISCOVERY_NOT_A_DESCRIPTION',
  /** The file could not be read or the URL could not be fetched. */
  Unreadable: 'DISCOVERY_UNREADABLE',
  /** The description holds no operation that reads a list of records. */
  NoListOperations: 'DISCOVERY_NO_LIST_OPERATIONS',
  /** A stream asked for by name or operation is not among the list operations. */
  UnknownOperation: 'DISCOVERY_UNKNOWN_OPERATION',
} as const;
export type DiscoveryErrorCode = (typeof DiscoveryErrorCode)[keyof typeof DiscoveryErrorCode];
