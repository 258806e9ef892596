// Every request the server received, for assertions: what was asked, what was answered, which fault hit it.
import type { FaultKind } from './faults.ts';

export interface RecordedRequest {
  /** Position in the log since the start (not reset by resetRequests). */
  seq: number;
  method: string;
  path: string;
  /** Query parameters; a repeated parameter keeps its last value. */
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body?: string;
  /** The status answered; 0 while unanswered, and for connections reset or left hanging by a fault. */
  status: number;
  /** When the request arrived (milliseconds since the epoch). */
  at: number;
  /** The fault applied to this request, if any. */
  fault?: FaultKind;
}

export interface RequestFilter {
  method?: string;
  /** Exact path. */
  path?: string;
  /** Path prefix: "/cursor/" counts /cursor/orders, /cursor/products, … */
  pathPrefix?: string;
  status?: number;
}

export class RequestLog {
  #entries: RecordedRequest[] = [];
  #seq = 0;

  add(entry: Omit<RecordedRequest, 'seq'>): RecordedRequest {
    const recorded = { seq: ++this.#seq, ...entry };
    this.#entries.push(recorded);
    return recorded;
  }

  all(): readonly RecordedRequest[] {
    return [...this.#entries];
  }

  count(filter: RequestFilter = {}): number {
    return this.#entries.filter(
      (entry) =>
        (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
        (filter.path === undefined || entry.path === filter.path) &&
        (filter.pathPrefix === undefined || entry.path.startsWith(filter.pathPrefix)) &&
        (filter.status === undefined || entry.status === filter.status),
    ).length;
  }

  clear(): void {
    this.#entries = [];
  }
}
