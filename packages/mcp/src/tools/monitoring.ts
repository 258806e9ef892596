// monitoring tools (being written).
import type { ToolDefinition } from '../tool.ts';

export const monitoringTools: ToolDefinition[] = [];
