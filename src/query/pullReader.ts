// A metric reader that only answers when asked: the in-process source collects through it.
// Delta temporality, so each collection holds what happened since the previous one, with exact
// per-interval min/max, and the SDK keeps no cumulative state on its behalf.
import {
  AggregationTemporality,
  type InstrumentType,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

export class PullMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: (_type: InstrumentType) => AggregationTemporality.DELTA });
  }

  /** One collection: the data, and the errors of callbacks that failed (the rest is still there). */
  async pull(timeoutMillis = 5_000): Promise<{ resourceMetrics: ResourceMetrics; errors: unknown[] }> {
    return this.collect({ timeoutMillis });
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}
