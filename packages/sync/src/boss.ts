// pg-boss started on the queue's schema with PullPush's three queues, and a job sent once: what FlowQueue and
// startWorker share. Kept apart from flow-queue.ts so that the library's public types never name pg-boss's.
import { PullPushError } from '@pullpush/canonical';
import type { PgBoss, Queue } from 'pg-boss';
import { SyncErrorCode } from './errors.ts';
import { DELIVER_QUEUE, FLOW_QUEUE, queueLocation, SYNC_QUEUE, type FlowJobData, type FlowQueueOptions, type QueueName } from './flow-queue.ts';
import { redactedUrl } from './postgres-connection.ts';

/** pg-boss on the queue's schema, started; `supervise`: this instance also expires jobs and fires schedules. */
export async function startBoss(url: string, options: FlowQueueOptions & { supervise: boolean; concurrency?: number }): Promise<PgBoss> {
  const location = queueLocation(url);
  const { PgBoss } = await import('pg-boss');
  const heartbeat = Math.max(10, options.heartbeatSeconds ?? 30);
  // Checks for dead workers three times per heartbeat interval: a job waits at most about 1.3 heartbeats.
  const supervise = Math.max(1, Math.floor(heartbeat / 3));
  const boss = new PgBoss({
    connectionString: location.url,
    schema: location.jobsSchema,
    max: (options.concurrency ?? 1) + 3,
    supervise: options.supervise,
    schedule: options.supervise,
    superviseIntervalSeconds: supervise,
    monitorIntervalSeconds: supervise,
    // Schedules are looked at as often, so a cron with seconds ("*/20 * * * * *") fires near its time.
    cronMonitorIntervalSeconds: Math.min(30, supervise),
    cronWorkerIntervalSeconds: Math.min(5, supervise),
    registerInstance: false,
    openTelemetry: { enabled: false },
  });
  // pg-boss reports background failures (a lost connection it retries) as events; they must not crash the process.
  boss.on('error', () => undefined);
  try {
    await boss.start();
    const common: Omit<Queue, 'name'> = { heartbeatSeconds: heartbeat, expireInSeconds: 24 * 3600, retryLimit: options.retryLimit ?? 5, retryDelay: 5, retryBackoff: true, retryDelayMax: 300 };
    for (const [name, policy] of [
      [FLOW_QUEUE, 'standard'],
      [SYNC_QUEUE, 'singleton'],
      [DELIVER_QUEUE, 'singleton'],
    ] as const) {
      const existing = await boss.getQueue(name);
      if (!existing) {
        await boss.createQueue(name, { ...common, policy }).catch(async (error: unknown) => {
          // Another process created it first.
          if (!(await boss.getQueue(name))) throw error;
        });
      } else if (options.supervise && options.heartbeatSeconds !== undefined && existing.heartbeatSeconds !== heartbeat) {
        // A worker's own --heartbeat holds for the jobs sent from now on.
        await boss.updateQueue(name, { heartbeatSeconds: heartbeat });
      }
    }
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw new PullPushError(SyncErrorCode.Database, `Cannot open the job queue on ${redactedUrl(location.url)}: ${(error as Error).message}`, {
      hint: 'Check the URL (host, port, database, user and password) and that the user may create schemas there.',
    });
  }
  return boss;
}

/**
 * Sends a job unless one for the same flow (and stream) already waits under the same key; returns whether it sent.
 * Two senders at the same instant may both send: the second job then finds nothing to do.
 */
export async function sendOnce(boss: PgBoss, queue: QueueName, data: FlowJobData, singletonKey: string, afterSeconds = 0): Promise<boolean> {
  const waiting = await boss.findJobs<FlowJobData>(queue, { key: singletonKey, queued: true });
  if (waiting.some((job) => job.data.flow.id === data.flow.id && job.data.stream === data.stream)) return false;
  if (afterSeconds > 0) await boss.sendAfter(queue, data, { singletonKey }, afterSeconds);
  else await boss.send(queue, data, { singletonKey });
  return true;
}
