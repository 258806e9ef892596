// Workspace members and channels shaped after Slack's users and conversations; members also own contacts and
// are the assignees and reporters of tickets.
import { Random } from '../prng.ts';
import { email, iso, person, timeline } from './common.ts';
import type { Channel, User } from './types.ts';
import { CHANNEL_NAMES, JOB_TITLES, SENTENCES, TIMEZONES } from './words.ts';

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function generateUsers(seed: number, count: number): User[] {
  const random = Random.forPart(seed, 'users');
  const ids = new Set<string>();
  return timeline(random, count).map((moments, i) => {
    let id: string;
    do id = `U0${random.alphanumeric(9, ID_ALPHABET)}`;
    while (ids.has(id));
    ids.add(id);
    // The first member created the workspace; about one in ten is a bot (no email, no person behind it).
    const role = i === 0 ? 'primary_owner' : random.weighted<User['role']>([['admin', 15], ['member', 65], ['guest', 10], ['bot', 10]]);
    if (role === 'bot') {
      const name = `${random.pick(['deploy', 'alert', 'standup', 'triage'])}bot${i}`;
      return {
        id,
        name,
        real_name: name,
        display_name: name,
        email: null,
        title: null,
        timezone: 'UTC',
        role,
        deleted: false,
        created_at: iso(moments.created),
        updated_at: iso(moments.updated),
      };
    }
    const who = person(random);
    return {
      id,
      name: `${who.first}.${who.last}`.toLowerCase().replace(/[^a-z.]/g, '') + (i + 1),
      real_name: `${who.first} ${who.last}`,
      display_name: random.chance(0.3) ? '' : who.first,
      email: email(who, i + 1, 'acme.example'),
      title: random.chance(0.2) ? null : random.pick(JOB_TITLES),
      timezone: random.pick(TIMEZONES),
      role,
      deleted: i > 0 && random.chance(0.08),
      created_at: iso(moments.created),
      updated_at: iso(moments.updated),
    };
  });
}

export function generateChannels(seed: number, count: number, users: readonly User[]): Channel[] {
  const random = Random.forPart(seed, 'channels');
  const ids = new Set<string>();
  const creators = users.filter((user) => user.role !== 'bot');
  return timeline(random, count).map((moments, i) => {
    let id: string;
    do id = `C0${random.alphanumeric(9, ID_ALPHABET)}`;
    while (ids.has(id));
    ids.add(id);
    const isGeneral = i === 0;
    return {
      id,
      name: CHANNEL_NAMES[i] ?? `project-${i + 1}`,
      is_private: !isGeneral && random.chance(0.25),
      is_archived: !isGeneral && random.chance(0.1),
      is_general: isGeneral,
      creator_id: creators.length > 0 ? random.pick(creators).id : 'USLACKBOT',
      topic: random.chance(0.3) ? '' : random.pick(SENTENCES),
      purpose: random.chance(0.3) ? '' : random.pick(SENTENCES),
      member_count: isGeneral ? users.length : random.int(1, Math.max(1, users.length)),
      created_at: iso(moments.created),
      updated_at: iso(moments.updated),
    };
  });
}
