// What a version must be before the registry takes it: a definition that validates, holds no credential-like
// literal, and comes with a read-only test report of exactly its digest in which auth and every stream passed.
import { definitionArtifact, validateDefinition, type DefinitionArtifact } from '@pullpush/schema';
import { RegistryError, RegistryErrorCode } from './errors.ts';

/** What the registry reads of a test report (the engine's TestReport, as JSON). */
interface ReportShape {
  integrity?: unknown;
  verdict?: unknown;
  auth?: { ok?: unknown };
  streams?: Array<{ stream?: unknown; verdict?: unknown }>;
}

/** Formats credentials take; a definition carries templates ({{ $config.apiKey }}), never these. */
const CREDENTIAL_PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ['a Stripe key', /\b[sr]k_(live|test)_[A-Za-z0-9]{10,}/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{30,}/],
  ['a Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ['an AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
];

/** Auth fields that carry a credential: a literal there (not a template) is one. */
const CREDENTIAL_FIELDS = new Set(['token', 'password', 'value', 'clientSecret', 'refreshToken']);

export function verifyDefinition(definition: unknown): DefinitionArtifact & { version: string } {
  const result = validateDefinition(definition);
  if (!result.ok) {
    const first = result.errors[0];
    throw new RegistryError(RegistryErrorCode.InvalidDefinition, 422, `The definition has ${result.errors.length} error(s); the first: ${first?.pointer || '/'} ${first?.message}.`, 'Run pullpush validate on it and fix every error.');
  }
  const found = credentialLiteral(definition, '');
  if (found) {
    throw new RegistryError(RegistryErrorCode.SecretLiteral, 422, `The definition holds what looks like ${found.what} at ${found.pointer}.`, 'Put credentials in the connection config (a config property marked secret) and refer to them as {{ $config.… }}.');
  }
  return { ...definitionArtifact(definition), version: String((definition as { version: string }).version) };
}

export function verifyReport(report: unknown, integrity: string): void {
  const shape = (report ?? {}) as ReportShape;
  if (typeof report !== 'object' || report === null) {
    throw new RegistryError(RegistryErrorCode.Unverified, 422, 'A publish needs the read-only test report of the definition.', 'Run pullpush test <definition> --json > report.json against the live API and publish with --report report.json.');
  }
  if (shape.integrity !== integrity) {
    throw new RegistryError(RegistryErrorCode.Unverified, 422, `The test report is of another definition (${String(shape.integrity).slice(0, 24)}…, this one is ${integrity.slice(0, 24)}…).`, 'Test exactly the file you publish: any change makes a new digest.');
  }
  const streams = Array.isArray(shape.streams) ? shape.streams : [];
  const failing = streams.filter((stream) => stream.verdict !== 'pass').map((stream) => String(stream.stream));
  if (shape.auth?.ok !== true || streams.length === 0 || failing.length > 0) {
    throw new RegistryError(
      RegistryErrorCode.Unverified,
      422,
      shape.auth?.ok !== true ? 'The test report says auth failed.' : streams.length === 0 ? 'The test report tested no stream.' : `The test report has streams that did not pass: ${failing.join(', ')}.`,
      'Publish only a definition whose read-only test passes for auth and every stream.',
    );
  }
}

function credentialLiteral(value: unknown, pointer: string, key = ''): { what: string; pointer: string } | undefined {
  if (typeof value === 'string') {
    for (const [what, pattern] of CREDENTIAL_PATTERNS) if (pattern.test(value)) return { what, pointer: pointer || '/' };
    if (CREDENTIAL_FIELDS.has(key) && pointer.startsWith('/auth/') && value.length >= 8 && !value.includes('{{')) return { what: 'a credential written as a literal', pointer };
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = credentialLiteral(item, `${pointer}/${index}`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [name, item] of Object.entries(value)) {
      const found = credentialLiteral(item, `${pointer}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`, name);
      if (found) return found;
    }
  }
  return undefined;
}
