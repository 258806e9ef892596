// Server-wide switches that change how routes answer, not what data they hold: the generic styles' page-size cap,
// totals in headers, numbers written as strings, the time zone of the WordPress-like site, whether writes refuse
// duplicates. Resolved and checked
// once when the server starts, so handlers read plain values.

/** Page sizes of the generic styles: 10 unless asked, never more than the cap (100 unless configured). */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

/** The WordPress-like site's time zone unless configured: one with daylight saving time, so DST bugs show. */
export const DEFAULT_SITE_TIME_ZONE = 'America/New_York';

/** How the generic collections (/cursor, /offset, /page, /link, /next-url, /cursor-header, /after) page. */
export interface PaginationOptions {
  /** The largest page served; larger requests are clamped silently (the body's limit says so). Default 100. */
  maxPageSize?: number;
  /** Totals in headers too: X-Total-Count and X-Total-Pages on /offset and /page. Default false. */
  totalHeaders?: boolean;
  /** total, offset, limit, page, per_page and total_pages as strings ("95") in /offset and /page bodies. Default false. */
  numbersAsStrings?: boolean;
}

export interface Settings {
  readonly maxPageSize: number;
  readonly defaultPageSize: number;
  readonly totalHeaders: boolean;
  readonly numbersAsStrings: boolean;
  readonly siteTimeZone: string;
  readonly uniqueWrites: boolean;
}

export function resolveSettings(pagination: PaginationOptions = {}, siteTimeZone: string = DEFAULT_SITE_TIME_ZONE, uniqueWrites = true): Settings {
  const maxPageSize = pagination.maxPageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(maxPageSize) || maxPageSize < 1) throw new RangeError(`pagination.maxPageSize must be a positive integer, got ${maxPageSize}`);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: siteTimeZone });
  } catch {
    throw new RangeError(`siteTimeZone must be an IANA time zone such as ${DEFAULT_SITE_TIME_ZONE}, got "${siteTimeZone}"`);
  }
  return {
    maxPageSize,
    defaultPageSize: Math.min(DEFAULT_PAGE_SIZE, maxPageSize),
    totalHeaders: pagination.totalHeaders ?? false,
    numbersAsStrings: pagination.numbersAsStrings ?? false,
    siteTimeZone,
    uniqueWrites,
  };
}
