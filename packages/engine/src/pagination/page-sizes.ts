// Tells a short last page from a server that sends fewer records than asked (it clamps the page size, as GitHub
// does at 100 whatever per_page says). Used where nothing in the response says whether more records exist: after a
// short page the walk asks once more, speculatively; records in that answer prove the server clamps, and its real
// page size decides from then on.
import type { Observation } from './walk.ts';

export type Judgement = 'more' | 'end' | 'speculative';

export class PageSizes {
  readonly #requested: number | undefined;
  #effective: number | undefined;
  /** The size of the short page after which a speculative request was sent. */
  #short: number | undefined;

  /** `requested`: the page size asked for, when the definition asks for one. */
  constructor(requested: number | undefined) {
    this.#requested = requested;
  }

  /** What comes after a page of `received` records, when no total or has-more flag decides. */
  judge(received: number, speculative: boolean, observations: Observation[]): Judgement {
    if (received === 0) return 'end';
    if (speculative && this.#short !== undefined && this.#effective === undefined) {
      this.#effective = this.#short;
      if (this.#requested !== undefined) observations.push({ kind: 'clampedPageSize', requested: this.#requested, received: this.#short });
    }
    const full = this.#effective ?? this.#requested;
    if (full !== undefined && received >= full) return 'more';
    if (this.#effective !== undefined) return 'end';
    this.#short = received;
    return 'speculative';
  }

  /** Notes a page shorter than asked for while a total says more exist: the server clamps. */
  noteShort(received: number, observations: Observation[]): void {
    if (this.#requested === undefined || received >= this.#requested || this.#effective !== undefined) return;
    this.#effective = received;
    observations.push({ kind: 'clampedPageSize', requested: this.#requested, received });
  }
}
