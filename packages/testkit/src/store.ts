// The live records behind every route: the generated dataset plus what tests and writes changed since. It keeps
// a logical clock (changes get timestamps after all generated data, never the wall clock), tombstones of removed
// records, and sorted views that list routes page through. Every updated_at it holds is canonical (isoSeconds).
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

export class Store {
  readonly #records: Map<ResourceName, AnyRecord[]>;
  readonly #tombstones = new Map<ResourceName, Map<string, Tombstone>>();
  readonly #sorted = new Map<ResourceName, { version: number; records: AnyRecord[] }>();
  readonly #index = new Map<ResourceName, { version: number; byId: Map<string, AnyRecord> }>();
  #version = 0;
  /** Grows only when records are added or removed: the id index survives mere updates. */
  #membership = 0;
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
    return this.#records.get(resource) ?? [];
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

  get(resource: ResourceName, id: Id): AnyRecord | undefined {
    let index = this.#index.get(resource);
    if (index?.version !== this.#membership) {
      index = { version: this.#membership, byId: new Map(this.records(resource).map((record) => [String(record.id), record])) };
      this.#index.set(resource, index);
    }
    return index.byId.get(String(id));
  }

  isDeleted(resource: ResourceName, id: Id): boolean {
    return this.#tombstones.get(resource)?.has(String(id)) ?? false;
  }

  /** The next free integer id, or the next string id in the resource's numeric pattern. */
  nextId(resource: ResourceName): Id {
    const all = [...this.records(resource), ...this.tombstones(resource).map((t) => t.record)];
    let highest = 0;
    for (const record of all) {
      const n = Number(record.id);
      if (Number.isFinite(n) && n > highest) highest = n;
    }
    return typeof all[0]?.id === 'string' ? String(highest + 1) : highest + 1;
  }

  insert(resource: ResourceName, record: AnyRecord): void {
    this.#records.get(resource)?.push(record);
    this.#version++;
    this.#membership++;
  }

  /** Applies changes to a record and stamps its updated_at; returns the record, or undefined when unknown. */
  update(resource: ResourceName, id: Id, changes: Record<string, unknown>, at?: number): AnyRecord | undefined {
    const record = this.get(resource, id);
    if (record === undefined) return undefined;
    Object.assign(record, changes, { updated_at: this.tick(at) });
    this.#version++;
    return record;
  }

  /** Removes a record, keeping a tombstone (its last state, deletion time as updated_at). */
  remove(resource: ResourceName, id: Id, at?: number): boolean {
    const records = this.#records.get(resource);
    const record = this.get(resource, id);
    if (records === undefined || record === undefined) return false;
    records.splice(records.indexOf(record), 1);
    const deletedAt = this.tick(at);
    record.updated_at = deletedAt;
    let tombstones = this.#tombstones.get(resource);
    if (tombstones === undefined) this.#tombstones.set(resource, (tombstones = new Map()));
    tombstones.set(String(id), { record, deletedAt });
    this.#version++;
    this.#membership++;
    return true;
  }

  /** Every live record, per resource: fresh arrays holding the live objects. */
  snapshot(): Dataset {
    return Object.fromEntries(RESOURCES.map((name) => [name, [...this.records(name)]])) as unknown as Dataset;
  }
}
