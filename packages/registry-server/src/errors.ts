// Stable error codes of the registry. Every refusal is a JSON body { error: { code, message, hint } } with the
// HTTP status that fits; the client turns it back into a PullPushError with the same code.
export const RegistryErrorCode = {
  Unauthorized: 'REGISTRY_UNAUTHORIZED',
  Forbidden: 'REGISTRY_FORBIDDEN',
  NotFound: 'REGISTRY_NOT_FOUND',
  InvalidName: 'REGISTRY_INVALID_NAME',
  InvalidRequest: 'REGISTRY_INVALID_REQUEST',
  VersionExists: 'REGISTRY_VERSION_EXISTS',
  InvalidDefinition: 'REGISTRY_INVALID_DEFINITION',
  /** The test report is missing, failing, or of another definition. */
  Unverified: 'REGISTRY_UNVERIFIED',
  /** A literal value in the definition looks like a credential. */
  SecretLiteral: 'REGISTRY_SECRET_LITERAL',
  BadSignature: 'REGISTRY_BAD_SIGNATURE',
  TooLarge: 'REGISTRY_TOO_LARGE',
  /** Over the rate limit of reads or writes (429, Retry-After). */
  RateLimited: 'REGISTRY_RATE_LIMITED',
  /** The store's database (PostgreSQL) is unreachable or refused a statement; 503 to HTTP clients. */
  Database: 'REGISTRY_DATABASE',
} as const;
export type RegistryErrorCode = (typeof RegistryErrorCode)[keyof typeof RegistryErrorCode];

/** A refusal of the registry: its code, the HTTP status it is answered with, and a hint. */
export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;
  readonly hint: string | undefined;

  constructor(code: RegistryErrorCode, status: RegistryError['status'], message: string, hint?: string) {
    super(message);
    this.name = 'RegistryError';
    this.code = code;
    this.status = status;
    this.hint = hint;
  }
}
