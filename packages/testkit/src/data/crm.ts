// CRM contacts shaped after HubSpot's (flattened properties, string ids, lifecycle stages). About a third
// share an email with a shop customer, as happens when a shop and a CRM hold the same people.
import { Random } from '../prng.ts';
import { email, iso, person, phone, timeline } from './common.ts';
import type { Contact, Customer, LifecycleStage, User } from './types.ts';
import { CITIES, COMPANIES, JOB_TITLES } from './words.ts';

const STAGES: readonly (readonly [LifecycleStage | null, number])[] = [
  ['subscriber', 20],
  ['lead', 30],
  ['marketingqualifiedlead', 10],
  ['salesqualifiedlead', 8],
  ['opportunity', 8],
  ['customer', 18],
  ['evangelist', 2],
  [null, 4],
];

export function generateContacts(seed: number, count: number, customers: readonly Customer[], users: readonly User[]): Contact[] {
  const random = Random.forPart(seed, 'contacts');
  const owners = users.filter((user) => user.role !== 'bot' && !user.deleted);
  const sharedEmails = random.sample(customers, Math.floor(count / 3));
  return timeline(random, count).map((moments, i) => {
    const shared = i % 3 === 0 ? sharedEmails[i / 3] : undefined;
    const who = shared !== undefined ? { first: shared.first_name ?? 'Unknown', last: shared.last_name ?? 'Unknown' } : person(random);
    const city = random.pick(CITIES);
    return {
      id: String(101 + i * 50),
      email: shared?.email ?? email(who, i + 1, 'example.org'),
      first_name: who.first,
      last_name: random.chance(0.05) ? null : who.last,
      phone: random.chance(0.4) ? null : phone(random, city),
      company: random.chance(0.3) ? null : random.pick(COMPANIES),
      job_title: random.chance(0.4) ? null : random.pick(JOB_TITLES),
      lifecycle_stage: random.weighted(STAGES),
      owner_id: owners.length > 0 && !random.chance(0.2) ? random.pick(owners).id : null,
      city: random.chance(0.2) ? null : city[0],
      country: random.chance(0.2) ? null : city[3],
      created_at: iso(moments.created),
      updated_at: iso(moments.updated),
    };
  });
}
