// Public entry point of @pullpush/mcp: the PullPush MCP server, its tools and its workspace.
export { serveStdio } from './stdio.ts';
export { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './http.ts';
export { createPullPushServer, errorResult, type PullPushServer, type PullPushServerOptions } from './server.ts';
export { ALL_TOOLS } from './tools/index.ts';
export { TOOLSETS, TOOLSET_NAMES, toolsetOf, toolsOf, unknownToolsets, type ToolsetName, type ToolsetSelection } from './toolsets.ts';
export { defineTool, type ToolAnnotations, type ToolContext, type ToolDefinition, type ToolGroup } from './tool.ts';
export { ServerRuntime } from './runtime.ts';
export { Workspace, SECRET_MASK, type DefinitionRevision, type DefinitionSummary, type MaskedConnection, type StoredReport, type WorkspaceOptions } from './workspace/workspace.ts';
export { SecretBox, loadSecretKey, type SealedSecret } from './workspace/secrets.ts';
export { McpErrorCode } from './errors.ts';
