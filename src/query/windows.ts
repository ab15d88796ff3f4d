// The in-process source's data on a step grid: its snapshots (one per aggregation interval, from
// the SDK's delta collections) regrouped into one snapshot per step, with the meaning PromQL gives
// a step of cumulative series:
// - a snapshot that straddles a step edge is shared between the two steps in proportion to the
//   time it spends in each (PromQL's increase() likewise spreads what happened between two samples
//   over the time between them);
// - a counter or histogram series, once seen, is present with 0 in every later step the process
//   was running: an idle series reads 0, not "no data" (the SDK's delta collections leave idle
//   series out; a cumulative series in Prometheus keeps its samples and its increase is 0);
// - a step no snapshot touches (the process was not running) has no data at all;
// - a gauge reads its last value in the step.
import { isGaugeSeries } from '../wal/metricTypes.js';
import { addHistogram, emptyHistogram } from './nativeHistogram.js';
import { type SeriesSample, type Snapshot, seriesKey } from './snapshot.js';
import type { StepWindow } from './steps.js';

function sampleKey(sample: SeriesSample): string {
  return seriesKey(sample.kind, sample.labels);
}

function isGaugeSample(sample: SeriesSample): boolean {
  return isGaugeSeries(sample.kind);
}

/** The part of `sample` a share of its interval holds (counts scaled; min and max kept). */
function addShare(into: SeriesSample, sample: SeriesSample, share: number): void {
  if (sample.hist) {
    into.hist ??= emptyHistogram();
    addHistogram(into.hist, sample.hist, share);
  }
  if (sample.value !== undefined) into.value = (into.value ?? 0) + sample.value * share;
}

/** Whether a snapshot holds data from before `to` (a zero-length one at `to` itself counts). */
function startsBy(snapshot: Snapshot, to: number): boolean {
  return snapshot.start < to || (snapshot.start === to && snapshot.end === to);
}

function zeroLike(sample: SeriesSample): SeriesSample {
  return {
    kind: sample.kind,
    labels: sample.labels,
    ...(sample.hist ? { hist: emptyHistogram() } : { value: 0 }),
  };
}

/**
 * One snapshot per step window. `snapshots` must be sorted by end and may start before the first
 * window (series seen there are known in the windows).
 */
export function snapshotsOnWindows(
  snapshots: readonly Snapshot[],
  windows: readonly StepWindow[],
): Snapshot[] {
  const known = new Map<string, SeriesSample>();
  let seenUpTo = 0;
  const out: Snapshot[] = [];
  let first = 0;
  for (const window of windows) {
    // Every snapshot that started before this window's end has been seen by now.
    while (seenUpTo < snapshots.length && startsBy(snapshots[seenUpTo] as Snapshot, window.to)) {
      for (const sample of (snapshots[seenUpTo] as Snapshot).samples)
        if (!isGaugeSample(sample)) known.set(sampleKey(sample), sample);
      seenUpTo++;
    }
    while (first < snapshots.length && (snapshots[first] as Snapshot).end <= window.from) first++;
    const samples = new Map<string, SeriesSample>();
    let touched = false;
    let lastGauges: SeriesSample[] | undefined;
    for (let i = first; i < snapshots.length; i++) {
      const snapshot = snapshots[i] as Snapshot;
      if (!startsBy(snapshot, window.to)) break;
      const length = snapshot.end - snapshot.start;
      const overlap = Math.min(snapshot.end, window.to) - Math.max(snapshot.start, window.from);
      // A zero-length snapshot counts whole in the window holding its instant (a zero-length
      // window, a range asked the moment the process started, holds the one at its instant).
      const inWindow =
        window.from === window.to
          ? snapshot.end === window.to
          : snapshot.end > window.from && snapshot.end <= window.to;
      const share = length > 0 ? Math.max(0, overlap) / length : inWindow ? 1 : 0;
      if (share <= 0) continue;
      touched = true;
      const gauges: SeriesSample[] = [];
      for (const sample of snapshot.samples) {
        if (isGaugeSample(sample)) {
          gauges.push(sample);
          continue;
        }
        const key = sampleKey(sample);
        let into = samples.get(key);
        if (into === undefined) {
          into = zeroLike(sample);
          samples.set(key, into);
        }
        addShare(into, sample, share);
      }
      // Each collection observes every gauge that exists: the last one touching the window wins.
      // (A snapshot with no sample at all says nothing about gauges: the earlier reading stands.)
      if (snapshot.samples.length > 0) lastGauges = gauges;
    }
    if (touched) {
      for (const [key, sample] of known) if (!samples.has(key)) samples.set(key, zeroLike(sample));
      for (const gauge of lastGauges ?? []) samples.set(sampleKey(gauge), { ...gauge });
    }
    out.push({ start: window.from, end: window.to, samples: touched ? [...samples.values()] : [] });
  }
  return out;
}
