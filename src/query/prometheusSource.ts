// The Prometheus MetricsSource: answers realtime / query / series by asking Prometheus for each
// step's figures with PromQL (walPromql: sum by the contract's labels of increase(…[step]), resets
// handled per series before the sum, gauges at the step's end) and folding them with the same
// functions as the in-process source, so both mean what the README's table says.
//
// Queries are planned per step grid, not per figure: the two per-step expressions of one grid
// serve every metric type, aggregation and filter of a request (a `GET metrics` of every
// type, a report's answers and its charts), and a grid asked for again within a second is
// answered from the same plan.

import type * as z from 'zod/mini';
import { describeError } from '../util/describeError.js';
import { promDuration, selector, walPromql } from '../wal/promql.js';
import { answerQuery, answerRealtime, answerSeries } from './answer.js';
import { fromPrometheusBuckets, type HistogramData } from './nativeHistogram.js';
import {
  envelopeSchema,
  matrixSchema,
  type NativeHistogramJson,
  vectorSchema,
} from './prometheusResponses.js';
import { type ParsedSeries, type StepAnswers, snapshotsFromSteps } from './prometheusSnapshots.js';
import { resolveRange } from './range.js';
import type { Snapshot } from './snapshot.js';
import { endAlignedWindows, type StepWindow, seriesWindows, stepFor } from './steps.js';
import {
  type MetricFilter,
  type MetricsSource,
  type QueryRequest,
  type QueryResult,
  type RealtimeView,
  type SeriesRequest,
  type SeriesResult,
  SourceUnavailableError,
  type TimeRange,
} from './types.js';

export interface PrometheusSourceOptions {
  /** Prometheus base URL, e.g. http://prometheus:9090. */
  url: string;
  /** Metric name prefix of the contract. Default `wal`. */
  prefix?: string;
  /** Extra label matchers for every query, e.g. `job="my-wal"`. */
  matchers?: string;
  timeoutMs?: number;
  /** Default range of query() when no start is given. Default one hour. */
  defaultRangeMs?: number;
  realtimeWindowSec?: number;
  /**
   * The finest step, ms. A step's increase() needs two samples in it, so this is at least twice
   * the apps' metric export interval (OTEL_METRIC_EXPORT_INTERVAL). Default 15 s.
   */
  resolutionMs?: number;
  now?: () => number;
}

/** How long a planned grid's answers are reused for the same grid, ms. */
const PLAN_REUSE_MS = 1_000;
const MAX_PLANS = 32;

export class PrometheusSource implements MetricsSource {
  private readonly url: string;
  private readonly promql: ReturnType<typeof walPromql>;
  private readonly plans = new Map<string, { at: number; steps: Promise<Snapshot[]> }>();
  private readonly matchers: string;
  private readonly timeoutMs: number;
  private readonly defaultRangeMs: number;
  private readonly windowSec: number;
  private readonly resolution: number;
  private readonly now: () => number;

  constructor(options: PrometheusSourceOptions) {
    try {
      new URL(options.url);
    } catch {
      throw new TypeError(
        `wal-telemetry: Prometheus URL must be absolute, got ${JSON.stringify(options.url)}`,
      );
    }
    this.url = options.url.replace(/\/+$/, '');
    this.promql = walPromql(options.prefix);
    this.matchers = options.matchers ?? '';
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.defaultRangeMs = options.defaultRangeMs ?? 3_600_000;
    this.windowSec = options.realtimeWindowSec ?? 300;
    this.resolution = options.resolutionMs ?? 15_000;
    this.now = options.now ?? Date.now;
  }

  resolutionMs(): number {
    return this.resolution;
  }

  async query(request: QueryRequest): Promise<QueryResult> {
    const range = this.resolveRange(request.range);
    const stepMs = stepFor(range, request.stepMs, this.resolution);
    const windows = endAlignedWindows(range.start, range.end, stepMs);
    return answerQuery(await this.steps(windows), request, range, stepMs);
  }

  async series(request: SeriesRequest): Promise<SeriesResult> {
    const range = this.resolveRange(request.range);
    const stepMs = stepFor(range, request.stepMs, this.resolution);
    const windows = seriesWindows(range.start, range.end, stepMs);
    return answerSeries(await this.steps(windows), request, stepMs);
  }

  async realtime(filter: MetricFilter = {}): Promise<RealtimeView> {
    const now = this.at();
    const windows = endAlignedWindows(now - this.windowSec * 1000, now, this.resolution);
    return answerRealtime(await this.steps(windows), now, this.windowSec, filter);
  }

  /** Prometheus's own readiness, for health checks (`doctor`). */
  async ready(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(this.timeoutMs) });
      return response.ok;
    } catch {
      return false;
    }
  }

  private resolveRange(range: TimeRange | undefined): Required<TimeRange> {
    return resolveRange(range, this.at(), (end) => end - this.defaultRangeMs);
  }

  /**
   * "Now" to the whole second: requests in the same second share one grid, so a polling console
   * or a burst of requests costs one plan a second, not one per request. A second is far below
   * the apps' export interval, so no data is missed.
   */
  private at(): number {
    return Math.floor(this.now() / 1000) * 1000;
  }

  /** One snapshot per window, from the grid's plan (shared while fresh). */
  private steps(windows: readonly StepWindow[]): Promise<Snapshot[]> {
    const first = windows[0] as StepWindow;
    const last = windows.at(-1) as StepWindow;
    const key = `${first.from}|${first.to}|${windows.length}|${last.from}|${last.to}`;
    const now = performance.now();
    const known = this.plans.get(key);
    if (known && now - known.at < PLAN_REUSE_MS) return known.steps;
    for (const [k, plan] of this.plans) if (now - plan.at >= PLAN_REUSE_MS) this.plans.delete(k);
    const steps = this.fetchSteps(windows);
    if (this.plans.size < MAX_PLANS) {
      const plan = { at: Number.POSITIVE_INFINITY, steps };
      this.plans.set(key, plan);
      // Reused while in flight, then for PLAN_REUSE_MS after the answer; a failure is not kept.
      steps.then(
        () => {
          plan.at = performance.now();
        },
        () => this.plans.delete(key),
      );
    }
    return steps;
  }

  /**
   * The per-step expressions at every window's end: one range query each for the windows of the
   * grid's step, and one instant query each for a shorter last window (a series cut at its end).
   */
  private async fetchSteps(windows: readonly StepWindow[]): Promise<Snapshot[]> {
    // The grid's step is its longest window; a shorter first or last one (a range cut at its
    // start, a series cut at its end) gets an instant query over its own length.
    const stepMs = windows.reduce((longest, w) => Math.max(longest, w.to - w.from), 0);
    const isRegular = (w: StepWindow) => w.to - w.from === stepMs;
    const headCut = windows.length > 1 && !isRegular(windows[0] as StepWindow) ? 1 : 0;
    const tailCut = windows.length > 1 + headCut && !isRegular(windows.at(-1) as StepWindow) ? 1 : 0;
    const regular = windows.slice(headCut, windows.length - tailCut);
    const irregular = [
      ...(headCut ? [{ window: windows[0] as StepWindow, index: 0 }] : []),
      ...(tailCut ? [{ window: windows.at(-1) as StepWindow, index: windows.length - 1 }] : []),
    ];
    const sel = selector(this.matchers);
    const q = this.promql;
    const expressions = (window: string): Record<keyof StepAnswers, string> => ({
      histograms: q.histograms(window, sel),
      figures: q.figures(window, sel),
    });
    const names = Object.keys(expressions('')) as Array<keyof StepAnswers>;
    const regularExpr = expressions(`[${promDuration(stepMs)}]`);
    const answers = await Promise.all(
      names.map(async (name) => {
        const series = await this.rangeAt(regularExpr[name], regular, headCut);
        for (const { window, index } of irregular) {
          const expr = expressions(`[${promDuration(window.to - window.from)}]`)[name];
          await this.instantAt(expr, window.to, index, series);
        }
        return [name, [...series.values()]] as const;
      }),
    );
    return snapshotsFromSteps(windows, Object.fromEntries(answers) as unknown as StepAnswers);
  }

  /** `expr` at each window's end (a regular grid), values by window index (from `offset`). */
  private async rangeAt(
    expr: string,
    windows: readonly StepWindow[],
    offset: number,
  ): Promise<Map<string, ParsedSeries>> {
    const bySeries = new Map<string, ParsedSeries>();
    if (windows.length === 0) return bySeries;
    const start = (windows[0] as StepWindow).to;
    const end = (windows.at(-1) as StepWindow).to;
    const stepMs = windows.length > 1 ? (end - start) / (windows.length - 1) : 0;
    if (stepMs === 0) {
      await this.instantAt(expr, start, offset, bySeries);
      return bySeries;
    }
    const matrix = await this.api(
      'query_range',
      { query: expr, start: String(start / 1000), end: String(end / 1000), step: String(stepMs / 1000) },
      matrixSchema,
    );
    // Prometheus answers in float seconds: the nearest window end is the step.
    const stepIndex = (t: number) => {
      const index = Math.round((t * 1000 - start) / stepMs);
      return index >= 0 && index < windows.length ? offset + index : undefined;
    };
    for (const series of matrix) {
      const parsed = seriesFor(bySeries, series.metric);
      for (const [t, v] of series.values ?? []) {
        const index = stepIndex(t);
        if (index !== undefined) parsed.values.set(index, Number(v));
      }
      for (const [t, h] of series.histograms ?? []) {
        const index = stepIndex(t);
        if (index !== undefined) parsed.histograms.set(index, histogramFromJson(h));
      }
    }
    return bySeries;
  }

  private async instantAt(
    expr: string,
    at: number,
    index: number,
    into: Map<string, ParsedSeries>,
  ): Promise<void> {
    const vector = await this.api('query', { query: expr, time: String(at / 1000) }, vectorSchema);
    for (const series of vector) {
      const parsed = seriesFor(into, series.metric);
      if (series.value) parsed.values.set(index, Number(series.value[1]));
      if (series.histogram) parsed.histograms.set(index, histogramFromJson(series.histogram[1]));
    }
  }

  private async api<T>(
    endpoint: 'query' | 'query_range',
    params: Record<string, string>,
    resultSchema: z.ZodMiniType<T>,
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/api/v1/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SourceUnavailableError(`Prometheus at ${this.url} is unreachable: ${describeError(error)}`);
    }
    const envelope = envelopeSchema.safeParse(await response.json().catch(() => undefined));
    if (!response.ok || !envelope.success || envelope.data.status !== 'success') {
      const reason = envelope.success ? (envelope.data.error ?? 'no answer') : 'not a Prometheus API answer';
      throw new SourceUnavailableError(`Prometheus ${endpoint} failed (HTTP ${response.status}): ${reason}`);
    }
    const result = resultSchema.safeParse(envelope.data.data?.result ?? []);
    if (!result.success)
      throw new SourceUnavailableError(
        `Prometheus ${endpoint} answered in an unexpected shape: ${result.error.message}`,
      );
    return result.data;
  }
}

function seriesFor(bySeries: Map<string, ParsedSeries>, metric: Record<string, string>): ParsedSeries {
  const id = JSON.stringify(Object.entries(metric).sort());
  let series = bySeries.get(id);
  if (!series) {
    series = { metric, values: new Map(), histograms: new Map() };
    bySeries.set(id, series);
  }
  return series;
}

function histogramFromJson(h: NativeHistogramJson): HistogramData {
  return fromPrometheusBuckets(
    Number(h.count),
    Number(h.sum),
    (h.buckets ?? []).map(
      ([rule, lower, upper, count]) => [rule, Number(lower), Number(upper), Number(count)] as const,
    ),
  );
}
