// Integer ids for workspace members, for the imitated APIs whose user ids are numbers (Redmine, WordPress) while
// the dataset's members have Slack-style ids (U0…). Derived from the member id alone, so they are stable for a
// member whatever else changes.
import type { User } from './data/types.ts';
import { hashString } from './prng.ts';

/** The integer a workspace member is known by on the Redmine-like and WordPress-like routes. */
export function integerUserId(user: Pick<User, 'id'>): number {
  return 1 + (hashString(`integer-user:${user.id}`) % 9_999_999);
}
