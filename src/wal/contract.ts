// The metric contract: instrument names, units and attribute keys every part of the kit agrees on.
// The Prometheus names derived from these (wal/prometheusNaming.ts, the Collector's rules) are
// pinned in the real-backend tests; dashboards, alert rules and the Prometheus source use them.

export const DEFAULT_PREFIX = 'wal';

/** Attribute keys shared by metrics and spans. */
export const ATTR = {
  operationType: 'wal.operation.type',
  backend: 'wal.backend',
  outcome: 'wal.operation.outcome',
  status: 'wal.operation.status',
  operationId: 'wal.operation.id',
  errorType: 'error.type',
} as const;

const OUTCOMES = ['success', 'failure'] as const;
/** An operation's outcome. */
export type Outcome = (typeof OUTCOMES)[number];

export const QUEUE_STATUSES = ['pending', 'processing'] as const;
/** A queue state, as setQueueSize() takes it. */
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/**
 * The legacy API's operation statuses, as its clients send them in a `status` filter: `completed` and
 * `failed` are our outcomes, `pending` and `processing` the queue's states, `retrying` the retries.
 */
export const LEGACY_STATUS_ALIASES: Readonly<Record<string, Outcome>> = {
  completed: 'success',
  failed: 'failure',
};
export const STATUS_FILTERS = [...OUTCOMES, ...QUEUE_STATUSES, 'retrying', 'completed', 'failed'] as const;

export const BACKEND_STATES = ['online', 'degraded', 'offline', 'unknown'] as const;
/** A backend's health, as setBackendHealth() takes it. */
export type BackendState = (typeof BACKEND_STATES)[number];

/**
 * Gauge value per health state. `unknown` has no value on purpose: it is exported as the absence
 * of a point, so it never reads as 0 (offline) nor drags an average down.
 */
export const HEALTH_VALUE: Readonly<Record<Exclude<BackendState, 'unknown'>, number>> = {
  online: 1,
  degraded: 0.5,
  offline: 0,
};

/**
 * The two latency histograms' aggregation: OpenTelemetry's base-2 exponential histogram, which
 * Prometheus 3 stores as a native histogram. At most `maxSize` buckets per sign: the SDK picks the
 * highest scale (up to 20; Prometheus keeps at most 8) at which a series' range fits, so 160
 * buckets hold 0.6 ms … 5 s at scale 3 (buckets 9 % wide) and a one-decade backend at scale 5 or
 * more. Chosen by measurement (BENCHMARKS.md, "Exact latency"): 160 keeps every percentile of the
 * accuracy suite's distributions within 2 % of the exact value; fewer buckets lose that on the
 * widest ones, more cost bytes per export for nothing a reader sees.
 */
export const LATENCY_HISTOGRAM = { maxSize: 160, recordMinMax: true } as const;

export interface InstrumentNames {
  operationDuration: string;
  operationRetries: string;
  queueSize: string;
  backendHealth: string;
  backendResponseTime: string;
}

/** Unit and kind of each instrument: the recorder creates them so, and the Prometheus names follow. */
export const INSTRUMENT_SHAPES = {
  operationDuration: { unit: 's', kind: 'histogram' },
  operationRetries: { unit: '{retry}', kind: 'counter' },
  queueSize: { unit: '{operation}', kind: 'gauge' },
  backendHealth: { unit: '1', kind: 'gauge' },
  backendResponseTime: { unit: 's', kind: 'histogram' },
} as const satisfies Record<keyof InstrumentNames, { unit: string; kind: string }>;

const PREFIX_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;

export function instrumentNames(prefix: string = DEFAULT_PREFIX): InstrumentNames {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(
      `wal-telemetry: invalid metric prefix ${JSON.stringify(prefix)}: use a letter then letters, digits or _`,
    );
  }
  return {
    operationDuration: `${prefix}.operation.duration`,
    operationRetries: `${prefix}.operation.retries`,
    queueSize: `${prefix}.queue.size`,
    backendHealth: `${prefix}.backend.health`,
    backendResponseTime: `${prefix}.backend.response_time`,
  };
}
