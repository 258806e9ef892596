// The live records behind every route: the generated dataset plus what tests and writes changed since. It keeps
// a logical clock (changes get timestamps after all generated data, never the wall clock), tombstones of removed
// records, and sorted views that list routes page through. Every updated_at it holds is canonical (isoSeconds).
//
// Writes must stay cheap with hundreds of thousands of records (delivery benchmarks send one request per record),
// so nothing on the write path scans a collection: the id index, the unique-value indexes and the counters of
// highest values are built once, on first use, and then kept up to date by insert, update and remove. Removal
// marks the record and leaves the splicing to the next read of the collection, which copies it anyway.
import type { AnyRecord, Dataset, Id, ResourceName } from './data/types.ts';
import { RESOURCES } from './data/dataset.ts';
import { isoSeconds, timeOf } from './time.ts';

export interface Tombstone {
  record: AnyRecord;
  deletedAt: string;
}

/** Orders ids the same way everywhere: numbers numerically, strings by code unit, numbers before strings. */
export function compareIds(a: Id, b: Id): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders canonical timestamps (see isoSeconds): as text, which is their time order. */
export function compareTimes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order of every generic list: oldest change first, ties broken by id, so paging is stable. */
export function compareByUpdate(a: AnyRecord, b: AnyRecord): number {
  return compareTimes(a.updated_at, b.updated_at) || compareIds(a.id, b.id);
}

/**
 * The key a record has in a unique-value index (its lower-cased email, its SKU and location), or undefined when it
 * has none. Used as the index's identity: pass the same function every time.
 */
export type KeyOf = (record: AnyRecord) => string | undefined;

/**
 * The highest number a record holds in some field (its numeric id, its order number, the ids of its addresses), or
 * -Infinity when it holds none. Used as the counter's identity: pass the same function every time.
 */
export type NumberOf = (record: AnyRecord) => number;

/** A record's id as a number, for ids that are numbers or numeric strings; -Infinity for others (U0…, 1:2). */
const numericId: NumberOf = (record) => {
  const n = Number(record.id);
  return Number.isFinite(n) ? n : -Infinity;
};

export class Store {
  readonly #records: Map<ResourceName, AnyRecord[]>;
  readonly #tombstones = new Map<ResourceName, Map<string, Tombstone>>();
  readonly #sorted = new Map<ResourceName, { version: number; records: AnyRecord[] }>();
  /** id → live record; built on a resource's first lookup, then kept by insert and remove. */
  readonly #byId = new Map<ResourceName, Map<string, AnyRecord>>();
  /** Records removed but still in #records: records() drops them the next time it is asked (see remove). */
  readonly #removed = new Map<ResourceName, Set<AnyRecord>>();
  /**
   * Unique-value indexes: key → the live records with that key, in storage order (one, unless a test forced a
   * duplicate), so `findUnique` answers what a scan from the start would.
   */
  readonly #unique = new Map<ResourceName, Map<KeyOf, Map<string, AnyRecord[]>>>();
  /** Highest values ever held by a record of the resource, tombstones included, so none is handed out twice. */
  readonly #highest = new Map<ResourceName, Map<NumberOf, number>>();
  #version = 0;
  #clock: number;

  /** The seed the dataset came from; derived views (fake Stripe ids, tokens) use it too. */
  readonly seed: number;

  constructor(dataset: Dataset, seed: number) {
    this.seed = seed;
    this.#records = new Map(RESOURCES.map((name) => [name, dataset[name] as unknown as AnyRecord[]]));
    let latest = 0;
    for (const records of this.#records.values()) for (const record of records) latest = Math.max(latest, timeOf(record.updated_at));
    // Changes made while the server runs happen after everything generated, on the next whole hour.
    this.#clock = Math.ceil((latest + 1) / 3_600_000) * 3_600_000 - 1000;
  }

  /** Grows with every change; caches compare it. */
  get version(): number {
    return this.#version;
  }

  /** The next instant of the logical clock (one second after the previous change). */
  tick(at?: number): string {
    this.#clock = at === undefined ? this.#clock + 1000 : Math.max(this.#clock, at);
    return isoSeconds(at ?? this.#clock);
  }

  /** The live records of a resource (not tombstones), in storage order. */
  records(resource: ResourceName): readonly AnyRecord[] {
    const records = this.#records.get(resource) ?? [];
    const removed = this.#removed.get(resource);
    if (removed !== undefined && removed.size > 0) {
      // Drop the records removed since the last call, in place, keeping the order of the others.
      let kept = 0;
      for (const record of records) if (!removed.has(record)) records[kept++] = record;
      records.length = kept;
      removed.clear();
    }
    return records;
  }

  /** Live records sorted by (updated_at, id), cached until the next change. */
  sorted(resource: ResourceName): readonly AnyRecord[] {
    const cached = this.#sorted.get(resource);
    if (cached?.version === this.#version) return cached.records;
    const records = [...this.records(resource)].sort(compareByUpdate);
    this.#sorted.set(resource, { version: this.#version, records });
    return records;
  }

  tombstones(resource: ResourceName): readonly Tombstone[] {
    return [...(this.#tombstones.get(resource)?.values() ?? [])];
  }

  #idIndex(resource: ResourceName): Map<string, AnyRecord> {
    let byId = this.#byId.get(resource);
    if (byId === undefined) {
      byId = new Map(this.records(resource).map((record) => [String(record.id), record]));
      this.#byId.set(resource, byId);
    }
    return byId;
  }

  get(resource: ResourceName, id: Id): AnyRecord | undefined {
    return this.#idIndex(resource).get(String(id));
  }

  isDeleted(resource: ResourceName, id: Id): boolean {
    return this.#tombstones.get(resource)?.has(String(id)) ?? false;
  }

  #uniqueIndex(resource: ResourceName, keyOf: KeyOf): Map<string, AnyRecord[]> {
    let indexes = this.#unique.get(resource);
    if (indexes === undefined) this.#unique.set(resource, (indexes = new Map()));
    let index = indexes.get(keyOf);
    if (index === undefined) {
      index = new Map();
      for (const record of this.records(resource)) addToIndex(index, keyOf(record), record);
      indexes.set(keyOf, index);
    }
    return index;
  }

  /**
   * The first live record (in storage order) whose key is `key`, as a scan would find it, through an index kept up
   * to date from then on. Indexed fields must change through update() (or insert and remove), not in place.
   */
  findUnique(resource: ResourceName, keyOf: KeyOf, key: string): AnyRecord | undefined {
    return this.#uniqueIndex(resource, keyOf).get(key)?.[0];
  }

  /** The highest value `numberOf` finds in the resource's records and tombstones, ever; -Infinity for none. */
  highest(resource: ResourceName, numberOf: NumberOf): number {
    let counters = this.#highest.get(resource);
    if (counters === undefined) this.#highest.set(resource, (counters = new Map()));
    let highest = counters.get(numberOf);
    if (highest === undefined) {
      highest = -Infinity;
      for (const record of this.records(resource)) highest = Math.max(highest, numberOf(record));
      for (const tombstone of this.#tombstones.get(resource)?.values() ?? []) highest = Math.max(highest, numberOf(tombstone.record));
      counters.set(numberOf, highest);
    }
    return highest;
  }

  /** The next free integer id, or the next string id in the resource's numeric pattern. */
  nextId(resource: ResourceName): Id {
    const next = Math.max(0, this.highest(resource, numericId)) + 1;
    // Every id of a resource has the same type: any record, live, removed or a tombstone, tells which.
    const sample = this.#records.get(resource)?.[0] ?? this.#tombstones.get(resource)?.values().next().value?.record;
    return typeof sample?.id === 'string' ? String(next) : next;
  }

  /** Raises the counters of the resource to what the record holds now (after an insert or an update). */
  #count(resource: ResourceName, record: AnyRecord): void {
    const counters = this.#highest.get(resource);
    if (counters === undefined) return;
    for (const [numberOf, highest] of counters) counters.set(numberOf, Math.max(highest, numberOf(record)));
  }

  insert(resource: ResourceName, record: AnyRecord): void {
    this.#records.get(resource)?.push(record);
    this.#byId.get(resource)?.set(String(record.id), record);
    // Appended last, so it goes last in its buckets: storage order is kept.
    for (const [keyOf, index] of this.#unique.get(resource) ?? []) addToIndex(index, keyOf(record), record);
    this.#count(resource, record);
    this.#version++;
  }

  /** Applies changes to a record and stamps its updated_at; returns the record, or undefined when unknown. */
  update(resource: ResourceName, id: Id, changes: Record<string, unknown>, at?: number): AnyRecord | undefined {
    const record = this.get(resource, id);
    if (record === undefined) return undefined;
    const indexes = [...(this.#unique.get(resource) ?? [])];
    const before = indexes.map(([keyOf]) => keyOf(record));
    Object.assign(record, changes, { updated_at: this.tick(at) });
    for (const [i, [keyOf, index]] of indexes.entries()) {
      const key = keyOf(record);
      if (key === before[i]) continue;
      removeFromIndex(index, before[i], record);
      addToIndex(index, key, record);
      // Rare: the new key was already taken (a test forced a duplicate). Its bucket must stay in storage order.
      const bucket = key === undefined ? undefined : index.get(key);
      if (key !== undefined && bucket !== undefined && bucket.length > 1) index.set(key, this.records(resource).filter((other) => keyOf(other) === key));
    }
    this.#count(resource, record);
    this.#version++;
    return record;
  }

  /**
   * Removes a record, keeping a tombstone (its last state, deletion time as updated_at). The record leaves the
   * storage array when records() is next asked for it: splicing now would cost a scan per removal.
   */
  remove(resource: ResourceName, id: Id, at?: number): boolean {
    const record = this.get(resource, id);
    if (record === undefined) return false;
    let removed = this.#removed.get(resource);
    if (removed === undefined) this.#removed.set(resource, (removed = new Set()));
    removed.add(record);
    this.#byId.get(resource)?.delete(String(id));
    for (const [keyOf, index] of this.#unique.get(resource) ?? []) removeFromIndex(index, keyOf(record), record);
    const deletedAt = this.tick(at);
    record.updated_at = deletedAt;
    let tombstones = this.#tombstones.get(resource);
    if (tombstones === undefined) this.#tombstones.set(resource, (tombstones = new Map()));
    tombstones.set(String(id), { record, deletedAt });
    this.#version++;
    return true;
  }

  /** Every live record, per resource: fresh arrays holding the live objects. */
  snapshot(): Dataset {
    return Object.fromEntries(RESOURCES.map((name) => [name, [...this.records(name)]])) as unknown as Dataset;
  }
}

function addToIndex(index: Map<string, AnyRecord[]>, key: string | undefined, record: AnyRecord): void {
  if (key === undefined) return;
  const bucket = index.get(key);
  if (bucket === undefined) index.set(key, [record]);
  else bucket.push(record);
}

function removeFromIndex(index: Map<string, AnyRecord[]>, key: string | undefined, record: AnyRecord): void {
  if (key === undefined) return;
  const bucket = index.get(key);
  if (bucket === undefined) return;
  const at = bucket.indexOf(record);
  if (at >= 0) bucket.splice(at, 1);
  if (bucket.length === 0) index.delete(key);
}
