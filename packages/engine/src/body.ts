// Response bodies: JSON, JSON Lines or CSV, parsed into JSON values. A body that does not parse is an error
// naming the URL and where the parse failed, never an empty page.
import { PullPushError } from '@pullpush/canonical';
import { parse as parseCsv } from 'csv-parse/sync';
import { EngineErrorCode } from './errors.ts';

export type BodyFormat = 'json' | 'jsonl' | 'csv';

export function parseBody(body: Buffer, format: BodyFormat, shownUrl: string): unknown {
  const text = body.toString('utf8');
  try {
    if (format === 'jsonl') {
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as unknown);
    }
    if (format === 'csv') return parseCsv(text, { columns: true, skip_empty_lines: true, bom: true }) as unknown;
    return text.trim() === '' ? null : (JSON.parse(text) as unknown);
  } catch (error) {
    throw new PullPushError(EngineErrorCode.InvalidBody, `The ${format.toUpperCase()} body of ${shownUrl} does not parse: ${(error as Error).message}`, {
      hint: 'The response may be truncated or not in the format the definition declares (http.format).',
      cause: error,
    });
  }
}
