// The in-process MetricsSource: answers from the SDK's own metric data, read through a pull reader.
// Every `aggregationIntervalSec` the open interval is closed into a snapshot; at most
// `maxHistoryEntries` are kept, within `maxHistoryMb` of memory (optionally persisted). Reads merge a fresh collection into the open
// interval, so answers include what was recorded up to the call — or up to `maxStalenessMs`
// before it: an SDK collection walks every series, and a console polling realtime and metrics
// several times a second would otherwise pay one per request (BENCHMARKS.md, service section).
import { diag } from '@opentelemetry/api';
import { describeError } from '../util/describeError.js';
import { type InstrumentNames, LATENCY_HISTOGRAM } from '../wal/contract.js';
import { CumulativeScales } from './cumulativeScales.js';
import { IN_PROCESS_DEFAULTS } from './inProcessDefaults.js';
import type { PullMetricReader } from './pullReader.js';
import { type Snapshot, SnapshotBuilder } from './snapshot.js';
import { estimatedSnapshotBytes } from './snapshotBytes.js';
import { SnapshotStore } from './snapshotStore.js';
import type { StepWindow } from './steps.js';
import type {
  MetricFilter,
  MetricsSource,
  QueryRequest,
  QueryResult,
  RealtimeView,
  SeriesRequest,
  SeriesResult,
  TimeRange,
} from './types.js';

/** initTelemetry's `metrics` options: the in-process history of `telemetry.metrics`. */
export interface InProcessMetricsOptions {
  /** Seconds per in-process snapshot. Default 10. */
  aggregationIntervalSec?: number;
  /** Snapshots kept. Default 360 (one hour at 10 s). */
  maxHistoryEntries?: number;
  /** Memory the kept snapshots may take, MiB (estimated from their series); the oldest go first past it. Default 64. */
  maxHistoryMb?: number;
  /** Folder to persist snapshots in (one file per day); unset keeps them in memory only. */
  metricsPath?: string;
  /** Days of persisted snapshots kept. Default 7. */
  retentionDays?: number;
  /** Window of the realtime view in seconds. Default 300. */
  realtimeWindowSec?: number;
  /**
   * Reads of `telemetry.metrics` within this many ms of the last SDK collection share it
   * (concurrent reads share one collection). Default 0 (every read collects); the service uses
   * 1000, so a polling console stays cheap.
   */
  maxStalenessMs?: number;
}

export interface InProcessSourceOptions extends InProcessMetricsOptions {
  reader: PullMetricReader;
  names: InstrumentNames;
  now?: () => number;
}

/** The query side, loaded on the first read: an app that never asks does not load it at start. */
type Answering = typeof import('./inProcessAnswering.js');

const MIB = 1024 * 1024;

/** Distinct requests remembered per collection (a bound against many one-off ranges). */
const MAX_REMEMBERED_ANSWERS = 256;

function positive(name: string, value: number, integer = false): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(
      `wal-telemetry: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * The open interval is read a moment after the caller computed "now" as its range end; it counts
 * as ending at the range end when it started by then (a range asked the very millisecond the
 * interval opened holds it as an instant), so the freshest data is never dropped.
 */
function clampOpenInterval(snapshots: Snapshot[], end: number): Snapshot[] {
  const open = snapshots[snapshots.length - 1];
  if (!open || open.end <= end || open.start > end) return snapshots;
  return [...snapshots.slice(0, -1), { ...open, end }];
}

export class InProcessSource implements MetricsSource {
  private readonly reader: PullMetricReader;
  private readonly names: InstrumentNames;
  private readonly now: () => number;
  private readonly store: SnapshotStore | undefined;
  /** Each latency series' scale as the exporter's cumulative points (and Prometheus) hold it. */
  private readonly scales = new CumulativeScales(LATENCY_HISTOGRAM.maxSize);
  /** Instruments already warned about for reaching the SDK's cardinality limit. */
  private readonly overflowWarned = new Set<string>();
  private history: Snapshot[] = [];
  private open: SnapshotBuilder;
  private intervalSec: number;
  private maxHistory: number;
  private maxHistoryBytes: number;
  /** What the kept snapshots take, by estimatedSnapshotBytes, and each one's share. */
  private historyBytes = 0;
  private readonly bytesOf = new WeakMap<Snapshot, number>();
  private readonly windowSec: number;
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by each schedule(): a run started under an older one does not arm another timer. */
  private timerGeneration = 0;
  /** The timer's run in progress, which shutdown() waits for before its own last snapshot. */
  private timerRun: Promise<void> | undefined;
  private collecting: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly maxStalenessMs: number;
  /** The last answer's snapshots, and when (monotonic ms) their collection finished. */
  private recent: { at: number; snapshots: Promise<Snapshot[]> } | undefined;
  /** Answers computed from one collection, by request: a poll repeated within maxStalenessMs is free. */
  private answers = new WeakMap<Promise<Snapshot[]>, Map<string, unknown>>();
  /** Regroupings on step grids, by the snapshots they were made from. */
  private grids = new WeakMap<Snapshot[], Map<string, Snapshot[]>>();
  private answeringModule: Promise<Answering> | undefined;

  constructor(options: InProcessSourceOptions) {
    this.reader = options.reader;
    this.names = options.names;
    this.now = options.now ?? Date.now;
    this.intervalSec = positive(
      'aggregationIntervalSec',
      options.aggregationIntervalSec ?? IN_PROCESS_DEFAULTS.aggregationIntervalSec,
    );
    this.maxHistory = positive(
      'maxHistoryEntries',
      options.maxHistoryEntries ?? IN_PROCESS_DEFAULTS.maxHistoryEntries,
      true,
    );
    this.maxHistoryBytes =
      positive('maxHistoryMb', options.maxHistoryMb ?? IN_PROCESS_DEFAULTS.maxHistoryMb) * MIB;
    this.windowSec = positive(
      'realtimeWindowSec',
      options.realtimeWindowSec ?? IN_PROCESS_DEFAULTS.realtimeWindowSec,
    );
    this.maxStalenessMs = Math.max(0, options.maxStalenessMs ?? 0);
    const retentionDays = positive(
      'retentionDays',
      options.retentionDays ?? IN_PROCESS_DEFAULTS.retentionDays,
    );
    if (options.metricsPath !== undefined && options.metricsPath !== '') {
      this.store = new SnapshotStore({ path: options.metricsPath, retentionDays, now: this.now });
      for (const snapshot of this.store.loadSync(this.maxHistory)) this.keep(snapshot);
      this.trim();
    }
    this.open = new SnapshotBuilder(this.names, this.now(), this.scales);
  }

  /** Starts closing intervals on a timer (unref'd: it never keeps the process alive). */
  start(): this {
    this.schedule();
    return this;
  }

  get aggregationIntervalSec(): number {
    return this.intervalSec;
  }

  setAggregationInterval(seconds: number): void {
    this.intervalSec = positive('aggregationIntervalSec', seconds);
    if (this.timer) this.schedule();
  }

  setMaxHistoryEntries(entries: number): void {
    this.maxHistory = positive('maxHistoryEntries', entries, true);
    this.trim();
  }

  setMaxHistoryMb(mb: number): void {
    this.maxHistoryBytes = positive('maxHistoryMb', mb) * MIB;
    this.trim();
  }

  /** How many snapshots are kept, and their estimated memory in bytes. */
  historyUsage(): { entries: number; bytes: number } {
    return { entries: this.history.length, bytes: this.historyBytes };
  }

  setRetentionDays(days: number): void {
    this.store?.setRetentionDays(positive('retentionDays', days));
  }

  /** Closes the open interval now (and persists it). */
  async snapshotNow(): Promise<void> {
    this.recent = undefined;
    await this.refresh();
    const end = this.now();
    const snapshot = this.open.build(end);
    this.open = new SnapshotBuilder(this.names, end, this.scales);
    this.keep(snapshot);
    this.trim();
    this.store?.append(snapshot, (error) =>
      diag.warn(`wal-telemetry: could not persist metrics: ${describeError(error)}`),
    );
  }

  /** Closes the last interval, stops the timer and waits for pending writes. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerGeneration++;
    await this.timerRun;
    await this.snapshotNow().catch((error) =>
      diag.warn(`wal-telemetry: final metrics snapshot failed: ${describeError(error)}`),
    );
    await this.store?.flush();
  }

  resolutionMs(): number {
    return this.intervalSec * 1000;
  }

  query(request: QueryRequest): Promise<QueryResult> {
    return this.answer(['query', request], (all, a) => {
      const range = this.resolveRange(request.range, all, a);
      const stepMs = a.stepFor(range, request.stepMs, this.resolutionMs());
      const windows = a.endAlignedWindows(range.start, range.end, stepMs);
      return a.answerQuery(this.onWindows(all, range.end, windows, a), request, range, stepMs);
    });
  }

  async series(request: SeriesRequest): Promise<SeriesResult> {
    const [all, a] = await Promise.all([this.snapshots(), this.answering()]);
    const range = this.resolveRange(request.range, all, a);
    const stepMs = a.stepFor(range, request.stepMs, this.resolutionMs());
    const windows = a.seriesWindows(range.start, range.end, stepMs);
    return a.answerSeries(this.onWindows(all, range.end, windows, a), request, stepMs);
  }

  realtime(filter: MetricFilter = {}): Promise<RealtimeView> {
    return this.answer(['realtime', filter], (all, a) => {
      const now = this.now();
      const windows = a.endAlignedWindows(now - this.windowSec * 1000, now, this.resolutionMs());
      return a.answerRealtime(this.onWindows(all, now, windows, a), now, this.windowSec, filter);
    });
  }

  /**
   * The snapshots on a step grid, regrouped once per collection and grid: every type of a
   * `GET metrics`, or a report's answers, share one regrouping when they share a collection.
   */
  private onWindows(all: Snapshot[], end: number, windows: StepWindow[], a: Answering): Snapshot[] {
    const first = windows[0] as StepWindow;
    const key = `${end}|${first.from}|${first.to}|${windows.length}`;
    let grids = this.grids.get(all);
    if (grids === undefined) {
      grids = new Map();
      this.grids.set(all, grids);
    }
    let steps = grids.get(key);
    if (steps === undefined) {
      steps = a.snapshotsOnWindows(clampOpenInterval(all, end), windows);
      if (grids.size < MAX_REMEMBERED_ANSWERS) grids.set(key, steps);
    }
    return steps;
  }

  /** An answer from the current snapshots, remembered for as long as they are shared. */
  private async answer<T>(request: unknown, compute: (all: Snapshot[], a: Answering) => T): Promise<T> {
    const pending = this.snapshots();
    const [all, a] = await Promise.all([pending, this.answering()]);
    if (this.maxStalenessMs === 0) return compute(all, a);
    let known = this.answers.get(pending);
    if (known === undefined) {
      known = new Map();
      this.answers.set(pending, known);
    }
    const key = JSON.stringify(request);
    if (known.has(key)) return known.get(key) as T;
    const result = compute(all, a);
    if (known.size < MAX_REMEMBERED_ANSWERS) known.set(key, result);
    return result;
  }

  /** History plus the open interval with a fresh (or maxStalenessMs recent) collection merged in. */
  private snapshots(): Promise<Snapshot[]> {
    if (this.maxStalenessMs > 0 && this.recent && performance.now() - this.recent.at < this.maxStalenessMs)
      return this.recent.snapshots;
    const snapshots = this.refresh().then(() => [...this.history, this.open.peek(this.now())]);
    if (this.maxStalenessMs > 0) {
      // Shared while in flight too; stamped when the collection is done.
      const recent = { at: Number.POSITIVE_INFINITY, snapshots };
      this.recent = recent;
      void snapshots.then(() => {
        recent.at = performance.now();
      });
    }
    return snapshots;
  }

  private refresh(): Promise<void> {
    // Collections are serialised: each one's delta lands in exactly one interval.
    this.collecting = this.collecting.then(async () => {
      try {
        // What a collection returns is kept even when an instrument's callback failed: the SDK has
        // already handed over and reset the other series' deltas, so dropping them would lose them.
        const { resourceMetrics, errors } = await this.reader.pull();
        const dropped = this.open.add(resourceMetrics);
        for (const name of this.open.overflowed) {
          if (this.overflowWarned.has(name)) continue;
          this.overflowWarned.add(name);
          diag.warn(
            `wal-telemetry: ${name} passed the SDK's cardinality limit (2,000 series per instrument): what it records past it is counted in totals as overflow, without its labels (keep attribute values bounded)`,
          );
        }
        if (dropped > 0)
          diag.warn(
            `wal-telemetry: ${dropped} latency histogram points were not exponential and were skipped: build the MeterProvider with walHistogramViews()`,
          );
        for (const error of errors)
          diag.warn(`wal-telemetry: a metric callback failed during collection: ${describeError(error)}`);
      } catch (error) {
        diag.warn(`wal-telemetry: in-process metric collection failed: ${describeError(error)}`);
      }
    });
    return this.collecting;
  }

  /** The answering functions, imported on the first read (see inProcessAnswering.ts). */
  private answering(): Promise<Answering> {
    this.answeringModule ??= import('./inProcessAnswering.js');
    return this.answeringModule;
  }

  private resolveRange(
    range: TimeRange | undefined,
    snapshots: readonly Snapshot[],
    a: Answering,
  ): Required<TimeRange> {
    const now = this.now();
    // With no start, the range begins at the oldest snapshot held, and spans one step at least
    // (asked the moment the process starts, it is that first step, not an empty instant).
    return a.resolveRange(range, now, (end) =>
      Math.min(snapshots[0]?.start ?? end, end - this.resolutionMs()),
    );
  }

  private keep(snapshot: Snapshot): void {
    const bytes = estimatedSnapshotBytes(snapshot);
    this.bytesOf.set(snapshot, bytes);
    this.historyBytes += bytes;
    this.history.push(snapshot);
  }

  /** Drops the oldest snapshots past the entry count or the memory budget (the newest always stays). */
  private trim(): void {
    let drop = Math.max(0, this.history.length - this.maxHistory);
    let bytes = this.historyBytes;
    for (let i = 0; i < drop; i++) bytes -= this.bytesOf.get(this.history[i] as Snapshot) ?? 0;
    while (bytes > this.maxHistoryBytes && drop < this.history.length - 1) {
      bytes -= this.bytesOf.get(this.history[drop] as Snapshot) ?? 0;
      drop++;
    }
    if (drop === 0) return;
    this.history.splice(0, drop);
    this.historyBytes = bytes;
  }

  /**
   * One timer at a time, armed again only when the run it started is over: a run that takes
   * longer than the interval delays the next one instead of overlapping it (a bare setInterval
   * piles runs up). The next run is due one interval after the last one started, so the grid does
   * not drift with the runs' own time.
   */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const generation = ++this.timerGeneration;
    const arm = (dueAt: number) => {
      this.timer = setTimeout(
        () => {
          // Timer arithmetic on the monotonic clock: `now` may be an injected (test) clock.
          const started = performance.now();
          this.timerRun = this.snapshotNow()
            .catch((error) => diag.warn(`wal-telemetry: metrics snapshot failed: ${describeError(error)}`))
            .finally(() => {
              this.timerRun = undefined;
              // Rescheduled (a new interval) or shut down meanwhile: that timer, or none, goes on.
              if (generation === this.timerGeneration && !this.closed) arm(started + this.intervalSec * 1000);
            });
        },
        Math.max(0, dueAt - performance.now()),
      );
      this.timer.unref();
    };
    arm(performance.now() + this.intervalSec * 1000);
  }
}
