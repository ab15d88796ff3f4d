// The in-process history's defaults, in one place and with no imports: initTelemetry's options
// (query/inProcessSource.ts) and the service's config fields (config/fields.ts) take theirs from
// here, and the config's table is read by the CLI, which loads no SDK.
/** Defaults of the in-process history (InProcessMetricsOptions). */
export const IN_PROCESS_DEFAULTS = {
  aggregationIntervalSec: 10,
  /** One hour at 10 s. */
  maxHistoryEntries: 360,
  /** 360 snapshots of a few hundred series fit many times over. */
  maxHistoryMb: 64,
  retentionDays: 7,
  realtimeWindowSec: 300,
} as const;
