// One factory picks the service's MetricsSource, for serve, demo and a mounted service alike:
// PROMETHEUS_URL wins over the config's prometheus_url; with neither, the in-process data.
import { describe, expect, it } from 'vitest';
import { chooseMetricsSource } from '../../src/query/chooseSource.js';
import { PrometheusSource } from '../../src/query/prometheusSource.js';
import { localTelemetry } from '../helpers/localTelemetry.js';

describe('chooseMetricsSource', () => {
  const inProcess = localTelemetry().source;

  it('in-process data when no Prometheus is set (a blank config value is unset)', () => {
    expect(chooseMetricsSource({ inProcess })).toEqual({ source: inProcess, description: 'in-process data' });
    expect(chooseMetricsSource({ inProcess, configPrometheusUrl: '' }).source).toBe(inProcess);
  });

  it('the config prometheus_url, and PROMETHEUS_URL over it', () => {
    const fromConfig = chooseMetricsSource({ inProcess, configPrometheusUrl: 'http://prom-config:9090' });
    expect(fromConfig.source).toBeInstanceOf(PrometheusSource);
    expect(fromConfig.description).toBe('Prometheus at http://prom-config:9090');
    const fromEnv = chooseMetricsSource({
      inProcess,
      envPrometheusUrl: 'http://prom-env:9090',
      configPrometheusUrl: 'http://prom-config:9090',
    });
    expect(fromEnv.description).toBe('Prometheus at http://prom-env:9090');
  });
});
