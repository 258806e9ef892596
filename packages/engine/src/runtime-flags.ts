// V8 settings for a process whose work is streaming records (a read, a sync, a flow worker). The `pullpush` CLI
// applies them when it starts; a program embedding the engine may pass them to node (`node --no-allocation-site-
// pretenuring app.js`). They are not set by the library: flags are the whole process's, and its owner's to choose.

/**
 * `--no-allocation-site-pretenuring`. V8 notes where objects are made, and when it sees nearly all of one place's
 * objects survive a young-generation collection while that generation is at its largest, it makes every later
 * object of that place directly in the old generation. A read's records live for about one page, so the decision
 * depends on when a collection happens to fall: in some runs V8 took it for the mapping's objects, which then lived
 * until the next full collection and kept the young objects they point to alive as well. Such a run spent up to 30 %
 * more CPU (a 100,000-order sync into SQLite: 6.6–7.1 s against 5.4–5.9 s, with 3 times the collection pauses and
 * 10–13 times the collectors' background work); without pretenuring every run is the fast one.
 */
export const STREAMING_V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];
