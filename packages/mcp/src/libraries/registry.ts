// What the tools use of the registry client, loaded on first use (load.ts).
export { install, RegistryClient } from '@pullpush/registry-client';
export { definitionArtifact } from '@pullpush/schema';
