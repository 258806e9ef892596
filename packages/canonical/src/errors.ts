// One error class for the whole project: a stable `code` to branch on, a message in the domain's terms,
// a `hint` that says how to fix it, and the `issues` (with JSON pointers) when there are several.

export interface Issue {
  /** JSON pointer to the offending place ("" for the whole document). */
  pointer: string;
  message: string;
  /** The rule that failed (a JSON Schema keyword such as `required`, or a convention name). */
  rule?: string;
}

export interface PullPushErrorOptions {
  hint?: string;
  issues?: Issue[];
  cause?: unknown;
}

export class PullPushError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly issues: readonly Issue[];

  constructor(code: string, message: string, options: PullPushErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PullPushError';
    this.code = code;
    this.hint = options.hint;
    this.issues = options.issues ?? [];
  }

  toJSON(): { code: string; message: string; hint?: string; issues: readonly Issue[] } {
    return { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}), issues: this.issues };
  }
}

/** Stable error codes of @pullpush/canonical. */
export const CanonicalErrorCode = {
  UnknownType: 'CANONICAL_UNKNOWN_TYPE',
  InvalidRecord: 'CANONICAL_INVALID_RECORD',
  ConventionViolation: 'CANONICAL_CONVENTION_VIOLATION',
  DuplicateType: 'CANONICAL_DUPLICATE_TYPE',
  MissingKey: 'CANONICAL_MISSING_KEY',
  NoUpcaster: 'CANONICAL_NO_UPCASTER',
  InvalidEvent: 'CANONICAL_INVALID_EVENT',
} as const;
export type CanonicalErrorCode = (typeof CanonicalErrorCode)[keyof typeof CanonicalErrorCode];

/** Formats issues as indented lines for an error message. */
export function formatIssues(issues: readonly Issue[], limit = 10): string {
  const lines = issues.slice(0, limit).map((issue) => `  ${issue.pointer || '/'}: ${issue.message}`);
  if (issues.length > limit) lines.push(`  … and ${issues.length - limit} more`);
  return lines.join('\n');
}
