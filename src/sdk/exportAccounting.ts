// What happened to the telemetry an app produced: spans and metric points exported, failed
// (the exporter gave up after its retries) or dropped (the span queue was full), and the span
// queue's current length. With the collector down, this is how an app sees what it is losing —
// through TelemetryHandle.exportStats(), the otel.sdk.* metrics (exportMetrics.ts) and one
// warning per interval at most, never a log line per operation or per batch.
import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { describeError } from '../util/describeError.js';

export interface ExportStats {
  /**
   * accepted: sampled spans that entered the export queue; dropped: those that did not (queue
   * full); queued: still waiting; exported / failed: how the exports of the rest ended.
   * accepted = queued + exported + failed + spans in an export still running.
   */
  spans: { accepted: number; exported: number; failed: number; dropped: number; queued: number };
  metricPoints: { exported: number; failed: number };
  /** The latest export error, as text. */
  lastError: string | undefined;
  /** When an export last failed / last succeeded (ms since the epoch). */
  lastFailureAt: number | undefined;
  lastSuccessAt: number | undefined;
}

export interface ExportAccountingOptions {
  /** Where the exports go, named in the warning. */
  destination: string;
  /** At most one "not delivered" warning per this many ms. Default 60000. */
  warnIntervalMs?: number;
  now?: () => number;
}

export const DEFAULT_WARN_INTERVAL_MS = 60_000;

export class ExportAccounting {
  private readonly spans = { accepted: 0, exported: 0, failed: 0, dropped: 0, queued: 0 };
  private readonly metricPoints = { exported: 0, failed: 0 };
  private lastError: string | undefined;
  private lastFailureAt: number | undefined;
  private lastSuccessAt: number | undefined;
  // Losses since the last warning, so each warning says what is new.
  private unreported = { spansFailed: 0, spansDropped: 0, pointsFailed: 0 };
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private readonly destination: string;
  private readonly warnIntervalMs: number;
  private readonly now: () => number;

  constructor(options: ExportAccountingOptions) {
    this.destination = options.destination;
    this.warnIntervalMs = options.warnIntervalMs ?? DEFAULT_WARN_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Spans waiting in the export queue (read on every span end: no allocation). */
  get queuedSpans(): number {
    return this.spans.queued;
  }

  /** A sampled span entered the export queue. */
  spanQueued(): void {
    this.spans.accepted++;
    this.spans.queued++;
  }

  /** A sampled span was not queued because the queue was full. */
  spanDropped(): void {
    this.spans.dropped++;
    this.unreported.spansDropped++;
    this.maybeWarn();
  }

  /** `count` spans left the queue for the exporter. */
  spansDequeued(count: number): void {
    this.spans.queued = Math.max(0, this.spans.queued - count);
  }

  spanExportDone(count: number, result: ExportResult): void {
    this.exportDone(this.spans, 'spansFailed', count, result);
  }

  pointExportDone(count: number, result: ExportResult): void {
    this.exportDone(this.metricPoints, 'pointsFailed', count, result);
  }

  stats(): ExportStats {
    return {
      spans: { ...this.spans },
      metricPoints: { ...this.metricPoints },
      lastError: this.lastError,
      lastFailureAt: this.lastFailureAt,
      lastSuccessAt: this.lastSuccessAt,
    };
  }

  private exportDone(
    counts: { exported: number; failed: number },
    unreported: 'spansFailed' | 'pointsFailed',
    count: number,
    result: ExportResult,
  ): void {
    if (result.code === ExportResultCode.SUCCESS) {
      counts.exported += count;
      this.lastSuccessAt = this.now();
      return;
    }
    counts.failed += count;
    this.unreported[unreported] += count;
    this.lastError = describeError(result.error ?? 'export failed');
    this.lastFailureAt = this.now();
    this.maybeWarn();
  }

  private maybeWarn(): void {
    const now = this.now();
    if (now - this.lastWarnAt < this.warnIntervalMs) return;
    this.lastWarnAt = now;
    const { spansFailed, spansDropped, pointsFailed } = this.unreported;
    this.unreported = { spansFailed: 0, spansDropped: 0, pointsFailed: 0 };
    diag.warn(
      `wal-telemetry: telemetry not delivered to ${this.destination}: ${spansFailed} spans failed to export, ` +
        `${spansDropped} dropped (span queue full), ${pointsFailed} metric points failed` +
        (this.lastError ? `; last error: ${this.lastError}` : '') +
        ` (next report in ${Math.round(this.warnIntervalMs / 1000)} s at the earliest; see exportStats())`,
    );
  }
}
