// What the validator reports: every problem with a stable code, a JSON pointer, a message and a hint.
import { closest, distance } from 'fastest-levenshtein';

export interface Problem {
  code: string;
  severity: 'error' | 'warning';
  /** JSON pointer into the document. */
  pointer: string;
  message: string;
  hint?: string | undefined;
  /** The likely intended key or value, for misspellings. */
  suggestion?: string | undefined;
}

export interface ValidationResult {
  ok: boolean;
  errors: Problem[];
  warnings: Problem[];
}

/** Stable problem codes. */
export const DslCode = {
  UnknownKey: 'DSL_UNKNOWN_KEY',
  MissingField: 'DSL_MISSING_FIELD',
  InvalidValue: 'DSL_INVALID_VALUE',
  UnknownKind: 'DSL_UNKNOWN_KIND',
  UnsupportedVersion: 'DSL_UNSUPPORTED_VERSION',
  InvalidExpression: 'DSL_INVALID_EXPRESSION',
  ForbiddenVariable: 'DSL_FORBIDDEN_VARIABLE',
  UnknownFunction: 'DSL_UNKNOWN_FUNCTION',
  ForbiddenFunction: 'DSL_FORBIDDEN_FUNCTION',
  ForbiddenName: 'DSL_FORBIDDEN_NAME',
  TooDeep: 'DSL_TOO_DEEP',
  UnknownConfigKey: 'DSL_UNKNOWN_CONFIG_KEY',
  InvalidConfigSchema: 'DSL_INVALID_CONFIG_SCHEMA',
  SecretOutsideAuth: 'DSL_SECRET_OUTSIDE_AUTH',
  InsecureBaseUrl: 'DSL_INSECURE_BASE_URL',
  UnknownStream: 'DSL_UNKNOWN_STREAM',
  PartitionCycle: 'DSL_PARTITION_CYCLE',
  UnknownCanonicalType: 'DSL_UNKNOWN_CANONICAL_TYPE',
  UnknownCanonicalField: 'DSL_UNKNOWN_CANONICAL_FIELD',
  ReservedField: 'DSL_RESERVED_FIELD',
  MissingCanonicalField: 'DSL_MISSING_CANONICAL_FIELD',
  KeyNotMapped: 'DSL_KEY_NOT_MAPPED',
  MissingMapping: 'DSL_MISSING_MAPPING',
  PaginationIncoherent: 'DSL_PAGINATION_INCOHERENT',
  BodyOnGet: 'DSL_BODY_ON_GET',
  WriteWithoutRemoteId: 'DSL_WRITE_WITHOUT_REMOTE_ID',
  WriteWithoutTarget: 'DSL_WRITE_WITHOUT_TARGET',
  FlowUnknownStream: 'DSL_FLOW_UNKNOWN_STREAM',
  FlowNoWrites: 'DSL_FLOW_NO_WRITES',
  FlowScheduleIncoherent: 'DSL_FLOW_SCHEDULE',
  FlowShadowDestination: 'DSL_FLOW_SHADOW_DESTINATION',
  NoRateLimit: 'DSL_NO_RATE_LIMIT',
  NoCheck: 'DSL_NO_CHECK',
  FullRefresh: 'DSL_FULL_REFRESH',
  NotADocument: 'DSL_NOT_A_DOCUMENT',
  InvalidJson: 'DSL_INVALID_JSON',
  DuplicateKey: 'DSL_DUPLICATE_KEY',
} as const;

export function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function pointerOf(...segments: Array<string | number>): string {
  return segments.map((segment) => `/${escapePointer(String(segment))}`).join('');
}

/** The closest candidate when it is close enough to be a plausible typo. */
export function didYouMean(value: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(value, [...candidates]);
  const lowerHit = candidates.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (lowerHit) return lowerHit;
  return distance(value, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

export function withSuggestion(problem: Problem, value: string, candidates: readonly string[]): Problem {
  const suggestion = didYouMean(value, candidates);
  if (!suggestion) return problem;
  return { ...problem, suggestion, hint: `Did you mean "${suggestion}"?${problem.hint ? ` ${problem.hint}` : ''}` };
}
