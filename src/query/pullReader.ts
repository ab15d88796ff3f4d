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

  async pull(timeoutMillis = 5_000): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await this.collect({ timeoutMillis });
    if (errors.length > 0) throw new AggregateError(errors, 'metric collection reported errors');
    return resourceMetrics;
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}
