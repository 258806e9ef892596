// Projects, tickets and their comments, shaped after Jira (keys like WEB-12, statuses with categories,
// subtasks with parents). The Jira-like and GitHub-like routes present these same tickets in their own shapes.
import { Random } from '../prng.ts';
import { BASE_DATE, dateOnly } from '../time.ts';
import { between, iso, timeline } from './common.ts';
import type { Comment, Project, Ticket, TicketStatus, User } from './types.ts';
import { PROJECTS, SENTENCES, TICKET_LABELS, TICKET_PROBLEMS, TICKET_SUBJECTS } from './words.ts';

export function generateProjects(count: number): Project[] {
  return Array.from({ length: count }, (_, i) => {
    const [key, name] = PROJECTS[i] ?? [`P${i + 1}`, `Project ${i + 1}`];
    return { id: 10_000 + i, key, name, repository: `acme/${key.toLowerCase()}`, created_at: BASE_DATE, updated_at: BASE_DATE };
  });
}

export function generateTickets(seed: number, count: number, projects: readonly Project[], users: readonly User[]): Ticket[] {
  const random = Random.forPart(seed, 'tickets');
  const people = users.filter((user) => user.role !== 'bot');
  const reporters = people.length > 0 ? people : users;
  const nextNumber = new Map<number, number>();
  const parents = new Map<number, Ticket[]>();
  const tickets: Ticket[] = [];
  if (projects.length === 0 || reporters.length === 0) return tickets;
  for (const [i, moments] of timeline(random, count).entries()) {
    const project = random.pick(projects);
    const number = (nextNumber.get(project.id) ?? 0) + 1;
    nextNumber.set(project.id, number);
    const status = random.weighted<TicketStatus>([['open', 35], ['in_progress', 20], ['resolved', 30], ['closed', 15]]);
    let type = random.weighted<Ticket['type']>([['bug', 35], ['task', 30], ['story', 20], ['epic', 5], ['subtask', 10]]);
    const siblings = parents.get(project.id) ?? [];
    const parent = type === 'subtask' && siblings.length > 0 ? random.pick(siblings) : null;
    if (type === 'subtask' && parent === null) type = 'task';
    const labels: string[] = random.sample(TICKET_LABELS, random.weighted([[0, 40], [1, 40], [2, 20]] as const));
    if (type === 'bug' && random.chance(0.7)) labels.unshift('bug');
    const updated = iso(moments.updated);
    const ticket: Ticket = {
      id: 10_001 + i,
      key: `${project.key}-${number}`,
      project_id: project.id,
      summary: `${random.pick(TICKET_SUBJECTS)} ${random.pick(TICKET_PROBLEMS)}`,
      description: random.chance(0.15) ? null : random.sample(SENTENCES, random.int(1, 3)).join(' '),
      status,
      priority: random.weighted<Ticket['priority']>([['highest', 5], ['high', 20], ['medium', 45], ['low', 15], ['lowest', 5], [null, 10]]),
      type,
      labels,
      assignee_id: random.chance(0.25) ? null : random.pick(people.length > 0 ? people : users).id,
      reporter_id: random.pick(reporters).id,
      parent_id: parent?.id ?? null,
      due_date: random.chance(0.3) ? dateOnly(moments.created + random.int(7, 60) * 86_400_000) : null,
      resolved_at: status === 'resolved' || status === 'closed' ? updated : null,
      comments_count: 0,
      created_at: iso(moments.created),
      updated_at: updated,
    };
    tickets.push(ticket);
    if (type !== 'subtask') {
      siblings.push(ticket);
      parents.set(project.id, siblings);
    }
  }
  return tickets;
}

/** Zero to four comments per ticket, written between its creation and its last update; sets comments_count. */
export function generateComments(seed: number, tickets: Ticket[], users: readonly User[]): Comment[] {
  const random = Random.forPart(seed, 'comments');
  const drafts: Omit<Comment, 'id'>[] = [];
  for (const ticket of tickets) {
    const count = users.length === 0 ? 0 : random.weighted([[0, 25], [1, 30], [2, 25], [3, 12], [4, 8]] as const);
    ticket.comments_count = count;
    const from = Date.parse(ticket.created_at);
    const to = Date.parse(ticket.updated_at);
    for (let n = 0; n < count; n++) {
      const created = between(random, from, to);
      const edited = random.chance(0.15) ? between(random, created, to) : created;
      drafts.push({
        ticket_id: ticket.id,
        author_id: random.pick(users).id,
        body: random.pick(SENTENCES),
        public: !random.chance(0.15),
        created_at: iso(created),
        updated_at: iso(edited),
      });
    }
  }
  // Ids follow creation order across all tickets, as a real database would hand them out.
  drafts.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.ticket_id - b.ticket_id);
  return drafts.map((draft, i) => ({ id: 20_001 + i, ...draft }));
}
