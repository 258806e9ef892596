// Stable error codes of @pullpush/mcp (tool failures carry these or the code of the library that failed).
export const McpErrorCode = {
  InvalidArguments: 'MCP_INVALID_ARGUMENTS',
  UnknownTool: 'MCP_UNKNOWN_TOOL',
  NotFound: 'MCP_NOT_FOUND',
  AlreadyExists: 'MCP_ALREADY_EXISTS',
  InvalidPatch: 'MCP_INVALID_PATCH',
  InvalidDocument: 'MCP_INVALID_DOCUMENT',
  SecretKey: 'MCP_SECRET_KEY',
  Workspace: 'MCP_WORKSPACE',
  Unauthorized: 'MCP_UNAUTHORIZED',
  /** The HTTP transport holds as many sessions as it keeps. */
  Unavailable: 'MCP_UNAVAILABLE',
  /** A request body over the HTTP transport's limit. */
  TooLarge: 'MCP_TOO_LARGE',
  Cancelled: 'MCP_CANCELLED',
  Internal: 'MCP_INTERNAL',
} as const;
export type McpErrorCode = (typeof McpErrorCode)[keyof typeof McpErrorCode];
