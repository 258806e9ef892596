// The libraries of the marketplace commands, loaded when one of them runs.
export { install, installFromLockfile, RegistryClient } from '@pullpush/registry-client';
export { startRegistry } from '@pullpush/registry-server';
export { loadJsonDocument } from '../documents.ts';
