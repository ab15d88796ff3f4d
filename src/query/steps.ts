// The step grids every answer is computed on, shared by both sources so that a figure means the
// same thing wherever it comes from (README, "What the numbers mean"):
// - a single figure over a range is folded from per-step values on windows that END at the
//   range's end: (end − step, end], (end − 2·step, end − step], … — the evaluation times of a
//   PromQL subquery `[range:step]` evaluated at `end` when `end` is a multiple of the step (and
//   the range of steps), and the freshest data always counts;
// - a series has one point per whole step, each the window that ends at its timestamp, as the
//   points of a PromQL range query are: the last one ends at the range's end (the freshest data is
//   in it), and a remainder at the range's start shorter than a step is left out, so no point is
//   an unfinished step (a count that seems to fall, or rise, at an edge).
import { QueryError } from './types.js';

/** One step: the data in (from, to]. */
export interface StepWindow {
  from: number;
  to: number;
}

/** Largest number of steps one answer may hold (as Prometheus limits range queries). */
const MAX_STEPS = 11_000;

/** Points Grafana aims for on a panel; our default steps aim for the same. */
const TARGET_POINTS = 100;

/** Steps a default may take, ms: round numbers a person reads at a glance, as Grafana rounds. */
const NICE_STEPS_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

function assertStep(stepMs: number): void {
  if (!Number.isFinite(stepMs) || stepMs <= 0)
    throw new QueryError(`step must be a positive number of ms, got ${String(stepMs)}`);
}

function stepCount(spanMs: number, stepMs: number): number {
  assertStep(stepMs);
  const steps = Math.max(1, Math.ceil(spanMs / stepMs - 1e-9));
  if (steps > MAX_STEPS) {
    throw new QueryError(
      `the range holds ${steps} steps; at most ${MAX_STEPS} are allowed: use a larger step`,
    );
  }
  return steps;
}

/**
 * The default step for a range: about 100 points, rounded up to a round step, never finer than
 * the data's own interval (`resolutionMs`), as Grafana's $__interval is never finer than the
 * scrape interval.
 */
export function defaultStepMs(spanMs: number, resolutionMs: number): number {
  const wanted = Math.max(resolutionMs, spanMs / TARGET_POINTS);
  const nice = NICE_STEPS_MS.find((step) => step >= wanted);
  return Math.max(resolutionMs, nice ?? Math.ceil(wanted / 86_400_000) * 86_400_000);
}

/**
 * Steps ending at `end`, oldest first; the first one is cut at `start` when the range is not a
 * whole number of steps, so an answer never reads data from before the range it was asked for.
 */
export function endAlignedWindows(start: number, end: number, stepMs: number): StepWindow[] {
  const steps = stepCount(end - start, stepMs);
  const windows: StepWindow[] = [];
  for (let i = steps - 1; i >= 0; i--)
    windows.push({ from: Math.max(start, end - (i + 1) * stepMs), to: end - i * stepMs });
  return windows;
}

/**
 * A series' steps: whole steps ending at `end`, oldest first. A range shorter than one step is
 * its one (short) step: there is nothing whole to show, and nothing is hidden.
 */
export function seriesWindows(start: number, end: number, stepMs: number): StepWindow[] {
  const windows = endAlignedWindows(start, end, stepMs);
  const first = windows[0] as StepWindow;
  return windows.length > 1 && first.to - first.from < stepMs ? windows.slice(1) : windows;
}

/** The step a request is answered at: the one asked for or the default, never finer than the data. */
export function stepFor(
  range: { start: number; end: number },
  askedMs: number | undefined,
  resolutionMs: number,
): number {
  if (askedMs !== undefined) assertStep(askedMs);
  return Math.max(resolutionMs, askedMs ?? defaultStepMs(range.end - range.start, resolutionMs));
}
