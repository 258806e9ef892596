// Sync progress on stderr: one cli-progress bar per stream when stderr is a terminal, a plain line per finished
// stream when it is not (logs, CI), nothing with --json. Streams run one after the other, so the first stream not
// yet done is the one running.
import cliProgress from 'cli-progress';
import type { SyncProgress } from '@pullpush/sync';
import { formatDuration, plural, type Output } from './output.ts';

/** A stream the sync will run, with its record count when known in advance (the demo knows it). */
export interface StreamPlan {
  stream: string;
  total?: number;
}

export type ProgressMode = 'bars' | 'lines' | 'none';

/** Bars on a terminal, lines elsewhere, nothing for machine output. */
export function progressMode(out: Output, json: boolean): ProgressMode {
  if (json) return 'none';
  return out.stderrIsTTY ? 'bars' : 'lines';
}

type Status = 'waiting' | 'running' | 'done' | 'stopped';

interface StreamView {
  plan: StreamPlan;
  status: Status;
  records: number;
  pages: number;
  failed: number;
  startedAt: number;
  bar?: cliProgress.SingleBar;
}

interface Payload {
  view: StreamView;
}

const count = (value: number) => value.toLocaleString('en-US');

export class SyncProgressView {
  readonly #out: Output;
  readonly #mode: ProgressMode;
  readonly #views: StreamView[];
  readonly #width: number;
  #multibar: cliProgress.MultiBar | undefined;

  readonly #signal: AbortSignal | undefined;

  /** `signal`: the run's; a stream that ends after it aborted shows as stopped. */
  constructor(out: Output, mode: ProgressMode, plans: readonly StreamPlan[], signal?: AbortSignal) {
    this.#out = out;
    this.#signal = signal;
    this.#mode = mode;
    this.#views = plans.map((plan) => ({ plan, status: 'waiting', records: 0, pages: 0, failed: 0, startedAt: performance.now() }));
    this.#width = Math.max(6, ...plans.map((plan) => plan.stream.length));
    const first = this.#views[0];
    if (first) first.status = 'running';
    if (mode === 'bars' && out.io.stderrStream) {
      this.#multibar = new cliProgress.MultiBar({
        stream: out.io.stderrStream,
        format: (options, params, payload: Payload) => this.#format(options, params, payload.view),
        barsize: 20,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        // The command handles SIGINT itself: the bars keep showing while the sync commits what it read.
        gracefulExit: false,
        fps: 10,
        emptyOnZero: true,
      });
      for (const view of this.#views) view.bar = this.#multibar.create(view.plan.total ?? 0, 0, { view } satisfies Payload);
    }
  }

  #format(options: cliProgress.Options, params: cliProgress.Params, view: StreamView): string {
    const styled = this.#line(options, params, view, true);
    // cli-progress cuts lines at the terminal width counting colour codes as characters: drop the colours when
    // they would push a line past it.
    return styled.length <= params.maxWidth ? styled : this.#line(options, params, view, false).slice(0, Math.max(0, params.maxWidth));
  }

  #line(options: cliProgress.Options, params: cliProgress.Params, view: StreamView, colours: boolean): string {
    const style = (format: Parameters<Output['style']>[0], text: string) => (colours ? this.#out.style(format, text, 'stderr') : text);
    const name = view.plan.stream.padEnd(this.#width);
    const total = view.plan.total;
    const bar = total === undefined ? '' : ` ${style(view.status === 'done' ? 'green' : view.status === 'stopped' ? 'yellow' : 'cyan', cliProgress.Format.BarFormat(view.status === 'done' ? 1 : params.progress, options))}`;
    const records = total === undefined ? count(view.records) : `${count(view.records)}/${count(Math.max(view.records, total))}`;
    const failed = view.failed > 0 ? ` · ${style('yellow', `${count(view.failed)} failed`)}` : '';
    const status =
      view.status === 'done'
        ? style('green', 'done')
        : view.status === 'stopped'
          ? style('yellow', 'stopped')
          : view.status === 'running'
          ? style('cyan', formatDuration(performance.now() - view.startedAt))
          : style('dim', 'waiting');
    return `${name}${bar} ${records} ${view.records === 1 && total === undefined ? 'record' : 'records'} · ${plural(view.pages, 'page')}${failed}  ${status}`;
  }

  /** runSync's onProgress. */
  readonly update = (progress: SyncProgress): void => {
    const index = this.#views.findIndex((view) => view.plan.stream === progress.stream);
    let view = this.#views[index];
    if (!view) {
      // A stream that was not planned (should not happen): show it anyway.
      view = { plan: { stream: progress.stream }, status: 'running', records: 0, pages: 0, failed: 0, startedAt: performance.now() };
      this.#views.push(view);
      if (this.#multibar) view.bar = this.#multibar.create(0, 0, { view } satisfies Payload);
    }
    view.records = progress.records;
    view.pages = progress.pages;
    view.failed = progress.failed;
    if (progress.done) {
      view.status = this.#signal?.aborted ? 'stopped' : 'done';
      const next = this.#views.find((candidate) => candidate.status === 'waiting');
      if (next) {
        next.status = 'running';
        next.startedAt = performance.now();
      }
      if (this.#mode === 'lines') {
        this.#out.errLine(`${progress.stream}: ${plural(progress.records, 'record')}, ${plural(progress.pages, 'page')}${progress.failed > 0 ? `, ${plural(progress.failed, 'failed', 'failed')}` : ''}${view.status === 'stopped' ? ' (stopped)' : ''}`);
      }
    }
    if (view.bar) {
      if (view.plan.total !== undefined && view.records > view.plan.total) view.bar.setTotal(view.records);
      view.bar.update(view.records, { view } satisfies Payload);
    }
  };

  /** A message above the bars (or a plain line on stderr). */
  log(text: string): void {
    if (this.#multibar) this.#multibar.log(`${text}\n`);
    else if (this.#mode !== 'none') this.#out.errLine(text);
  }

  /** Draws the final state and gives the terminal back. */
  stop(): void {
    if (!this.#multibar) return;
    for (const view of this.#views) view.bar?.update(view.records, { view } satisfies Payload);
    // One last frame, which also prints what log() queued since the previous one.
    this.#multibar.update();
    this.#multibar.stop();
    this.#multibar = undefined;
  }
}
