// Names: how discovery compares a description's names with the ones it knows (case and separators ignored), and
// how it makes DSL names (stream names, config keys, JSONata paths) from them.

/** Lower case without separators: "next_page_uri", "nextPageUri" and "Next-Page-URI" compare equal. */
export function normal(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The words of a name: "nextPageURI" → next, page, uri. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

export function snakeCase(name: string): string {
  return words(name).join('_');
}

export function camelCase(name: string): string {
  const [first = '', ...rest] = words(name);
  return first + rest.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('');
}

/** "invoices" → "invoice", "categories" → "category", "statuses" → "status"; good enough for matching names. */
export function singular(word: string): string {
  const lower = word.toLowerCase();
  if (lower.endsWith('ies') && lower.length > 4) return lower.slice(0, -3) + 'y';
  if (/(ses|xes|zes|ches|shes)$/.test(lower)) return lower.slice(0, -2);
  if (lower.endsWith('s') && !lower.endsWith('ss')) return lower.slice(0, -1);
  return lower;
}

const JSONATA_WORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/** A JSONata path of property names, back-quoting names that are not plain identifiers. */
export function jsonataPath(segments: readonly string[]): string {
  return segments.map((segment) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment) && !JSONATA_WORDS.has(segment) ? segment : `\`${segment}\``)).join('.');
}
