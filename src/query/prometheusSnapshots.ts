// The Prometheus source's reading of Prometheus's answers: for each step of a grid, the per-step
// increase of each histogram series (native histograms: count, sum and buckets in one answer,
// summed by the contract's labels, resets handled per series before the sum), the retries'
// increase and the gauges at the step's end, turned into one snapshot per step that the shared
// answers (answer.ts) fold. Kept apart from the HTTP side so the conversion can be checked on any
// answer.

import { SERIES_KINDS, type SeriesKind } from '../wal/metricTypes.js';
import { prometheusNames } from '../wal/prometheusNaming.js';
import { FIGURE_LABEL } from '../wal/promql.js';
import type { HistogramData } from './nativeHistogram.js';
import type { SeriesLabels, SeriesSample, Snapshot } from './snapshot.js';
import type { StepWindow } from './steps.js';

export interface ParsedSeries {
  metric: Record<string, string>;
  /** Sample values by step index. */
  values: Map<number, number>;
  /** Native histograms by step index. */
  histograms: Map<number, HistogramData>;
}

/** PromQL's answers for each step of the grid (walPromql's two per-step expressions). */
export interface StepAnswers {
  histograms: ParsedSeries[];
  figures: ParsedSeries[];
}

const LABELS = prometheusNames().labels;

function labelsFrom(metric: Record<string, string>): SeriesLabels {
  // The SDK's overflow series reaches Prometheus as otel_metric_overflow="true".
  const labels: SeriesLabels = metric.otel_metric_overflow === 'true' ? { overflow: true } : {};
  const type = metric[LABELS.operationType];
  const backend = metric[LABELS.backend];
  const outcome = metric[LABELS.outcome];
  const errorType = metric[LABELS.errorType];
  const status = metric[LABELS.status];
  if (type !== undefined) labels.type = type;
  if (backend !== undefined) labels.backend = backend;
  if (outcome !== undefined) labels.outcome = outcome;
  if (errorType !== undefined) labels.errorType = errorType;
  if (status !== undefined) labels.status = status;
  return labels;
}

/** The series kind an answer's series is (FIGURE_LABEL), undefined for anything else. */
function kindOf(series: ParsedSeries): SeriesKind | undefined {
  const kind = series.metric[FIGURE_LABEL];
  return (SERIES_KINDS as readonly (string | undefined)[]).includes(kind) ? (kind as SeriesKind) : undefined;
}

/** PromQL writes NaN when a step's increase divides nothing; a negative is impossible for an increase. */
function finite(value: number | undefined): number | undefined {
  return value === undefined || !Number.isFinite(value) ? undefined : Math.max(0, value);
}

/** One snapshot per window; a series without an answer at a step is absent there (no data). */
export function snapshotsFromSteps(windows: readonly StepWindow[], answers: StepAnswers): Snapshot[] {
  return windows.map((window, i) => {
    const samples: SeriesSample[] = [];
    for (const series of answers.histograms) {
      const kind = kindOf(series);
      const hist = series.histograms.get(i);
      if (kind === undefined || hist === undefined || !Number.isFinite(hist.count)) continue;
      samples.push({ kind, labels: labelsFrom(series.metric), hist });
    }
    for (const series of answers.figures) {
      const kind = kindOf(series);
      if (kind === undefined) continue;
      const raw = series.values.get(i);
      // Increases are never negative; gauges keep their sign.
      const value =
        kind === 'retries' ? finite(raw) : raw !== undefined && Number.isFinite(raw) ? raw : undefined;
      if (value !== undefined) samples.push({ kind, labels: labelsFrom(series.metric), value });
    }
    return { start: window.from, end: window.to, samples };
  });
}
