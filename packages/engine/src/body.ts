// Response bodies: JSON, JSON Lines or CSV, parsed into JSON values. A body that does not parse is an error
// naming the URL and where the parse failed, never an empty page.
import { PullPushError } from '@pullpush/canonical';
import { parse as parseCsv } from 'csv-parse/sync';
import { EngineErrorCode } from './errors.ts';
import type { Redactor } from './redact.ts';

export type BodyFormat = 'json' | 'jsonl' | 'csv';

/**
 * The parser's complaint without its quote of the body: V8 quotes up to ten characters of the text that failed
 * (`Unexpected token 'c', "{"key": sk_live_4"... is not valid JSON`), which may be part of a secret the redactor
 * cannot recognise in part.
 */
function complaint(error: unknown): string {
  return String((error as Error).message).replace(/,\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)?\s+is not valid JSON$/, ': not valid JSON');
}

function parse(text: string, format: BodyFormat): unknown {
  if (format === 'jsonl') {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
  }
  if (format === 'csv') return parseCsv(text, { columns: true, skip_empty_lines: true, bom: true }) as unknown;
  // A test for any non-space character stops at the first one, where trim() would copy the whole body.
  return /\S/.test(text) ? (JSON.parse(text) as unknown) : null;
}

/**
 * The parsed body, with the connection's secrets hidden in it: an API that echoes a credential (a "who am I"
 * record, an error that quotes the key) must not carry it into records, reports or stores. One scan of the text
 * decides; a body that holds a secret is redacted as text and parsed so (JSON.parse walks any depth without
 * recursion). Where the redacted text no longer parses (a secret of digits inside a number), the parsed value's
 * strings are redacted instead, and such a number stays as the API sent it. The redactor also hides secrets in the
 * parse error.
 */
export function parseBody(body: Buffer, format: BodyFormat, shownUrl: string, redactor?: Redactor): unknown {
  const text = body.toString('utf8');
  const secret = redactor?.finds(text) === true;
  if (secret) {
    try {
      return parse((redactor as Redactor).text(text), format);
    } catch {
      // Parsed below as it came, then redacted value by value.
    }
  }
  let parsed: unknown;
  try {
    parsed = parse(text, format);
  } catch (error) {
    // No cause: the parser's error quotes the body, and causes end up in logs.
    throw new PullPushError(EngineErrorCode.InvalidBody, `The ${format.toUpperCase()} body of ${shownUrl} does not parse: ${redactor ? redactor.text(complaint(error)) : complaint(error)}`, {
      hint: 'The response may be truncated or not in the format the definition declares (http.format).',
    });
  }
  return secret ? (redactor as Redactor).value(parsed) : parsed;
}

/** Bytes of an error body redacted before its first 300 characters go into a message. */
const MAX_ERROR_SNIPPET_SOURCE = 4096;

/**
 * The start of an error answer's body for a message, on one line (an HTML or plain-text answer has line breaks):
 * redacted before it is cut, so a secret across the cut cannot show in part.
 */
export function bodyExcerpt(body: Buffer, redactor: Redactor): string {
  return redactor.text(body.toString('utf8', 0, MAX_ERROR_SNIPPET_SOURCE)).replaceAll(/\s+/g, ' ').trim().slice(0, 300);
}
