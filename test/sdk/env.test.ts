import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTelemetryEnv } from '../../src/sdk/env.js';

describe('readTelemetryEnv', () => {
  const warnings: string[] = [];
  beforeEach(() => {
    warnings.length = 0;
    const push = (m: string) => warnings.push(m);
    diag.setLogger(
      { warn: push, error: push, info: () => {}, debug: () => {}, verbose: () => {} },
      DiagLogLevel.WARN,
    );
  });
  afterEach(() => diag.disable());

  it('reads the span limits, a span-specific variable over the general one', () => {
    expect(
      readTelemetryEnv({
        OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '100',
        OTEL_ATTRIBUTE_COUNT_LIMIT: '64',
        OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '32',
        OTEL_SPAN_EVENT_COUNT_LIMIT: '10',
        OTEL_SPAN_LINK_COUNT_LIMIT: '5',
        OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: '4',
        OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: '3',
      }).spanLimits,
    ).toEqual({
      attributeValueLengthLimit: 100,
      attributeCountLimit: 32,
      eventCountLimit: 10,
      linkCountLimit: 5,
      attributePerEventCountLimit: 4,
      attributePerLinkCountLimit: 3,
    });
    expect(readTelemetryEnv({ OTEL_SPAN_EVENT_COUNT_LIMIT: 'many' }).spanLimits).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/OTEL_SPAN_EVENT_COUNT_LIMIT/);
  });

  it('reads the standard variables', () => {
    expect(
      readTelemetryEnv({
        OTEL_SERVICE_NAME: 'wal',
        OTEL_RESOURCE_ATTRIBUTES: 'a=1, b=x%2Cy',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_TRACES_EXPORTER: 'Zipkin',
        OTEL_TRACES_SAMPLER: 'parentbased_always_off',
        OTEL_PROPAGATORS: 'tracecontext, b3multi,jaeger',
        OTEL_METRIC_EXPORT_INTERVAL: '5000',
        OTEL_METRICS_EXPORTER: 'None',
        OTEL_LOG_LEVEL: 'warn',
        OTEL_SDK_DISABLED: 'false',
      }),
    ).toEqual({
      serviceName: 'wal',
      resourceAttributes: { a: '1', b: 'x,y' },
      otlpEndpoint: 'http://collector:4318',
      traceExporter: 'zipkin',
      sampler: { ratio: 0, parentBased: true },
      propagators: ['tracecontext', 'b3multi', 'jaeger'],
      metricExportIntervalMs: 5000,
      metricExporter: 'none',
      logLevel: DiagLogLevel.WARN,
      sdkDisabled: false,
    });
    expect(warnings).toEqual([]);
  });

  it('treats blank values as unset, silently', () => {
    expect(
      readTelemetryEnv({ OTEL_SERVICE_NAME: '  ', OTEL_PROPAGATORS: '', OTEL_SDK_DISABLED: '' }),
    ).toEqual({});
    expect(warnings).toEqual([]);
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_TRACES_EXPORTER', 'jaeger'],
    ['OTEL_TRACES_SAMPLER', 'sometimes'],
    ['OTEL_PROPAGATORS', 'tracecontext,xray'],
    ['OTEL_METRIC_EXPORT_INTERVAL', '-5'],
    ['OTEL_METRICS_EXPORTER', 'console'],
    ['OTEL_LOG_LEVEL', 'loud'],
    ['OTEL_RESOURCE_ATTRIBUTES', '=novalue'],
    ['OTEL_RESOURCE_ATTRIBUTES', 'a=1,b=%zz'],
  ])('warns naming %s=%s and falls back', (name, value) => {
    expect(readTelemetryEnv({ [name]: value })).toEqual({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(name);
  });

  it("reads OTEL_SDK_DISABLED as the spec's boolean: only true is true, anything else warns", () => {
    expect(readTelemetryEnv({ OTEL_SDK_DISABLED: 'TRUE' })).toEqual({ sdkDisabled: true });
    expect(warnings).toEqual([]);
    expect(readTelemetryEnv({ OTEL_SDK_DISABLED: 'maybe' })).toEqual({ sdkDisabled: false });
    expect(readTelemetryEnv({ OTEL_SDK_DISABLED: '1' })).toEqual({ sdkDisabled: false });
    expect(warnings).toHaveLength(2);
    for (const warning of warnings) expect(warning).toContain('OTEL_SDK_DISABLED');
  });

  it('applies the resource detector rules: a value over 255 characters drops the whole variable', () => {
    const long = 'x'.repeat(256);
    expect(readTelemetryEnv({ OTEL_RESOURCE_ATTRIBUTES: `a=1,b=${long}` })).toEqual({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('OTEL_RESOURCE_ATTRIBUTES');
    expect(readTelemetryEnv({ OTEL_RESOURCE_ATTRIBUTES: `a=1,b=${'x'.repeat(255)}` })).toEqual({
      resourceAttributes: { a: '1', b: 'x'.repeat(255) },
    });
  });

  it('takes an exporter list of exactly one name', () => {
    expect(readTelemetryEnv({ OTEL_TRACES_EXPORTER: ' otlp , ' })).toEqual({ traceExporter: 'otlp' });
    expect(readTelemetryEnv({ OTEL_TRACES_EXPORTER: 'otlp,console' })).toEqual({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('OTEL_TRACES_EXPORTER');
  });

  it('reads only the source it is given, through the SDK helpers, and leaves process.env as it was', () => {
    const real = process.env;
    process.env.OTEL_SERVICE_NAME = 'from-the-process';
    try {
      expect(readTelemetryEnv({ OTEL_PROPAGATORS: 'b3' })).toEqual({ propagators: ['b3'] });
      expect(process.env).toBe(real);
      expect(readTelemetryEnv().serviceName).toBe('from-the-process');
    } finally {
      delete process.env.OTEL_SERVICE_NAME;
    }
  });

  it('warns once when the same environment is read again, and again once a value changes', () => {
    const source: Record<string, string> = { OTEL_TRACES_EXPORTER: 'jaeger' };
    expect(readTelemetryEnv(source)).toEqual({});
    const first = readTelemetryEnv(source);
    first.traceExporter = 'none';
    expect(readTelemetryEnv(source)).toEqual({});
    expect(warnings).toHaveLength(1);
    source.OTEL_TRACES_EXPORTER = 'xray';
    expect(readTelemetryEnv(source)).toEqual({});
    expect(warnings).toHaveLength(2);
  });

  it('keeps the ratio default when OTEL_TRACES_SAMPLER_ARG is out of range', () => {
    expect(readTelemetryEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' })).toEqual(
      {
        sampler: { ratio: 1, parentBased: false },
      },
    );
    expect(warnings[0]).toContain('OTEL_TRACES_SAMPLER_ARG');
  });
});
