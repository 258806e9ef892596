// The libraries the tools run, loaded the first time a tool needs one: a server starts and lists its tools without
// loading the engine, the sync pipeline, discovery or the registry client (a cold start is mostly module loading).
export const loadEngine = () => import('./engine.ts');
export const loadSync = () => import('./sync.ts');
export const loadDiscovery = () => import('./discovery.ts');
export const loadRegistry = () => import('./registry.ts');
