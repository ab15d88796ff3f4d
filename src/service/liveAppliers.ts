// What each live config field drives, in one place. The record is typed by the live fields of
// config/fields.ts, so a field marked live with nothing here to apply it does not compile (it
// used to be accepted, saved, reported as live, and do nothing).
import type { ServiceConfig } from '../config/fields.js';
import type { LiveAppliers } from '../config/liveConfig.js';
import type { ReportStore } from '../report/reportStore.js';
import type { ConcurrencyLimit } from './concurrencyLimit.js';

/**
 * The live fields' targets in the app's own telemetry (an initTelemetry() handle, wired by
 * serviceFromTelemetry()). A service over another source (a Prometheus) has none: those fields are
 * then stored and reported, with nothing in this process to change.
 */
export interface LiveTelemetry {
  setEnabled(on: boolean): void;
  setDetailedTiming(on: boolean): void;
  /** The root sampling ratio for this config (effectiveSamplingRatio's rule). */
  applySamplingRatio(config: ServiceConfig): void;
  setAggregationInterval(sec: number): void;
  setMaxHistoryEntries(entries: number): void;
  setMaxHistoryMb(mb: number): void;
  setRetentionDays(days: number): void;
}

export interface LiveTargets {
  telemetry?: LiveTelemetry;
  reports: ReportStore;
  visualizations: ConcurrencyLimit;
}

export function liveAppliers({ telemetry, reports, visualizations }: LiveTargets): LiveAppliers {
  return {
    enabled: (on) => telemetry?.setEnabled(on),
    detailed_timing: (on) => telemetry?.setDetailedTiming(on),
    sampling_ratio: (_, config) => telemetry?.applySamplingRatio(config),
    aggregation_interval_sec: (sec) => telemetry?.setAggregationInterval(sec),
    max_history_entries: (entries) => telemetry?.setMaxHistoryEntries(entries),
    max_history_mb: (mb) => telemetry?.setMaxHistoryMb(mb),
    retention_days: (days) => telemetry?.setRetentionDays(days),
    report_retention_days: (days) => reports.setRetentionDays(days),
    max_reports: (maxReports) => reports.setLimits({ maxReports }),
    max_concurrent_reports: (maxConcurrent) => reports.setLimits({ maxConcurrent }),
    max_concurrent_visualizations: (max) => visualizations.setMax(max),
    // Read on each request by the API key guard (auth.ts): nothing to hold here.
    protect_reads: () => {},
  };
}
