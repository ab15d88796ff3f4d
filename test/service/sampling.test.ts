// Sampling has one story: recording off samples nothing; a ratio the config sets (file, variable
// or API) applies; otherwise the SDK's own choice stands, so OTEL_TRACES_SAMPLER is not overridden
// by a config default. Checked through startService as `serve` wires it, on a free port.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_BASE } from '../../src/api/types.js';
import { ConfigStore } from '../../src/config/configStore.js';
import { initTelemetry, type TelemetryHandle } from '../../src/sdk/initTelemetry.js';
import { type RunningService, startService, telemetryOptionsFrom } from '../../src/service/server.js';

const SAMPLER_ENV = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' };
let running: { service: RunningService; telemetry: TelemetryHandle } | undefined;

async function serve(fileContent?: object) {
  const dir = mkdtempSync(join(tmpdir(), 'wal-sampling-'));
  if (fileContent) writeFileSync(join(dir, 'config.json'), JSON.stringify(fileContent));
  const config = new ConfigStore(join(dir, 'config.json'));
  const telemetry = initTelemetry({
    ...telemetryOptionsFrom(config.get(), 'sampling-test', config.isSet('sampling_ratio')),
    traceExporter: 'none',
    metricExporter: 'none',
    prometheus: false,
    env: SAMPLER_ENV,
  });
  const service = await startService({ telemetry, config, dataDir: dir, port: 0 });
  running = { service, telemetry };
  const post = (body: object) =>
    fetch(`${service.url}${API_BASE}/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return {
    telemetry,
    post,
    file: () => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as object,
  };
}

afterEach(async () => {
  await running?.service.close();
  await running?.telemetry.shutdown();
  running = undefined;
});

describe('sampling ratio', () => {
  it('a config that sets no ratio leaves OTEL_TRACES_SAMPLER in charge, also across enabled off and on', async () => {
    const { telemetry, post, file } = await serve();
    expect(telemetry.samplingRatio()).toBe(0.25);
    expect((await post({ enabled: false })).status).toBe(200);
    expect(telemetry.samplingRatio()).toBe(0);
    expect((await post({ enabled: true })).status).toBe(200);
    expect(telemetry.samplingRatio()).toBe(0.25);
    // Only what was set is written: the default ratio is not pinned in the file.
    expect(file()).toEqual({ enabled: true });
  });

  it('a ratio set over the API, or in the file, wins over the environment', async () => {
    const first = await serve();
    expect((await first.post({ sampling_ratio: 0.5 })).status).toBe(200);
    expect(first.telemetry.samplingRatio()).toBe(0.5);
    await running?.service.close();
    await running?.telemetry.shutdown();
    running = undefined;
    const second = await serve({ sampling_ratio: 0.75 });
    expect(second.telemetry.samplingRatio()).toBe(0.75);
  });
});
