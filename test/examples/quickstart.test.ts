import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closedPort } from '../helpers/closedPort.js';
import { loopbackReceiver } from '../helpers/loopbackReceiver.js';

// Runs examples/quickstart.ts as written, against a loopback OTLP/HTTP receiver standing in for
// the collector's address (the real collector is exercised by the stack suite).
describe('examples/quickstart.ts', () => {
  const receiver = loopbackReceiver();
  const { received } = receiver;

  beforeAll(async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = await receiver.listen();
  });
  afterAll(async () => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    await receiver.close();
  });

  it('runs, prints the in-process view, and exports its span and metrics on shutdown', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('../../examples/quickstart.js');
    expect(log).toHaveBeenCalledWith('operations: 3, error rate: 0.3333333333333333');
    log.mockRestore();
    expect(received['/v1/traces']).toContain('wal.operation add');
    expect(received['/v1/traces']).toContain('my-wal');
    expect(received['/v1/metrics']).toContain('wal.operation.duration');
    expect(received['/v1/metrics']).toContain('wal.backend.health');
  });
});

// The quick start as a user runs it with no collector: one warning line naming the endpoint, and
// the process gone within a second of its last line (it used to say nothing and take 10 s).
describe('examples/quickstart.ts with no collector', () => {
  it('prints one warning, counts the span as failed, and exits within 1 s of its last line', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const example = fileURLToPath(new URL('../../examples/quickstart.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', example], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lastLineAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      lastLineAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      lastLineAt = performance.now();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const exitedAfterMs = performance.now() - lastLineAt;
    expect(code).toBe(0);
    expect(stdout).toBe('operations: 3, error rate: 0.3333333333333333\n');
    const warnings = stderr.split('\n').filter((line) => line.trim() !== '');
    expect(warnings).toEqual([expect.stringContaining(`cannot deliver telemetry to ${endpoint}`)]);
    expect(exitedAfterMs).toBeLessThan(1_000);
  }, 30_000);
});
