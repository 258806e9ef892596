// CSV as RFC 4180 writes it: a header row, CRLF line ends, fields quoted when they hold a comma, a quote or a
// line break, quotes doubled. Nested values (objects, arrays) are written as JSON text; null is an empty field.

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** The columns for a set of records: every top-level field, in order of first appearance. */
export function csvColumns(records: Iterable<Record<string, unknown>>): string[] {
  const columns = new Set<string>();
  for (const record of records) for (const name of Object.keys(record)) columns.add(name);
  return [...columns];
}
