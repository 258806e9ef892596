// Stable error codes of the registry client. Refusals of the registry keep the registry's own code
// (REGISTRY_UNAUTHORIZED, REGISTRY_VERSION_EXISTS, …); these are the client's.
export const RegistryClientErrorCode = {
  /** An artifact whose bytes do not match its integrity. */
  Integrity: 'REGISTRY_CLIENT_INTEGRITY',
  /** A publisher signature or registry countersignature that does not verify. */
  Signature: 'REGISTRY_CLIENT_SIGNATURE',
  /** A package name that is not @scope/name (it could reach a path). */
  InvalidName: 'REGISTRY_CLIENT_INVALID_NAME',
  /** No version satisfies the range (yanked versions are skipped). */
  NoMatchingVersion: 'REGISTRY_CLIENT_NO_MATCHING_VERSION',
  /** The lockfile cannot be read, or names what the registry does not have. */
  Lockfile: 'REGISTRY_CLIENT_LOCKFILE',
  Http: 'REGISTRY_CLIENT_HTTP',
  Network: 'REGISTRY_CLIENT_NETWORK',
} as const;
export type RegistryClientErrorCode = (typeof RegistryClientErrorCode)[keyof typeof RegistryClientErrorCode];
