// Monitoring tools: how the server and its workspace are doing (version, uptime, what the workspace holds, the
// database, runs going on, per-tool call statistics) and what syncs have put into the database.
import { existsSync, readFileSync, statSync } from 'node:fs';
import Type from 'typebox';
import { defineTool, READ_ONLY } from '../tool.ts';
import { defined } from './connections.ts';

let version: string | undefined;
function serverVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

const Totals = Type.Object({
  records: Type.Integer(),
  failed: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  deleted: Type.Integer(),
});

export const monitoringTools = [
  defineTool({
    name: 'system_health',
    title: 'System health',
    description:
      'Reports how the PullPush server is doing: its version, uptime and Node.js version; the workspace path and how many definitions, connections, flows and test reports it holds; the SQLite database (path, size, tables with record counts); sync runs going on; and per tool the calls, errors and mean time since the server started.',
    group: 'monitoring',
    input: Type.Object({}, { additionalProperties: false }),
    output: Type.Object({
      server: Type.Object({ name: Type.String(), version: Type.String(), node: Type.String(), startedAt: Type.String(), uptimeSeconds: Type.Number() }),
      workspace: Type.Object({ path: Type.String(), definitions: Type.Integer(), connections: Type.Integer(), flows: Type.Integer(), reports: Type.Integer() }),
      database: Type.Object({
        path: Type.String(),
        exists: Type.Boolean(),
        sizeBytes: Type.Integer({ description: 'The file plus its write-ahead log.' }),
        tables: Type.Array(Type.Object({ table: Type.String(), records: Type.Integer(), deleted: Type.Integer() })),
        runs: Type.Integer({ description: 'Sync runs recorded.' }),
        failedRecords: Type.Integer(),
      }),
      activeRuns: Type.Array(
        Type.Object({ runId: Type.String(), connector: Type.String(), connection: Type.String(), startedAt: Type.String(), stream: Type.String(), records: Type.Integer(), written: Type.Integer() }),
      ),
      tools: Type.Array(Type.Object({ name: Type.String(), calls: Type.Integer(), errors: Type.Integer(), meanMs: Type.Number() })),
    }),
    annotations: READ_ONLY,
    async handler(_args, { runtime, workspace }) {
      const path = workspace.databasePath;
      // A read-only look: the database is opened only when a sync (or another tool) has created it.
      const exists = existsSync(path);
      const store = exists ? await runtime.store() : undefined;
      const count = (sql: string) => Number((store?.database.prepare(sql).get() as { n: number } | undefined)?.n ?? 0);
      return {
        server: {
          name: 'pullpush',
          version: serverVersion(),
          node: process.version,
          startedAt: runtime.startedAt.toISOString(),
          uptimeSeconds: Math.round((Date.now() - runtime.startedAt.getTime()) / 100) / 10,
        },
        workspace: {
          path: workspace.root,
          definitions: workspace.listDefinitions().length,
          connections: workspace.listConnections().length,
          flows: workspace.listFlows().length,
          reports: workspace.listReports().length,
        },
        database: {
          path,
          exists,
          sizeBytes: fileSize(path) + fileSize(`${path}-wal`),
          tables: store?.listTables() ?? [],
          runs: count('SELECT count(*) AS n FROM pullpush_runs'),
          failedRecords: count('SELECT count(*) AS n FROM pullpush_failed_records'),
        },
        activeRuns: [...runtime.runs.values()].map((run) => ({
          runId: run.summary.runId,
          connector: run.summary.connector,
          connection: run.summary.connection,
          startedAt: run.summary.startedAt,
          stream: run.progress.stream,
          records: run.progress.records,
          written: run.progress.written,
        })),
        tools: [...runtime.stats.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, stats]) => ({ name, calls: stats.calls, errors: stats.errors, meanMs: stats.calls === 0 ? 0 : Math.round((stats.totalMs / stats.calls) * 100) / 100 })),
      };
    },
  }),
  defineTool({
    name: 'event_stats',
    title: 'Event statistics',
    description:
      'Counts what syncs have stored in the SQLite database, optionally of one connector: per canonical type table the records and tombstones (per connector, connection and stream), the totals of each stream of the last runs, and how many records failed mapping or validation.',
    group: 'monitoring',
    input: Type.Object(
      {
        definition: Type.Optional(Type.String({ description: "Only this definition's data (its id, as runs record it)." })),
        runs: Type.Optional(Type.Integer({ minimum: 0, maximum: 200, description: 'How many recent runs to include (default 10).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      tables: Type.Array(
        Type.Object({
          table: Type.String({ description: 'commerce_order holds commerce.order records, and so on.' }),
          records: Type.Integer(),
          deleted: Type.Integer({ description: 'Tombstones.' }),
          sources: Type.Array(Type.Object({ connector: Type.String(), connection: Type.String(), stream: Type.String(), records: Type.Integer(), deleted: Type.Integer() })),
        }),
      ),
      runs: Type.Array(
        Type.Object({
          runId: Type.String(),
          connector: Type.String(),
          connection: Type.String(),
          status: Type.String(),
          startedAt: Type.String(),
          finishedAt: Type.Optional(Type.String()),
          streams: Type.Array(Type.Object({ stream: Type.String(), canonicalType: Type.String(), status: Type.String(), pages: Type.Integer(), ...Totals.properties })),
          totals: Totals,
        }),
      ),
      failedRecords: Type.Integer(),
    }),
    annotations: READ_ONLY,
    async handler(args, { runtime, workspace }) {
      if (!existsSync(workspace.databasePath)) return { tables: [], runs: [], failedRecords: 0 };
      const store = await runtime.store();
      const db = store.database;
      const only = args.definition;
      const tables = store.listTables().map(({ table }) => {
        const sources = (
          db
            .prepare(
              `SELECT connector, connection, stream, count(*) AS records, coalesce(sum(deleted), 0) AS deleted FROM "${table}" ${only === undefined ? '' : 'WHERE connector = ?'} GROUP BY connector, connection, stream ORDER BY connector, connection, stream`,
            )
            .all(...(only === undefined ? [] : [only])) as Array<{ connector: string; connection: string; stream: string; records: number; deleted: number }>
        ).map((row) => ({ connector: row.connector, connection: row.connection, stream: row.stream, records: Number(row.records), deleted: Number(row.deleted) }));
        return {
          table,
          records: sources.reduce((sum, source) => sum + source.records, 0),
          deleted: sources.reduce((sum, source) => sum + source.deleted, 0),
          sources,
        };
      });
      const limit = args.runs ?? 10;
      const runs = store
        .listRuns(only === undefined ? limit : 10_000)
        .filter((run) => only === undefined || run.connector === only)
        .slice(0, limit)
        .map((run) =>
          defined({
            runId: run.runId,
            connector: run.connector,
            connection: run.connection,
            status: run.status,
            startedAt: run.startedAt,
            finishedAt: run.finishedAt,
            streams: run.streams.map((stream) => ({
              stream: stream.stream,
              canonicalType: stream.canonicalType,
              status: stream.status,
              pages: stream.pages,
              records: stream.records,
              failed: stream.failed,
              inserted: stream.inserted,
              updated: stream.updated,
              unchanged: stream.unchanged,
              deleted: stream.deleted,
            })),
            totals: { records: run.totals.records, failed: run.totals.failed, inserted: run.totals.inserted, updated: run.totals.updated, unchanged: run.totals.unchanged, deleted: run.totals.deleted },
          }),
        );
      const failed = db.prepare(`SELECT count(*) AS n FROM pullpush_failed_records ${only === undefined ? '' : 'WHERE connector = ?'}`).get(...(only === undefined ? [] : [only])) as { n: number };
      return { tables: only === undefined ? tables : tables.filter((table) => table.sources.length > 0), runs, failedRecords: Number(failed.n) };
    },
  }),
];
