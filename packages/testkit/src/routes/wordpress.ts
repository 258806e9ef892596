// A WordPress-shaped REST API (wp/v2) whose posts are the tickets:
//   GET /wp-json/wp/v2/posts  ?page (1)&per_page (10, 1–100)&orderby (date)&order (desc)&after&before
//                             &modified_after&modified_before → [ … ] with X-WP-Total, X-WP-TotalPages, Link
// As in WordPress: the body is a bare array and the totals come only in headers; per_page outside 1–100 and pages
// past the last answer 400 instead of clamping; `date` and `modified` are the site's wall-clock time and
// `date_gmt` and `modified_gmt` UTC, all four written without a zone; date filters take ISO 8601 date-times, read
// zone-less ones in the site's time zone, and are exclusive (after means strictly after), as WP_Date_Query compares.
import type { Ticket, User } from '../data/types.ts';
import { jsonReply, pointNextUrl, selfUrl, type Reply, type RequestContext } from '../http.ts';
import { integerUserId } from '../integer-ids.ts';
import { linkHeader } from '../paging.ts';
import type { Route, Services } from '../router.ts';
import type { Store } from '../store.ts';
import { isCalendarDate, timeOf } from '../time.ts';
import { viewCache } from '../views.ts';
import { fromLocalTime, localTime, utcTime } from '../zones.ts';

/** Where the posts' links point: a fixed site, so bodies do not depend on the server's port. */
const SITE = 'https://blog.example.com';

interface Post {
  ticket: Ticket;
  created: number;
  modified: number;
  slug: string;
  author: number;
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A slug from a title; repeated ones get -2, -3, … in id order, as WordPress keeps slugs unique. */
function slugOf(title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return slug === '' ? 'post' : slug;
}

const postsView = viewCache((store: Store): Post[] => {
  const users = new Map((store.records('users') as unknown as User[]).map((user) => [user.id, user]));
  const tickets = [...(store.records('tickets') as unknown as Ticket[])].sort((a, b) => a.id - b.id);
  const taken = new Map<string, number>();
  return tickets.map((ticket) => {
    const base = slugOf(ticket.summary);
    const seen = (taken.get(base) ?? 0) + 1;
    taken.set(base, seen);
    const reporter = users.get(ticket.reporter_id);
    return {
      ticket,
      created: timeOf(ticket.created_at),
      modified: timeOf(ticket.updated_at),
      slug: seen === 1 ? base : `${base}-${seen}`,
      author: reporter === undefined ? 1 : integerUserId(reporter),
    };
  });
});

/** WordPress's automatic excerpt: the first 55 words, then " [&hellip;]". */
function excerptOf(text: string): string {
  const words = text.split(/\s+/).filter((word) => word !== '');
  return words.length <= 55 ? words.join(' ') : `${words.slice(0, 55).join(' ')} [&hellip;]`;
}

function postJson(post: Post, zone: string): Record<string, unknown> {
  const { ticket } = post;
  const date = localTime(post.created, zone);
  const description = ticket.description === null ? '' : escapeHtml(ticket.description);
  return {
    id: ticket.id,
    date,
    date_gmt: utcTime(post.created),
    guid: { rendered: `${SITE}/?p=${ticket.id}` },
    modified: localTime(post.modified, zone),
    modified_gmt: utcTime(post.modified),
    slug: post.slug,
    status: 'publish',
    type: 'post',
    link: `${SITE}/${date.slice(0, 4)}/${date.slice(5, 7)}/${date.slice(8, 10)}/${post.slug}/`,
    title: { rendered: escapeHtml(ticket.summary) },
    content: { rendered: description === '' ? '' : `<p>${description}</p>\n`, protected: false },
    excerpt: { rendered: description === '' ? '' : `<p>${excerptOf(description)}</p>\n`, protected: false },
    author: post.author,
    featured_media: 0,
    comment_status: 'open',
    ping_status: 'open',
    sticky: false,
    template: '',
    format: 'standard',
    categories: [1],
    tags: [],
  };
}

/** A 400 listing invalid parameters, in WordPress's words. */
function invalidParams(params: Record<string, string>): Reply {
  return jsonReply(400, {
    code: 'rest_invalid_param',
    message: `Invalid parameter(s): ${Object.keys(params).join(', ')}`,
    data: { status: 400, params },
  });
}

/** rest_parse_date's form: date, T or space, time with seconds, optional fraction, optional zone. */
const WP_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** The instant of a date-time parameter; zone-less values are the site's wall-clock time. */
function dateParam(raw: string, zone: string): number | undefined {
  const match = WP_DATE_TIME.exec(raw);
  if (match === null || !isCalendarDate(match[1] as string)) return undefined;
  const [, date, hour, minute, second, fraction = '', offset] = match;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const wall = `${date}T${hour}:${minute}:${second}${fraction}`;
  if (offset === undefined) return fromLocalTime(wall, zone);
  const zoneText = /^[Zz]$/.test(offset) ? 'Z' : offset.length === 3 ? `${offset}:00` : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  const at = Date.parse(`${wall}${zoneText}`);
  return Number.isNaN(at) ? undefined : at;
}

const ORDERBY_VALUES = ['author', 'date', 'id', 'include', 'modified', 'parent', 'relevance', 'slug', 'include_slugs', 'title'];

/** Sort keys; the orderings WordPress has but posts made from tickets cannot tell apart fall back to the id. */
const ORDER_KEYS: Record<string, (post: Post) => number | string> = {
  author: (post) => post.author,
  date: (post) => post.created,
  id: (post) => post.ticket.id,
  include: (post) => post.ticket.id,
  include_slugs: (post) => post.ticket.id,
  parent: (post) => post.ticket.id,
  modified: (post) => post.modified,
  slug: (post) => post.slug,
  title: (post) => post.ticket.summary,
};

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Date filters: each keeps the posts whose column is strictly after (or before) the instant, to the second. */
const DATE_FILTERS = [
  ['after', (post: Post) => post.created, 1],
  ['modified_after', (post: Post) => post.modified, 1],
  ['before', (post: Post) => post.created, -1],
  ['modified_before', (post: Post) => post.modified, -1],
] as const;

function listPosts(ctx: RequestContext, { store, settings }: Services): Reply {
  const zone = settings.siteTimeZone;
  const errors: Record<string, string> = {};
  const integer = (name: string, fallback: number): number => {
    const raw = ctx.query.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^-?\d+$/.test(raw)) errors[name] = `${name} is not of type integer.`;
    return Number(raw);
  };
  const page = integer('page', 1);
  if (errors['page'] === undefined && page < 1) errors['page'] = 'page must be greater than or equal to 1';
  const perPage = integer('per_page', 10);
  if (errors['per_page'] === undefined && (perPage < 1 || perPage > 100)) errors['per_page'] = 'per_page must be between 1 (inclusive) and 100 (inclusive)';

  const bounds: [(post: Post) => number, number, number][] = [];
  for (const [name, column, direction] of DATE_FILTERS) {
    const raw = ctx.query.get(name);
    if (raw === null) continue;
    const at = dateParam(raw, zone);
    if (at === undefined) errors[name] = 'Invalid date.';
    // MySQL compares whole seconds: the bound loses its fraction.
    else bounds.push([column, Math.floor(at / 1000) * 1000, direction]);
  }
  const order = ctx.query.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') errors['order'] = 'order is not one of asc and desc.';
  const orderby = ctx.query.get('orderby') ?? 'date';
  if (!ORDERBY_VALUES.includes(orderby)) errors['orderby'] = `orderby is not one of ${ORDERBY_VALUES.slice(0, -1).join(', ')}, and ${ORDERBY_VALUES.at(-1)}.`;
  if (Object.keys(errors).length > 0) return invalidParams(errors);
  if (orderby === 'relevance') {
    return jsonReply(400, { code: 'rest_no_search_term_defined', message: 'You need to define a search term to order by relevance.', data: { status: 400 } });
  }

  const key = ORDER_KEYS[orderby] as (post: Post) => number | string;
  const sign = order === 'asc' ? 1 : -1;
  const posts = postsView(store)
    .filter((post) => bounds.every(([column, at, direction]) => (column(post) - at) * direction > 0))
    .sort((a, b) => (compareValues(key(a), key(b)) || a.ticket.id - b.ticket.id) * sign);

  const total = posts.length;
  const totalPages = Math.ceil(total / perPage);
  if (page > totalPages && total > 0) {
    return jsonReply(400, { code: 'rest_post_invalid_page_number', message: 'The page number requested is larger than the number of pages available.', data: { status: 400 } });
  }
  const link = linkHeader({
    prev: page > 1 ? selfUrl(ctx, { page: Math.min(page - 1, Math.max(totalPages, 1)) }) : undefined,
    next: page < totalPages ? pointNextUrl(ctx, selfUrl(ctx, { page: page + 1 })) : undefined,
  });
  const headers: Record<string, string> = { 'x-wp-total': String(total), 'x-wp-totalpages': String(totalPages), ...(link === '' ? {} : { link }) };
  return jsonReply(200, posts.slice((page - 1) * perPage, page * perPage).map((post) => postJson(post, zone)), headers);
}

export const wordpressRoutes: Route[] = [{ method: 'GET', pattern: '/wp-json/wp/v2/posts', style: 'wordpress', authenticated: true, handle: listPosts }];
