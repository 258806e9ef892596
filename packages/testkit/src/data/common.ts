// Building blocks shared by the generators: when records were created and changed, people's names and
// addresses. Everything draws from the Random it is given, so callers decide which stream it consumes.
import type { Random } from '../prng.ts';
import { BASE_MS, daysAfterBase, isoSeconds } from '../time.ts';
import type { Address } from './types.ts';
import { CITIES, FIRST_NAMES, LAST_NAMES, STREETS } from './words.ts';

/** Records are created within this many days after the base date… */
export const CREATED_SPAN_DAYS = 90;
/** …and changed up to this many days after that. */
export const UPDATED_SPAN_DAYS = 30;
/** A bulk update that touched about a tenth of all records at once: equal updated_at values, on purpose. */
export const BULK_UPDATE_MS = daysAfterBase(45) + 12 * 3_600_000;

export interface Moments {
  created: number;
  updated: number;
}

/**
 * Creation and update times for `count` records, sorted by creation (ids are then assigned in that order, as
 * real APIs do). Some records were never changed (updated = created), some share the bulk-update instant.
 */
export function timeline(random: Random, count: number): Moments[] {
  const created: number[] = [];
  for (let i = 0; i < count; i++) created.push(BASE_MS + random.int(0, CREATED_SPAN_DAYS * 86_400 - 1) * 1000);
  created.sort((a, b) => a - b);
  return created.map((at) => {
    if (random.chance(0.1) && at <= BULK_UPDATE_MS) return { created: at, updated: BULK_UPDATE_MS };
    if (random.chance(0.3)) return { created: at, updated: at };
    return { created: at, updated: at + random.int(1, UPDATED_SPAN_DAYS * 86_400) * 1000 };
  });
}

export function iso(ms: number): string {
  return isoSeconds(ms);
}

/** A moment between two others, both included. */
export function between(random: Random, from: number, to: number): number {
  return from + random.int(0, Math.max(0, Math.floor((to - from) / 1000))) * 1000;
}

export interface Person {
  first: string;
  last: string;
}

export function person(random: Random): Person {
  return { first: random.pick(FIRST_NAMES), last: random.pick(LAST_NAMES) };
}

/** A unique address: the running number keeps emails distinct across the whole resource. */
export function email(who: Person, n: number, domain = 'example.com'): string {
  const local = `${who.first}.${who.last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  return `${local}${n}@${domain}`;
}

export type City = (typeof CITIES)[number];

export function phone(random: Random, city: City): string {
  return `${city[4]} ${random.int(100, 999)} ${random.int(1000, 9999)}`;
}

export function address(random: Random, who: Person | null, company: string | null): Address {
  const city = random.pick(CITIES);
  return {
    first_name: who?.first ?? null,
    last_name: who?.last ?? null,
    company,
    address1: `${random.pick(STREETS)} ${random.int(1, 220)}`,
    address2: random.chance(0.2) ? `Floor ${random.int(1, 9)}` : null,
    city: city[0],
    province: city[1],
    zip: city[2],
    country_code: city[3],
    phone: random.chance(0.5) ? phone(random, city) : null,
  };
}
