// The MCP server, loaded when `pullpush mcp` runs.
export { serveStdio, startHttpServer } from '@pullpush/mcp';
