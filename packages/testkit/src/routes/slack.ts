// A Slack Web API-shaped face of the workspace members and channels, as packages/schema/examples/slack.json
// reads it (base URL {url}/api). Like Slack, errors come back as HTTP 200 with { ok: false, error } (only rate
// limits use 429), and the last page has next_cursor "".
//   GET|POST /api/users.list          ?cursor&limit (0 = all, max 1000)&include_locale → { ok, members, cache_ts, response_metadata }
//   GET|POST /api/conversations.list  ?cursor&limit (100, max 1000)&types&exclude_archived → { ok, channels, response_metadata }
// POST takes the same parameters form-encoded in the body.
import type { Channel, User } from '../data/types.ts';
import { HEX, stableToken } from '../prng.ts';
import { jsonReply, problem, type Reply, type RequestContext } from '../http.ts';
import type { Route, Services } from '../router.ts';
import type { Store } from '../store.ts';
import { unixSeconds } from '../time.ts';
import { viewCache } from '../views.ts';

interface Item {
  id: string;
  json: Record<string, unknown>;
  source: User | Channel;
}

function teamId(seed: number): string {
  return `T0${stableToken(seed, 'slack-team', 0, 9, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`;
}

function memberJson(seed: number, user: User): Record<string, unknown> {
  const owner = user.role === 'primary_owner';
  const guest = user.role === 'guest';
  const avatar = (size: number) => `https://avatars.slack-edge.com/testkit/${user.id}_${size}.png`;
  return {
    id: user.id,
    team_id: teamId(seed),
    name: user.name,
    deleted: user.deleted,
    color: stableToken(seed, 'slack-color', user.id, 6, HEX),
    real_name: user.real_name,
    tz: user.timezone,
    profile: {
      title: user.title ?? '',
      phone: '',
      real_name: user.real_name,
      real_name_normalized: user.real_name.normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
      display_name: user.display_name,
      ...(user.email === null ? {} : { email: user.email }),
      image_192: avatar(192),
      image_512: avatar(512),
      team: teamId(seed),
    },
    is_admin: owner || user.role === 'admin',
    is_owner: owner,
    is_primary_owner: owner,
    is_restricted: guest,
    is_ultra_restricted: guest && user.name.length % 2 === 0,
    is_bot: user.role === 'bot',
    is_app_user: false,
    updated: unixSeconds(user.updated_at),
    is_email_confirmed: user.email !== null,
  };
}

function channelJson(channel: Channel): Record<string, unknown> {
  const created = unixSeconds(channel.created_at);
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.is_private,
    is_group: channel.is_private,
    is_im: false,
    is_mpim: false,
    is_private: channel.is_private,
    created,
    is_archived: channel.is_archived,
    is_general: channel.is_general,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_member: !channel.is_archived,
    creator: channel.creator_id,
    updated: unixSeconds(channel.updated_at) * 1000,
    topic: { value: channel.topic, creator: channel.topic === '' ? '' : channel.creator_id, last_set: channel.topic === '' ? 0 : created },
    purpose: { value: channel.purpose, creator: channel.purpose === '' ? '' : channel.creator_id, last_set: channel.purpose === '' ? 0 : created },
    num_members: channel.member_count,
  };
}

/** Members and channels ordered by id, as Slack pages them. */
const view = viewCache((store: Store) => {
  const byId = (a: Item, b: Item) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const members = (store.records('users') as unknown as User[]).map((user) => ({ id: user.id, json: memberJson(store.seed, user), source: user })).sort(byId);
  const channels = (store.records('channels') as unknown as Channel[]).map((channel) => ({ id: channel.id, json: channelJson(channel), source: channel })).sort(byId);
  return { members, channels };
});

/** Slack's cursors are base64 of "<kind>:<id of the next item>". */
function encodeSlackCursor(kind: string, id: string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64');
}

function decodeSlackCursor(kind: string, cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  return text.startsWith(`${kind}:`) ? text.slice(kind.length + 1) : undefined;
}

/** Query parameters, plus form fields of a POST body (Slack accepts both). */
function paramsOf(ctx: RequestContext): URLSearchParams {
  const params = new URLSearchParams(ctx.query);
  if (ctx.method === 'POST' && (ctx.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(ctx.body ?? '')) params.set(name, value);
  }
  return params;
}

function page(ctx: RequestContext, params: URLSearchParams, kind: string, items: readonly Item[], defaultLimit: number): { items: Item[]; next: string } | Reply {
  const rawLimit = params.get('limit');
  const limit = rawLimit === null || rawLimit === '' ? defaultLimit : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 0) return jsonReply(200, { ok: false, error: 'invalid_limit' });
  const size = limit === 0 ? 1000 : Math.min(limit, 1000);
  let start = 0;
  const cursor = params.get('cursor');
  if (cursor !== null && cursor !== '' && ctx.paging?.kind !== 'endlessCursor') {
    const id = decodeSlackCursor(kind, cursor);
    if (id === undefined) return problem('slack', 400, 'invalid_cursor', 'invalid cursor');
    start = items.findIndex((item) => item.id >= id);
    if (start === -1) start = items.length;
  }
  const chosen = items.slice(start, start + size);
  const following = items[start + size] ?? (ctx.paging?.kind === 'endlessCursor' ? items[size] ?? items[0] : undefined);
  const last = chosen.at(-1);
  if (following === undefined && last !== undefined && ctx.paging?.kind === 'trailingEmptyPage') {
    // A cursor just past the last item: the page it leads to is empty and ends the walk.
    return { items: chosen, next: encodeSlackCursor(kind, `${last.id}\u0000`) };
  }
  return { items: chosen, next: following === undefined ? '' : encodeSlackCursor(kind, following.id) };
}

function usersList(ctx: RequestContext, { store }: Services): Reply {
  const params = paramsOf(ctx);
  const result = page(ctx, params, 'user', view(store).members, 0);
  if ('status' in result) return result;
  const withLocale = params.get('include_locale') === 'true';
  const members = result.items.map((item) => (withLocale ? { ...item.json, locale: 'en-US' } : item.json));
  return jsonReply(200, { ok: true, members, cache_ts: 1767225600, response_metadata: { next_cursor: result.next } });
}

const CHANNEL_TYPES = new Set(['public_channel', 'private_channel', 'mpim', 'im']);

function conversationsList(ctx: RequestContext, { store }: Services): Reply {
  const params = paramsOf(ctx);
  const types = (params.get('types') ?? 'public_channel').split(',').map((type) => type.trim());
  if (types.some((type) => !CHANNEL_TYPES.has(type))) return jsonReply(200, { ok: false, error: 'invalid_types' });
  const excludeArchived = params.get('exclude_archived') === 'true';
  const channels = view(store).channels.filter((item) => {
    const channel = item.source as Channel;
    return types.includes(channel.is_private ? 'private_channel' : 'public_channel') && !(excludeArchived && channel.is_archived);
  });
  const result = page(ctx, params, 'channel', channels, 100);
  if ('status' in result) return result;
  return jsonReply(200, { ok: true, channels: result.items.map((item) => item.json), response_metadata: { next_cursor: result.next } });
}

export const slackRoutes: Route[] = [
  { method: 'GET', pattern: '/api/users.list', style: 'slack', authenticated: true, handle: usersList },
  { method: 'POST', pattern: '/api/users.list', style: 'slack', authenticated: true, handle: usersList },
  { method: 'GET', pattern: '/api/conversations.list', style: 'slack', authenticated: true, handle: conversationsList },
  { method: 'POST', pattern: '/api/conversations.list', style: 'slack', authenticated: true, handle: conversationsList },
];
