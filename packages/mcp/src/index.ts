// Public entry point of @pullpush/mcp.
