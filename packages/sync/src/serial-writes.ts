// The discipline of a background writer that runs on the reading thread (PostgreSQL's, JSON Lines'): writes go
// one after another in the order given, and once one fails every later one is refused, so no checkpoint is ever
// stored past records that were not written.
export class SerialWrites {
  #queue: Promise<unknown> = Promise.resolve();
  #failure: unknown;

  /** Runs `step` after the steps before it; after a failed one, rejects with `refuse(failure)` instead. */
  run<T>(step: () => Promise<T>, refuse: (failure: unknown) => unknown = (failure) => failure): Promise<T> {
    const done = this.#queue.then(() => {
      if (this.#failure !== undefined) throw refuse(this.#failure);
      return step().catch((error: unknown) => {
        this.#failure = error;
        throw error;
      });
    });
    this.#queue = done.catch(() => undefined);
    return done;
  }

  /** Settles once every step given so far has. */
  async idle(): Promise<void> {
    await this.#queue;
  }
}
