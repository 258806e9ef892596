// Public entry point of @pullpush/registry-server.
export { createRegistryApp, type RegistryAppOptions } from './app.ts';
export { RegistryError, RegistryErrorCode } from './errors.ts';
export { DEFAULT_RATE_LIMITS, type RateLimit, type RateLimits } from './rate-limits.ts';
export { startRegistry, type RegistryServerOptions, type RunningRegistry } from './serve.ts';
export { openRegistryStore } from './open-store.ts';
export { PostgresRegistryStore, type PostgresRegistryStoreOptions } from './postgres-store.ts';
export { SqliteRegistryStore, type AuditInput, type MaybePromise, type NewVersion, type PackageRecord, type RegistryStore, type SearchHit, type TokenScope, type VersionRecord } from './store.ts';
export { signedText } from './signing.ts';
