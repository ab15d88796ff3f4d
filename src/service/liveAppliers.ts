// What each live config field drives, in one place. The record is typed by the live fields of
// config/fields.ts, so a field marked live with nothing here to apply it does not compile (it
// used to be accepted, saved, reported as live, and do nothing).
import type { ServiceConfig } from '../config/fields.js';
import type { LiveAppliers } from '../config/liveConfig.js';
import type { InProcessSource } from '../query/inProcessSource.js';
import type { ReportStore } from '../report/reportStore.js';
import type { WalRecorder } from '../wal/recorder.js';
import type { ConcurrencyLimit } from './concurrencyLimit.js';

/**
 * The live fields' targets in the app's own telemetry (an initTelemetry() handle, wired by
 * serviceFromTelemetry()). A service over another source (a Prometheus) has none: those fields are
 * then stored and reported, with nothing in this process to change.
 */
export interface LiveTelemetry {
  /** The recorder (telemetry.wal): recording on or off, backend response times. */
  wal: Pick<WalRecorder, 'setEnabled' | 'setDetailedTiming'>;
  /** The in-process history (telemetry.metrics). */
  metrics: Pick<
    InProcessSource,
    'setAggregationInterval' | 'setMaxHistoryEntries' | 'setMaxHistoryMb' | 'setRetentionDays'
  >;
  /** The root sampling ratio for this config (effectiveSamplingRatio's rule). */
  applySamplingRatio(config: ServiceConfig): void;
}

export interface LiveTargets {
  telemetry?: LiveTelemetry;
  reports: ReportStore;
  visualizations: ConcurrencyLimit;
}

export function liveAppliers({ telemetry, reports, visualizations }: LiveTargets): LiveAppliers {
  return {
    enabled: (on) => telemetry?.wal.setEnabled(on),
    detailed_timing: (on) => telemetry?.wal.setDetailedTiming(on),
    sampling_ratio: (_, config) => telemetry?.applySamplingRatio(config),
    aggregation_interval_sec: (sec) => telemetry?.metrics.setAggregationInterval(sec),
    max_history_entries: (entries) => telemetry?.metrics.setMaxHistoryEntries(entries),
    max_history_mb: (mb) => telemetry?.metrics.setMaxHistoryMb(mb),
    retention_days: (days) => telemetry?.metrics.setRetentionDays(days),
    report_retention_days: (days) => reports.setRetentionDays(days),
    max_reports: (maxReports) => reports.setLimits({ maxReports }),
    max_concurrent_reports: (maxConcurrent) => reports.setLimits({ maxConcurrent }),
    max_concurrent_visualizations: (max) => visualizations.setMax(max),
    // Read on each request by the API key guard (auth.ts): nothing to hold here.
    protect_reads: () => {},
  };
}
