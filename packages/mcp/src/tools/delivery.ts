// Delivery tools: run a stored flow whose destination is a connector (sync into the flow's own store, then
// deliver what changed through the destination's writes, or in shadow mode say what it would write), set its mode,
// say where it stands, try a new definition revision in shadow, and work on its dead-letter queue. Both
// connections are stored ones, so no secret passes through the call; results are redacted with both secrets.
import { PullPushError } from '@pullpush/canonical';
import { validateFlow, type Flow } from '@pullpush/schema';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import { loadSync } from '../libraries/load.ts';
import type { ServerRuntime } from '../runtime.ts';
import type { PreviewItem } from '@pullpush/sync';
import { defineTool, DESTROYS, READ_ONLY, WRITES } from '../tool.ts';
import { openSource, withRedaction } from './connections.ts';
import { applyDefinitionPatch, PatchOperation, summarizePatch } from './definitions.ts';
import { FreeObject } from './schemas.ts';

const FlowId = Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64, description: 'Flow id in the workspace.' });
const Selection = {
  ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000, description: 'Dead-letter ids (dlq_list).' })),
  signature: Type.Optional(Type.String({ maxLength: 1000, description: 'Every dead letter of this cluster (dlq_clusters).' })),
  all: Type.Optional(Type.Boolean({ description: 'Every dead letter.' })),
};

async function outboxOf(runtime: ServerRuntime, flow: string) {
  runtime.workspace.getFlow(flow);
  const { openFlowOutbox } = await loadSync();
  return openFlowOutbox(runtime.workspace.flowStoreLocation(flow), flow);
}

function selection(args: { ids?: number[] | undefined; signature?: string | undefined; all?: boolean | undefined }): { ids?: number[]; signature?: string } {
  const chosen = [args.ids !== undefined, args.signature !== undefined, args.all === true].filter(Boolean).length;
  if (chosen !== 1) throw new PullPushError(McpErrorCode.InvalidArguments, 'Name the dead letters: ids, a signature, or all: true.', { hint: 'dlq_clusters gives the signatures, dlq_list the ids.' });
  return args.all ? {} : args.signature !== undefined ? { signature: args.signature } : { ids: args.ids ?? [] };
}

/** A stored flow to a connector, with both its stored connections opened (secrets for the engine only). */
async function openFlow(runtime: ServerRuntime, id: string) {
  const flow = runtime.workspace.getFlow(id) as unknown as Flow;
  if (flow.destination.kind !== 'connector') {
    throw new PullPushError(McpErrorCode.InvalidArguments, `Flow ${id} goes to ${flow.destination.kind}, not a connector.`, { hint: 'Sync its source connection with run_sync.' });
  }
  const source = await openSource(runtime, { connection: flow.source.connection });
  const target = await openSource(runtime, { connection: flow.destination.connection });
  if (source.definitionId !== flow.source.connector || target.definitionId !== flow.destination.connector) {
    throw new PullPushError(McpErrorCode.InvalidArguments, `The flow's connections belong to ${source.definitionId} and ${target.definitionId}, not ${flow.source.connector} and ${flow.destination.connector}.`, {
      hint: 'Point the flow at connections of its connectors (list_connections).',
    });
  }
  const redact = <T>(value: T): T => source.redact(target.redact(value));
  // What the sync library takes for each side: the definition, the connection's config and the engine options.
  const side = (opened: typeof source) => ({ definition: opened.definition, config: opened.config, engine: opened.engine });
  return { flow, source: side(source), target: side(target), redact };
}

/** A preview's items, updates first (they carry the field changes), then creates, deletes, skips, unchanged. */
function firstItems(items: readonly PreviewItem[], limit: number): Array<Record<string, unknown>> {
  const order = { update: 0, create: 1, delete: 2, skip: 3, unchanged: 4 } as const;
  return [...items].sort((a, b) => order[a.action] - order[b.action]).slice(0, limit) as unknown as Array<Record<string, unknown>>;
}

const MODES = ['live', 'shadow', 'paused'] as const;

export const deliveryTools = [
  defineTool({
    name: 'run_flow',
    title: 'Run a flow to a connector',
    description:
      "Runs a stored flow whose destination is a connector, once, in the flow's mode (set_flow_mode). live: the source connection's streams are synced into the flow's own store (its SQLite file in the workspace, or its schema in the server's PostgreSQL flow store), and every new, changed or deleted record is delivered through the destination connection's writes — one write per record key at a time, idempotency keys, retries with backoff, a circuit breaker; what the destination refuses goes to the flow's dead-letter queue (dlq_clusters). shadow: says what a live run would write against the destination's current records (counts and the first items, like preview_flow), writing nothing, and records it in the flow's run log. paused: refused with SYNC_FLOW_PAUSED. Both connections must be stored (create_connection). Flows to sqlite or jsonl: use run_sync.",
    group: 'flows',
    input: Type.Object(
      {
        flow: FlowId,
        maxWaitSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600, description: 'How long to wait for retries that come due (default 0).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      mode: Type.String({ description: 'live or shadow.' }),
      status: Type.String(),
      sync: Type.Optional(FreeObject({ description: 'A live run: the sync summary.' })),
      delivery: Type.Optional(FreeObject({ description: 'A live run: the delivery report.' })),
      wouldWrite: Type.Optional(FreeObject({ description: 'A shadow run: create, update, delete, unchanged and skip counts.' })),
      items: Type.Optional(Type.Array(FreeObject(), { description: 'A shadow run: the first 50 items, updates first.' })),
    }),
    annotations: { ...WRITES, openWorldHint: true },
    async handler(args, { runtime, signal }) {
      const { flow, source, target, redact } = await openFlow(runtime, args.flow);
      return withRedaction({ redact }, async () => {
        const { runFlow } = await loadSync();
        const summary = await runFlow(flow, {
          definition: source.definition,
          config: source.config,
          engine: source.engine,
          signal,
          target,
          db: runtime.workspace.flowStoreLocation(args.flow),
          delivery: args.maxWaitSeconds ? { maxWaitMs: args.maxWaitSeconds * 1000 } : {},
        });
        if (summary.mode === 'shadow') {
          return redact({ mode: 'shadow', status: summary.status, wouldWrite: summary.preview.counts, items: firstItems(summary.preview.items, 50) });
        }
        const { delivery, ...sync } = summary;
        return redact({ mode: 'live', status: sync.status, sync: sync as unknown as Record<string, unknown>, delivery: (delivery ?? {}) as unknown as Record<string, unknown> });
      });
    },
  }),
  defineTool({
    name: 'preview_flow',
    title: 'Preview a flow to a connector',
    description:
      "What run_flow would write, writing nothing: the source and the destination's current records are read (both read-only, no checkpoint moves), and each source record is matched to a destination record by the flow's id map (after earlier runs) or its match fields, giving create, update (with the written fields that change: pointer, before, after), delete, unchanged or skip. Returns the counts and the first items.",
    group: 'flows',
    input: Type.Object(
      {
        flow: FlowId,
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Records read per stream at most (default 10,000).' })),
        items: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, description: 'Items returned at most, updates first (default 50).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({ counts: FreeObject(), items: Type.Array(FreeObject()), truncated: Type.Boolean(), requests: FreeObject() }),
    annotations: { ...READ_ONLY, openWorldHint: true },
    async handler(args, { runtime, signal }) {
      const { flow, source, target, redact } = await openFlow(runtime, args.flow);
      return withRedaction({ redact }, async () => {
        const { previewFlow } = await loadSync();
        const preview = await previewFlow({
          flow,
          source,
          target,
          db: runtime.workspace.flowStoreLocation(args.flow),
          ...(args.limit ? { limit: args.limit } : {}),
          signal,
        });
        return redact({ counts: preview.counts, items: firstItems(preview.items, args.items ?? 50), truncated: preview.truncated, requests: preview.requests });
      });
    },
  }),
  defineTool({
    name: 'reconcile_flow',
    title: 'Reconcile a flow to a connector',
    description:
      "Brings a connector destination back in line with the flow's source: both are read (read-only) and compared record by record; the matches become the flow's id map (the new baseline), and the differences are delivered — records the destination lacks created, those that differ updated, those the source deleted deleted — with run_flow's guarantees (dead-letter queue for refusals). Returns the comparison counts and the delivery report.",
    group: 'flows',
    input: Type.Object(
      { flow: FlowId, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Records read per stream at most (default 10,000).' })) },
      { additionalProperties: false },
    ),
    output: Type.Object({ comparison: FreeObject(), matched: Type.Integer(), delivery: FreeObject() }),
    annotations: { ...WRITES, openWorldHint: true },
    async handler(args, { runtime, signal }) {
      const { flow, source, target, redact } = await openFlow(runtime, args.flow);
      return withRedaction({ redact }, async () => {
        const { reconcileFlow } = await loadSync();
        const report = await reconcileFlow({
          flow,
          source,
          target,
          db: runtime.workspace.flowStoreLocation(args.flow),
          ...(args.limit ? { limit: args.limit } : {}),
          signal,
        });
        return redact({ comparison: { counts: report.comparison.counts, truncated: report.comparison.truncated }, matched: report.matched, delivery: report.delivery as unknown as Record<string, unknown> });
      });
    },
  }),
  defineTool({
    name: 'flow_status',
    title: 'Where a flow stands',
    description:
      "Where a stored flow stands, from its own store (neither API is called): its mode; the outbox — records waiting, how many of them may already have reached the destination (in doubt, resolved by a lookup before the next write), when the next comes due, delivered and superseded counts; the dead-letter queue (open, clusters, discarded); the circuit breaker (closed, open, half-open, since when); how many keys have a remote id; and the latest runs (run, reconcile, shadow) with their counts.",
    group: 'flows',
    input: Type.Object({ flow: FlowId, runs: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Runs listed at most, newest first (default 10).' })) }, { additionalProperties: false }),
    output: Type.Object({
      flow: Type.String(),
      mode: Type.String(),
      destination: Type.String(),
      outbox: FreeObject(),
      deadLetters: FreeObject(),
      breaker: FreeObject(),
      remoteIds: Type.Integer(),
      runs: Type.Array(FreeObject()),
    }),
    annotations: READ_ONLY,
    async handler(args, { runtime }) {
      const flow = runtime.workspace.getFlow(args.flow) as unknown as Flow;
      const { flowStatus } = await loadSync();
      const status = await flowStatus(flow, { db: runtime.workspace.flowStoreLocation(args.flow), ...(args.runs === undefined ? {} : { runs: args.runs }) });
      return { ...status, outbox: { ...status.outbox }, deadLetters: { ...status.deadLetters }, breaker: { ...status.breaker }, runs: status.runs.map((run) => ({ ...run })) };
    },
  }),
  defineTool({
    name: 'set_flow_mode',
    title: 'Set a flow live, shadow or paused',
    description:
      "Sets a stored flow's mode. live: run_flow reads and writes. shadow: run_flow says what it would write and writes nothing (flows to a connector only). paused: run_flow is refused until the mode changes; use it to stop a flow during an incident. Returns the mode before and after.",
    group: 'flows',
    input: Type.Object({ flow: FlowId, mode: Type.Enum(MODES, { description: 'live, shadow or paused.' }) }, { additionalProperties: false }),
    output: Type.Object({ flow: Type.String(), before: Type.String(), mode: Type.String() }),
    annotations: WRITES,
    handler(args, { workspace }) {
      const flow = workspace.getFlow(args.flow);
      const before = typeof flow['mode'] === 'string' ? flow['mode'] : 'live';
      const changed = { ...flow, mode: args.mode };
      const errors = validateFlow(changed).errors;
      if (errors.length > 0) {
        throw new PullPushError(errors[0]?.code ?? McpErrorCode.InvalidArguments, `Flow ${args.flow} cannot be ${args.mode}: ${errors.map((problem) => problem.message).join('; ')}. Nothing was changed.`, {
          ...(errors[0]?.hint ? { hint: errors[0].hint } : {}),
          issues: errors.map((problem) => ({ pointer: problem.pointer, message: problem.message, rule: problem.code })),
        });
      }
      workspace.saveFlow(args.flow, changed);
      return { flow: args.flow, before, mode: args.mode };
    },
  }),
  defineTool({
    name: 'shadow_flow',
    title: 'Try a definition revision in shadow',
    description:
      "Tries a change to the flow's source or destination definition without writing: the candidate is the stored definition with an RFC 6902 JSON Patch applied (as update_definition takes it). The source is read with the live and the candidate revision (read-only), each record's destination write is built but not sent, and the two are compared record by record. Returns the confidence (share of records written identically), the differences (changed body fields, or that only one revision writes a record) and, when promote.minConfidence is given and reached, saves the candidate as the definition's new revision (promoted).",
    group: 'flows',
    input: Type.Object(
      {
        flow: FlowId,
        side: Type.Enum(['source', 'destination'], { description: 'Which definition the patch changes.' }),
        patch: Type.Array(PatchOperation, { minItems: 1, description: 'RFC 6902 operations on the latest revision of that definition.' }),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Records read per stream at most (default 10,000).' })),
        differences: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, description: 'Differences returned at most (default 20).' })),
        promote: Type.Optional(
          Type.Object({ minConfidence: Type.Number({ minimum: 0, maximum: 1, description: 'Save the candidate as the new revision when the confidence is at least this (1 = every record identical).' }) }, { additionalProperties: false }),
        ),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      change: Type.String({ description: 'What the patch changes.' }),
      records: Type.Integer(),
      identical: Type.Integer(),
      confidence: Type.Number(),
      differences: Type.Array(FreeObject()),
      promoted: Type.Union([Type.Object({ definition: Type.String(), revision: Type.Integer() }), Type.Null()]),
    }),
    annotations: { ...WRITES, openWorldHint: true },
    async handler(args, { runtime, signal }) {
      const { flow, source, target, redact } = await openFlow(runtime, args.flow);
      const live = args.side === 'source' ? source : target;
      // openFlow checked that the connections belong to the connectors the flow names.
      const liveId = args.side === 'source' ? flow.source.connector : (flow.destination as { connector: string }).connector;
      const candidate = applyDefinitionPatch(live.definition as Record<string, unknown>, args.patch);
      if (candidate['id'] !== liveId) {
        throw new PullPushError(McpErrorCode.InvalidPatch, `The patch changes the definition's id from "${liveId}". Nothing was tried.`, { hint: 'Patch the definition, not its id.' });
      }
      const problems = runtime.validateDefinition(candidate).errors;
      if (problems.length > 0) {
        throw new PullPushError(McpErrorCode.InvalidDocument, `The candidate revision is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was tried.`, {
          hint: problems.find((problem) => problem.hint)?.hint ?? 'Fix the patch; validate_definition shows every problem.',
          issues: problems.map((problem) => ({ pointer: problem.pointer, message: problem.message, rule: problem.code })),
        });
      }
      return withRedaction({ redact }, async () => {
        const { shadowFlow } = await loadSync();
        const report = await shadowFlow({
          flow,
          source,
          target,
          candidate: args.side === 'source' ? { source: candidate } : { target: candidate },
          ...(args.limit ? { limit: args.limit } : {}),
          signal,
        });
        let promoted: { definition: string; revision: number } | null = null;
        if (args.promote && report.confidence >= args.promote.minConfidence) {
          promoted = { definition: liveId, revision: runtime.workspace.saveDefinition(liveId, candidate).revision };
        }
        return redact({
          change: summarizePatch(args.patch as never),
          records: report.records,
          identical: report.identical,
          confidence: report.confidence,
          differences: report.differences.slice(0, args.differences ?? 20) as unknown as Array<Record<string, unknown>>,
          promoted,
        });
      });
    },
  }),
  defineTool({
    name: 'dlq_list',
    title: "List a flow's dead letters",
    description: "The records a flow's connector destination refused or that ran out of attempts, oldest first: id, key, operation, the destination's status and error, the payload (secrets redacted) and the attempt history.",
    group: 'flows',
    input: Type.Object({ flow: FlowId, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'At most this many (default 50).' })) }, { additionalProperties: false }),
    output: Type.Object({ total: Type.Integer(), deadLetters: Type.Array(FreeObject()) }),
    annotations: READ_ONLY,
    async handler(args, { runtime }) {
      const outbox = await outboxOf(runtime, args.flow);
      try {
        const letters = await outbox.deadLetters();
        return { total: letters.length, deadLetters: letters.slice(0, args.limit ?? 50) as unknown as Array<Record<string, unknown>> };
      } finally {
        await outbox.close();
      }
    },
  }),
  defineTool({
    name: 'dlq_clusters',
    title: "Group a flow's dead letters by cause",
    description: "A flow's dead letters grouped by cause (operation, status, code and the message without ids and numbers), biggest first, each with a count, an example message, its ids and a hint where the cause is known (expired credentials, a write mapping the destination refuses).",
    group: 'flows',
    input: Type.Object({ flow: FlowId }, { additionalProperties: false }),
    output: Type.Object({ clusters: Type.Array(FreeObject()) }),
    annotations: READ_ONLY,
    async handler(args, { runtime }) {
      const outbox = await outboxOf(runtime, args.flow);
      try {
        return { clusters: (await outbox.clusters()) as unknown as Array<Record<string, unknown>> };
      } finally {
        await outbox.close();
      }
    },
  }),
  defineTool({
    name: 'dlq_retry',
    title: 'Retry dead letters',
    description: 'Puts dead letters (ids, a cluster by signature, or all) back in the flow\'s outbox with fresh attempt counters; the next run_flow delivers them. Fix the cause first (dlq_clusters gives hints).',
    group: 'flows',
    input: Type.Object({ flow: FlowId, ...Selection }, { additionalProperties: false }),
    output: Type.Object({ retried: Type.Integer() }),
    annotations: WRITES,
    async handler(args, { runtime }) {
      const outbox = await outboxOf(runtime, args.flow);
      try {
        return { retried: await outbox.retryDeadLetters(await outbox.deadLetters(selection(args))) };
      } finally {
        await outbox.close();
      }
    },
  }),
  defineTool({
    name: 'dlq_discard',
    title: 'Discard dead letters',
    description: 'Marks dead letters (ids, a cluster by signature, or all) discarded with a reason; they stay on record but are no longer listed or retried.',
    group: 'flows',
    input: Type.Object({ flow: FlowId, ...Selection, reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
    output: Type.Object({ discarded: Type.Integer() }),
    annotations: DESTROYS,
    async handler(args, { runtime }) {
      const outbox = await outboxOf(runtime, args.flow);
      try {
        return { discarded: await outbox.discardDeadLetters(await outbox.deadLetters(selection(args)), args.reason, new Date().toISOString()) };
      } finally {
        await outbox.close();
      }
    },
  }),
];
