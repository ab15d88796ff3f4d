// The Views that make the contract's two latency histograms base-2 exponential histograms (native
// histograms in Prometheus). initTelemetry() installs them; an app that builds its own
// MeterProvider passes them too: instrument advice can only choose explicit buckets, and the
// in-process source reads exponential points only.
import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { DEFAULT_PREFIX, instrumentNames, LATENCY_HISTOGRAM } from './contract.js';

/**
 * Views for `new MeterProvider({ views: walHistogramViews(prefix), … })`.
 * @example
 * const provider = new MeterProvider({ readers: [reader], views: walHistogramViews() });
 */
export function walHistogramViews(prefix: string = DEFAULT_PREFIX): ViewOptions[] {
  const names = instrumentNames(prefix);
  return [names.operationDuration, names.backendResponseTime].map((instrumentName) => ({
    instrumentName,
    aggregation: {
      type: AggregationType.EXPONENTIAL_HISTOGRAM,
      options: { maxSize: LATENCY_HISTOGRAM.maxSize, recordMinMax: LATENCY_HISTOGRAM.recordMinMax },
    },
  }));
}
