// JSON pointers (RFC 6901) into a definition: where every error and every expression site is named.

/** `/streams/orders/request/query/updated~1since` from its segments. */
export function pointer(...segments: Array<string | number>): string {
  return segments.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
