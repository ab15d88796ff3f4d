// The part of Prometheus's exposition schema (io.prometheus.client, client_model's
// io/prometheus/client/metrics.proto, proto2) that /metrics writes, as a protobufjs JSON
// descriptor: protobufjs/light reads it without a .proto parser. Field numbers are the schema's;
// a scraper decodes by number, so they must match it exactly.
// Must match: prometheus/client_model metrics.proto (MetricFamily, Metric, Histogram, BucketSpan).
const optional = (type: string, id: number) => ({ type, id });
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });

export const PROMETHEUS_PROTO_SCHEMA = {
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Timestamp: { fields: { seconds: optional('int64', 1), nanos: optional('int32', 2) } },
          },
        },
      },
    },
    io: {
      nested: {
        prometheus: {
          nested: {
            client: {
              nested: {
                LabelPair: { fields: { name: optional('string', 1), value: optional('string', 2) } },
                MetricType: {
                  values: { COUNTER: 0, GAUGE: 1, SUMMARY: 2, UNTYPED: 3, HISTOGRAM: 4, GAUGE_HISTOGRAM: 5 },
                },
                Gauge: { fields: { value: optional('double', 1) } },
                Counter: {
                  fields: {
                    value: optional('double', 1),
                    createdTimestamp: optional('google.protobuf.Timestamp', 3),
                  },
                },
                Bucket: {
                  fields: { cumulativeCount: optional('uint64', 1), upperBound: optional('double', 2) },
                },
                BucketSpan: { fields: { offset: optional('sint32', 1), length: optional('uint32', 2) } },
                Histogram: {
                  fields: {
                    sampleCount: optional('uint64', 1),
                    sampleSum: optional('double', 2),
                    bucket: repeated('Bucket', 3),
                    sampleCountFloat: optional('double', 4),
                    schema: optional('sint32', 5),
                    zeroThreshold: optional('double', 6),
                    zeroCount: optional('uint64', 7),
                    positiveSpan: repeated('BucketSpan', 12),
                    positiveDelta: repeated('sint64', 13),
                    createdTimestamp: optional('google.protobuf.Timestamp', 15),
                  },
                },
                Metric: {
                  fields: {
                    label: repeated('LabelPair', 1),
                    gauge: optional('Gauge', 2),
                    counter: optional('Counter', 3),
                    histogram: optional('Histogram', 7),
                  },
                },
                MetricFamily: {
                  fields: {
                    name: optional('string', 1),
                    help: optional('string', 2),
                    type: optional('MetricType', 3),
                    metric: repeated('Metric', 4),
                    unit: optional('string', 5),
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
