// One collection as the scraper asked for it: protobuf (the only exposition carrying a native
// histogram), OpenMetrics or the text format, under the Collector's names. Imported by
// prometheusEndpoint.ts on the first scrape only, with the serializer it needs.
import type { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  chooseExposition,
  OPENMETRICS_TYPE,
  PROMETHEUS_TEXT_TYPE,
  toOpenMetrics,
  withPrometheusNames,
  withTextHistograms,
} from './openMetrics.js';
import { PROTOBUF_TYPE, toProtobuf } from './protobufExposition.js';

let serializer: Promise<PrometheusSerializer> | undefined;

export async function expose(
  resourceMetrics: ResourceMetrics,
  accept?: string | null,
): Promise<{ body: string | Uint8Array; contentType: string }> {
  const named = withPrometheusNames(resourceMetrics);
  const exposition = chooseExposition(accept);
  if (exposition === 'protobuf')
    return { body: await toProtobuf(named.resourceMetrics), contentType: PROTOBUF_TYPE };
  serializer ??= import('@opentelemetry/exporter-prometheus').then(
    ({ PrometheusSerializer }) => new PrometheusSerializer(),
  );
  const text = (await serializer).serialize(withTextHistograms(named.resourceMetrics));
  return exposition === 'openmetrics'
    ? { body: toOpenMetrics(text, named.units), contentType: OPENMETRICS_TYPE }
    : { body: text, contentType: PROMETHEUS_TEXT_TYPE };
}
