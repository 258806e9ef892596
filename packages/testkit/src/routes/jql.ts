// A small subset of JQL, enough for incremental connectors: clauses joined by AND (parentheses allowed around
// them), each `field operator value`, and an ORDER BY. Anything else is refused the way Jira refuses bad JQL
// (400 with errorMessages), so a definition never silently reads the wrong issues.
//   fields:    project, key, id, status, statusCategory, issuetype (type), priority, labels, assignee,
//              reporter, created, updated, resolved, summary, text
//   operators: = != > >= < <= in, not in, ~ (contains), is, is not (with EMPTY / null)
//   dates:     "YYYY-MM-DD HH:mm", "YYYY/MM/DD HH:mm" or "YYYY-MM-DD", read as UTC (Jira uses the user's zone)

/** What a clause can be compared with: the facts of one issue. */
export interface JqlFacts {
  project: readonly string[];
  key: string;
  id: string;
  status: string;
  statuscategory: string;
  issuetype: string;
  priority: string | null;
  labels: readonly string[];
  assignee: string | null;
  reporter: string | null;
  created: number;
  updated: number;
  resolved: number | null;
  summary: string;
  text: string;
}

export interface JqlQuery {
  test(facts: JqlFacts): boolean;
  order: { field: 'created' | 'updated' | 'key' | 'id'; descending: boolean };
}

export class JqlError extends Error {}

type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | '~' | 'is' | 'is not';

const FIELD_ALIASES: Record<string, keyof JqlFacts> = {
  project: 'project',
  key: 'key',
  issuekey: 'key',
  id: 'id',
  status: 'status',
  statuscategory: 'statuscategory',
  issuetype: 'issuetype',
  type: 'issuetype',
  priority: 'priority',
  labels: 'labels',
  assignee: 'assignee',
  reporter: 'reporter',
  created: 'created',
  createddate: 'created',
  updated: 'updated',
  updateddate: 'updated',
  resolved: 'resolved',
  resolutiondate: 'resolved',
  summary: 'summary',
  text: 'text',
};

const DATE_FIELDS = new Set<keyof JqlFacts>(['created', 'updated', 'resolved']);

/** Splits at a separator outside quotes and parentheses; word separators (AND, OR) need a space before. */
function splitTopLevel(text: string, separator: RegExp, word = true): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote !== null) {
      if (char === '\\') i++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0 && (!word || /\s/.test(text[i - 1] ?? ''))) {
      const match = separator.exec(text.slice(i));
      if (match !== null) {
        parts.push(text.slice(start, i));
        i += match[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

/** Whether the parenthesis opening the text closes at its very end: "(a AND b)" yes, "(a) AND (b)" no. */
function enclosedWhole(text: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote !== null) {
      if (char === '\\') i++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i === text.length - 1;
  }
  return false;
}

function unwrap(text: string): string {
  let inner = text.trim();
  while (inner.startsWith('(') && enclosedWhole(inner)) inner = inner.slice(1, -1).trim();
  return inner;
}

function unquote(value: string): string {
  const text = value.trim();
  if ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'"))) return text.slice(1, -1).replace(/\\(.)/g, '$1');
  return text;
}

function parseDate(value: string): number {
  const match = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:\s+(\d{2}):(\d{2}))?$/.exec(value);
  if (match === null) throw new JqlError(`Date value '${value}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'.`);
  const [, year, month, day, hour = '00', minute = '00'] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
}

function values(raw: string, operator: Operator): string[] {
  if (operator === 'in' || operator === 'not in') {
    const text = raw.trim();
    if (!text.startsWith('(') || !text.endsWith(')')) throw new JqlError(`The operator '${operator}' needs a list of values in parentheses.`);
    return splitTopLevel(text.slice(1, -1), /^,/, false).map(unquote);
  }
  return [unquote(raw)];
}

function clause(text: string): (facts: JqlFacts) => boolean {
  const inner = unwrap(text);
  const parts = splitTopLevel(inner, /^and\s/i);
  if (parts.length > 1) {
    const tests = parts.map(clause);
    return (facts) => tests.every((test) => test(facts));
  }
  if (splitTopLevel(inner, /^or\s/i).length > 1) throw new JqlError('testkit JQL supports AND only, not OR.');
  const match = /^([A-Za-z]+)\s*(not\s+in\b|in\b|is\s+not\b|is\b|!=|>=|<=|=|>|<|~)\s*(.+)$/is.exec(inner);
  if (match === null) throw new JqlError(`Error in the JQL Query: cannot read the clause '${inner}'.`);
  const [, name = '', rawOperator = '', rawValue = ''] = match;
  const field = FIELD_ALIASES[name.toLowerCase()];
  if (field === undefined) throw new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`);
  const operator = rawOperator.toLowerCase().replace(/\s+/g, ' ') as Operator;
  if (operator === 'is' || operator === 'is not') {
    if (!/^(empty|null)$/i.test(rawValue.trim())) throw new JqlError(`The operator '${operator}' only takes EMPTY or null.`);
    return (facts) => {
      const value = facts[field];
      const empty = value === null || (Array.isArray(value) && value.length === 0);
      return operator === 'is' ? empty : !empty;
    };
  }
  const wanted = values(rawValue, operator);
  if (DATE_FIELDS.has(field)) {
    if (!['=', '!=', '>', '>=', '<', '<='].includes(operator)) throw new JqlError(`The operator '${operator}' is not supported by the '${name}' field.`);
    const bound = parseDate(wanted[0] as string);
    return (facts) => {
      const value = facts[field] as number | null;
      if (value === null) return false;
      switch (operator) {
        case '=':
          return value === bound;
        case '!=':
          return value !== bound;
        case '>':
          return value > bound;
        case '>=':
          return value >= bound;
        case '<':
          return value < bound;
        default:
          return value <= bound;
      }
    };
  }
  const lowered = wanted.map((value) => value.toLowerCase());
  return (facts) => {
    const value = facts[field];
    const actual = (Array.isArray(value) ? value : value === null ? [] : [String(value)]).map((item) => String(item).toLowerCase());
    switch (operator) {
      case '=':
      case 'in':
        return actual.some((item) => lowered.includes(item));
      case '!=':
      case 'not in':
        return !actual.some((item) => lowered.includes(item));
      case '~':
        return actual.some((item) => lowered.every((word) => item.includes(word)));
      default:
        throw new JqlError(`The operator '${operator}' is not supported by the '${name}' field.`);
    }
  };
}

/** Parses JQL; throws JqlError with a Jira-like message when it is outside the supported subset. */
export function parseJql(jql: string): JqlQuery {
  const [condition = '', orderBy] = jql.split(/\border\s+by\b/i);
  let order: JqlQuery['order'] = { field: 'created', descending: false };
  if (orderBy !== undefined) {
    const first = orderBy.split(',')[0]?.trim() ?? '';
    const match = /^(created|updated|key|id)(?:\s+(asc|desc))?$/i.exec(first);
    if (match === null) throw new JqlError(`testkit JQL can order by created, updated, key or id, not '${first}'.`);
    order = { field: (match[1] as string).toLowerCase() as JqlQuery['order']['field'], descending: (match[2] ?? 'asc').toLowerCase() === 'desc' };
  }
  const test = condition.trim() === '' ? () => true : clause(condition);
  return { test, order };
}
