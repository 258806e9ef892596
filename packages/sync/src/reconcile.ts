// reconcileFlow(): a flow to a connector brought back in line with its source. The source and the destination
// are compared record by record (compareFlow, both read-only); the matches become the flow's id map (the new
// baseline), the differences — records to create, update or delete — go into the flow's outbox, and deliver()
// writes them with its usual guarantees.
import { compileConnector } from '@pullpush/engine';
import { deliver, type DeliveryOptions, type DeliveryReport } from './delivery.ts';
import { recordFlowRun } from './flow-status.ts';
import { openFlowOutbox } from './flow-store.ts';
import { compareFlow, type FlowPreview, type PreviewOptions } from './preview.ts';

export interface ReconcileOptions extends PreviewOptions {
  /** The flow's store, its SQLite file or a PostgreSQL URL (id map, outbox, dead letters): required, the baseline lives there. */
  db: string;
  delivery?: Omit<DeliveryOptions, 'db' | 'flow' | 'destination' | 'signal'>;
}

export interface ReconcileReport {
  /** What the comparison found before anything was written. */
  comparison: FlowPreview;
  /** Remote ids recorded in the id map from the matches. */
  matched: number;
  delivery: DeliveryReport;
}

export async function reconcileFlow(options: ReconcileOptions): Promise<ReconcileReport> {
  const { flow, db } = options;
  const startedAt = new Date().toISOString();
  const { preview, sources } = await compareFlow(options);
  const at = new Date().toISOString();
  const outbox = openFlowOutbox(db, flow.id);
  let matched = 0;
  try {
    for (const item of preview.items) {
      if (item.remoteId !== undefined) {
        await outbox.rememberRemoteId(item.key, item.remoteId, at);
        matched += 1;
      } else if (item.action === 'create') {
        // The destination no longer has what the id map remembers (removed there): it is created again.
        await outbox.forgetRemoteId(item.key);
      }
      if (item.action !== 'create' && item.action !== 'update' && item.action !== 'delete') continue;
      const source = sources.get(item.key);
      if (source) await outbox.enqueue({ key: item.key, canonicalType: item.type, eventId: source.eventId, deleted: item.action === 'delete', data: JSON.stringify(source.record) }, at);
    }
  } finally {
    await outbox.close();
  }
  if (flow.destination.kind !== 'connector') throw new TypeError('reconcileFlow reconciles flows to a connector destination.');
  const destination = await compileConnector(options.target.definition, options.target.config, { ...options.target.engine, connection: flow.destination.connection });
  try {
    const delivery = await deliver({
      ...options.delivery,
      db,
      flow: flow.id,
      destination,
      ...(flow.destination.operations ? { operations: flow.destination.operations } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const { flow: _flow, ...delivered } = delivery;
    const status = delivery.pending === 0 && delivery.deadLettered === 0 && !preview.truncated ? 'succeeded' : 'partial';
    await recordFlowRun(db, flow.id, { kind: 'reconcile', status, startedAt, summary: { compared: preview.counts, truncated: preview.truncated, matched, ...delivered } });
    return { comparison: preview, matched, delivery };
  } finally {
    await destination.close();
  }
}
