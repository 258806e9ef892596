// A deterministic field-level diff of two canonical records, for preview, reconcile and shadow runs.

export type CanonicalChange =
  | { kind: 'added'; path: string; after: unknown }
  | { kind: 'removed'; path: string; before: unknown }
  | { kind: 'changed'; path: string; before: unknown; after: unknown };

export interface CanonicalDiff {
  equal: boolean;
  /** Every change, sorted by JSON pointer. */
  changes: CanonicalChange[];
}

export interface DiffOptions {
  /** JSON pointers to leave out, with everything under them (`/raw`, `/updatedAt`). */
  ignore?: readonly string[];
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function escape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function keysOf(value: Container): string[] {
  return Array.isArray(value) ? value.map((_, index) => String(index)) : Object.keys(value);
}

function walk(before: unknown, after: unknown, path: string, ignored: (path: string) => boolean, changes: CanonicalChange[]): void {
  if (ignored(path) || Object.is(before, after)) return;
  const bothArrays = Array.isArray(before) && Array.isArray(after);
  const bothObjects = isContainer(before) && isContainer(after) && !Array.isArray(before) && !Array.isArray(after);
  if (!bothArrays && !bothObjects) {
    changes.push({ kind: 'changed', path, before, after });
    return;
  }
  const left = before as Container;
  const right = after as Container;
  const leftKeys = new Set(keysOf(left));
  const rightKeys = new Set(keysOf(right));
  for (const key of new Set([...leftKeys, ...rightKeys])) {
    const at = `${path}/${escape(key)}`;
    if (ignored(at)) continue;
    const l = (left as Record<string, unknown>)[key];
    const r = (right as Record<string, unknown>)[key];
    if (!rightKeys.has(key)) changes.push({ kind: 'removed', path: at, before: l });
    else if (!leftKeys.has(key)) changes.push({ kind: 'added', path: at, after: r });
    else walk(l, r, at, ignored, changes);
  }
}

// Pointers compare segment by segment, array indexes numerically, so /lines/10 sorts after /lines/9.
function comparePointers(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const l = left[i] as string;
    const r = right[i] as string;
    if (l === r) continue;
    const numeric = /^\d+$/.test(l) && /^\d+$/.test(r);
    return numeric ? Number(l) - Number(r) : l < r ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * Compares two records field by field. Arrays compare by position; a field missing on one side is
 * added or removed, while `null` against a value is a change (null is "no data", not absence).
 */
export function diffCanonical(before: unknown, after: unknown, options: DiffOptions = {}): CanonicalDiff {
  const ignore = options.ignore ?? [];
  const ignored = (path: string) => ignore.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  const changes: CanonicalChange[] = [];
  walk(before, after, '', ignored, changes);
  changes.sort((a, b) => comparePointers(a.path, b.path));
  return { equal: changes.length === 0, changes };
}
