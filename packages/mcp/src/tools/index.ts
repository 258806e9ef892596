// Every tool the server offers, by group.
import type { ToolDefinition } from '../tool.ts';
import { canonicalTools } from './canonical.ts';
import { connectionsTools } from './connections.ts';
import { definitionsTools } from './definitions.ts';
import { deliveryTools } from './delivery.ts';
import { discoveryTools } from './discovery.ts';
import { explainTools } from './explain.ts';
import { flowsTools } from './flows.ts';
import { marketplaceTools } from './marketplace.ts';
import { monitoringTools } from './monitoring.ts';
import { syncTools } from './sync.ts';
import { testingTools } from './testing.ts';
import { validationTools } from './validation.ts';

export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...definitionsTools,
  ...flowsTools,
  ...deliveryTools,
  ...validationTools,
  ...explainTools,
  ...canonicalTools,
  ...discoveryTools,
  ...testingTools,
  ...connectionsTools,
  ...syncTools,
  ...monitoringTools,
  ...marketplaceTools,
];
