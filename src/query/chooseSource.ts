// The one place that decides where the service's numbers come from: a Prometheus when one is
// configured (the PROMETHEUS_URL variable wins over the config's `prometheus_url`), otherwise the
// in-process data of the service's own SDK. `serve`, `demo` and a mounted service all ask here.
import { PrometheusSource } from './prometheusSource.js';
import type { MetricsSource } from './types.js';

export interface SourceChoice {
  source: MetricsSource;
  /** Said to the user at start-up: "Prometheus at http://…" or "in-process data". */
  description: string;
}

export function chooseMetricsSource(options: {
  inProcess: MetricsSource;
  /** PROMETHEUS_URL, already validated as a URL. */
  envPrometheusUrl?: string | undefined;
  /** The config's `prometheus_url` ('' = unset). */
  configPrometheusUrl?: string | undefined;
}): SourceChoice {
  const url = options.envPrometheusUrl ?? (options.configPrometheusUrl || undefined);
  if (url === undefined) return { source: options.inProcess, description: 'in-process data' };
  return { source: new PrometheusSource({ url }), description: `Prometheus at ${url}` };
}
