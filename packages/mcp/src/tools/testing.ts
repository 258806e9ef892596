// testing tools (being written).
import type { ToolDefinition } from '../tool.ts';

export const testingTools: ToolDefinition[] = [];
