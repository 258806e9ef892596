// Incremental reads (the DSL's `incremental`): only records changed since the stored cursor. The stored cursor is
// the source's own value, exactly as the API wrote it (values are compared as instants, never stored re-written);
// the request sends it in its own format (requestFormat: whole seconds, a date…), moved back by the lookback,
// through a value template for operator syntax (`updated_on=>=…`). Filters are inclusive: records at the cursor are
// read again, and stores de-duplicate them by key.
import { PullPushError } from '@pullpush/canonical';
import type { IncrementalSpec } from '@pullpush/schema';
import { EngineErrorCode } from './errors.ts';
import { NOT_SYNC } from './expr/compile.ts';
import { pointer } from './pointer.ts';
import type { Redactor } from './redact.ts';
import { place, type PageRequest } from './request.ts';
import type { Bindings, SiteExpression, SiteTable, SiteTemplate } from './sites.ts';
import { dateIn, formatTimestamp, isoMillis, isoSeconds, parseTimestamp } from './time.ts';

/** A cursor value as the API wrote it, and the instant (or number) it is compared as. */
interface CursorValue {
  raw: string;
  comparable: number;
}

export interface IncrementalContext {
  stream: string;
  sites: SiteTable;
  /** The zone of timestamps written without one (the definition's timeZone). */
  timeZone: string;
  redactor: Redactor;
}

/** One partition's incremental read: where it starts, and the greatest cursor its records carried. */
export interface IncrementalWalk {
  /** The request's cursor ($state.cursor, $cursor), when there is one. */
  readonly requestCursor: string | undefined;
  /** Places the cursor into the first request, through the value template. */
  place(request: PageRequest, config: Record<string, unknown>): Promise<void>;
  /** Takes a record's cursor; false when the record is older than the cursor and the API could not filter. */
  observe(native: unknown, bindings: Bindings<'mapping'>): Promise<boolean> | boolean;
  /** The cursor to store once the partition was read to its end (as the API wrote it). */
  readonly end: string | undefined;
}

export class Incremental {
  readonly #spec: IncrementalSpec;
  readonly #context: IncrementalContext;
  readonly #cursorField: SiteExpression<'mapping'>;
  readonly #startDate: SiteTemplate<'incremental'> | undefined;
  readonly #value: SiteTemplate<'incrementalValue'> | undefined;

  constructor(spec: IncrementalSpec, context: IncrementalContext) {
    const at = (key: string) => pointer('streams', context.stream, 'incremental', key);
    this.#spec = spec;
    this.#context = context;
    this.#cursorField = context.sites.expression(at('cursorField'), 'mapping');
    this.#startDate = context.sites.optionalTemplate(at('startDate'), 'incremental');
    this.#value = context.sites.optionalTemplate(at('value'), 'incrementalValue');
  }

  /** A cursor value read as the declared format; undefined for no value, an error for one the format cannot read. */
  #read(value: unknown, where: string): CursorValue | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
    let comparable: number | undefined;
    if (raw !== undefined) {
      if (this.#spec.format === 'unixSeconds' || this.#spec.format === 'unixMillis') {
        const number = Number(raw);
        if (raw.trim() !== '' && Number.isFinite(number)) comparable = this.#spec.format === 'unixSeconds' ? number * 1000 : number;
      } else {
        comparable = parseTimestamp(raw, this.#context.timeZone)?.instant;
      }
    }
    if (raw === undefined || comparable === undefined) {
      throw new PullPushError(EngineErrorCode.Cursor, `Stream ${this.#context.stream}: ${where} is ${this.#context.redactor.text(JSON.stringify(value) ?? String(value))}, which is not a ${this.#spec.format} value.`, {
        hint: `Check incremental.cursorField and incremental.format (${this.#spec.format}): they must match how the API writes the field.`,
      });
    }
    return { raw, comparable };
  }

  /** The request's cursor: the start moved back by the lookback, written in the request format. */
  #requestCursor(start: CursorValue): string {
    const lookback = (this.#spec.lookbackSeconds ?? 0) * 1000;
    const instant = start.comparable - lookback;
    const zone = this.#context.timeZone;
    switch (this.#spec.requestFormat ?? 'asWritten') {
      case 'iso8601Seconds':
        return isoSeconds(instant);
      case 'iso8601Millis':
        return isoMillis(instant);
      case 'date':
        return dateIn(instant, zone);
      case 'unixSeconds':
        return String(Math.floor(instant / 1000));
      case 'unixMillis':
        return String(instant);
      case 'asWritten': {
        if (lookback === 0) return start.raw;
        if (this.#spec.format === 'unixSeconds') return String(Math.floor(instant / 1000));
        if (this.#spec.format === 'unixMillis') return String(instant);
        const style = parseTimestamp(start.raw, zone)?.style;
        return style ? formatTimestamp(instant, style, zone) : isoSeconds(instant);
      }
    }
  }

  /** Starts a partition's walk from its stored cursor, else the start date. */
  async begin(stored: string | undefined, config: Record<string, unknown>): Promise<IncrementalWalk> {
    let start = this.#read(stored, 'the stored cursor');
    if (start === undefined && this.#startDate) start = this.#read(await this.#startDate.render({ config }), 'incremental.startDate');
    const requestCursor = start === undefined ? undefined : this.#requestCursor(start);
    // Without a request parameter the API cannot filter: the engine drops older records itself.
    const threshold = this.#spec.param === undefined && requestCursor !== undefined ? this.#read(requestCursor, 'the request cursor')?.comparable : undefined;
    let greatest = this.#read(stored, 'the stored cursor');
    const field = this.#cursorField;
    const take = (value: unknown): boolean => {
      const cursor = this.#read(value, `the cursor field ${JSON.stringify(field.source)} of a record`);
      if (cursor === undefined) return true;
      if (threshold !== undefined && cursor.comparable < threshold) return false;
      if (greatest === undefined || cursor.comparable > greatest.comparable) greatest = cursor;
      return true;
    };
    const placement = this.#spec.param;
    const value = this.#value;
    return {
      requestCursor,
      async place(request, cfg) {
        if (placement === undefined || requestCursor === undefined) return;
        place(request, placement, value ? await value.render({ config: cfg, cursor: requestCursor }) : requestCursor);
      },
      observe(native, bindings) {
        if (field.evaluateSync) {
          const sync = field.evaluateSync(native, bindings);
          if (sync !== NOT_SYNC) return take(sync);
        }
        return field.evaluate(native, bindings).then(take);
      },
      get end() {
        return greatest?.raw;
      },
    };
  }
}
