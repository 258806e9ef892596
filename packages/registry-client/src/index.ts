// Public entry point of @pullpush/registry-client.
export { RegistryClient, type PackageInfo, type PublishSigner, type RegistryClientOptions, type SearchResult, type VerifiedVersion, type VersionInfo } from './client.ts';
export { RegistryClientErrorCode } from './errors.ts';
export { install, installFromLockfile, parseSpec, type Installed, type InstallOptions, type LockEntry, type Lockfile } from './install.ts';
