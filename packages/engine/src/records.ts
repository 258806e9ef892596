// The records selector (the DSL's `records`): where the records are in a response body, whether it is one record,
// and which to keep. Pagination counts the records before the filter: a filtered-out page is not an empty one.
import type { RecordsSpec } from '@pullpush/schema';
import { pointer } from './pointer.ts';
import type { Bindings, SiteExpression, SiteTable } from './sites.ts';

export interface Extracted {
  records: unknown[];
  /** Records the page held before the filter. */
  received: number;
}

export class RecordsSelector {
  readonly #single: boolean;
  readonly #path: SiteExpression<'records'> | undefined;
  readonly #filter: SiteExpression<'recordFilter'> | undefined;

  constructor(stream: string, spec: RecordsSpec | undefined, sites: SiteTable) {
    this.#single = spec?.single === true;
    this.#path = sites.optionalExpression(pointer('streams', stream, 'records', 'path'), 'records');
    this.#filter = sites.optionalExpression(pointer('streams', stream, 'records', 'filter'), 'recordFilter');
  }

  async extract(body: unknown, bindings: Bindings<'records'>): Promise<Extracted> {
    let value = this.#path ? await this.#path.evaluate(body, bindings) : body;
    if (value === undefined || value === null) return { records: [], received: 0 };
    if (this.#single || !Array.isArray(value)) value = [value];
    const records = value as unknown[];
    if (!this.#filter) return { records, received: records.length };
    const kept: unknown[] = [];
    const { config, partition, parent } = bindings;
    for (const record of records) if (await this.#filter.evaluate(record, { config, partition, parent, record })) kept.push(record);
    return { records: kept, received: records.length };
  }
}
