// The seed client's enums, with exactly its string values.

export enum TelemetryMetricType {
  OPERATION_COUNT = 'operation_count',
  OPERATION_LATENCY = 'operation_latency',
  SUCCESS_RATE = 'success_rate',
  ERROR_RATE = 'error_rate',
  BACKEND_HEALTH = 'backend_health',
  THROUGHPUT = 'throughput',
  QUEUE_SIZE = 'queue_size',
  RETRY_COUNT = 'retry_count',
}

export enum TelemetryAggregation {
  SUM = 'sum',
  AVERAGE = 'average',
  MINIMUM = 'minimum',
  MAXIMUM = 'maximum',
  PERCENTILE_95 = 'percentile_95',
  PERCENTILE_99 = 'percentile_99',
  COUNT = 'count',
  RATE = 'rate',
}
