// The app with no collector at all: test/fixtures/walWorkload.mjs (the built package, as a user
// imports it) runs a steady WAL workload for 5 minutes with OTLP export aimed at a closed port.
// Asserted: it never throws and exits cleanly; its heap after GC and its RSS stay flat once warm;
// every span is accounted for (accepted for export or dropped, none exported) and the counts are
// visible on its Prometheus endpoint as otel.sdk.* metrics; the log holds a few rate-limited lines
// for the whole run, not one per operation or per batch. The latency side is a benchmark
// (bench/noCollector.ts). NO_COLLECTOR_SECONDS shortens the run for a local try.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportStats } from '../../src/sdk/exportAccounting.js';
import { REPO } from '../helpers/tools.js';
import { freePort } from '../stack/harness.js';

const SECONDS = Number(process.env.NO_COLLECTOR_SECONDS ?? 300);
const REPORT_SECONDS = 10;
const WARM_SECONDS = 60;

interface Report {
  t: number;
  ops: number;
  heapUsed: number;
  rss: number;
  exportStats: ExportStats;
  prometheusUrl?: string;
}

interface Done {
  done: true;
  ops: number;
  exportStats: ExportStats;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

beforeAll(() => {
  // The fixture imports dist/: build it from the sources under test.
  execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
}, 120_000);

describe(`no collector: ${SECONDS} s of WAL load with OTLP export to a closed port`, () => {
  it(
    'stays flat in memory, counts every span it could not deliver, shows the counts, logs only a few lines',
    async () => {
      const port = await freePort(); // nothing listens there
      const child = spawn(
        process.execPath,
        [
          '--expose-gc',
          join(REPO, 'test/fixtures/walWorkload.mjs'),
          'telemetry',
          String(SECONDS),
          '2',
          String(REPORT_SECONDS),
          `http://127.0.0.1:${port}`,
          '1',
        ],
        { env: { ...process.env, WAL_WORKLOAD_PROMETHEUS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const stderr: string[] = [];
      createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
      const reports: Report[] = [];
      let done: Done | undefined;
      let scraped: string | undefined;
      let scrape: Promise<void> | undefined;
      createInterface({ input: child.stdout }).on('line', (line) => {
        const parsed = JSON.parse(line) as Report | Done;
        if ('done' in parsed) {
          done = parsed;
          return;
        }
        reports.push(parsed);
        // Near the end, read what the app shows on its own Prometheus endpoint.
        if (!scrape && parsed.prometheusUrl && parsed.t >= SECONDS - 2 * REPORT_SECONDS)
          scrape = fetch(parsed.prometheusUrl).then(async (response) => {
            scraped = await response.text();
          });
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      await scrape;
      expect(code, stderr.join('\n')).toBe(0);
      expect(done).toBeDefined();
      const final = done as Done;

      // Memory: once warm, the heap after GC and the RSS stay where they were.
      const warm = reports.filter((r) => r.t >= WARM_SECONDS && r.t < WARM_SECONDS + 60);
      const late = reports.filter((r) => r.t >= SECONDS - 60);
      const figures = {
        seconds: SECONDS,
        operations: final.ops,
        heapMiB: {
          warm: mib(median(warm.map((r) => r.heapUsed))),
          late: mib(median(late.map((r) => r.heapUsed))),
        },
        rssMiB: { warm: mib(median(warm.map((r) => r.rss))), late: mib(median(late.map((r) => r.rss))) },
        spans: final.exportStats.spans,
        metricPoints: final.exportStats.metricPoints,
        logLines: stderr.length,
      };
      console.log('no-collector figures', JSON.stringify(figures, null, 2));
      expect(warm.length).toBeGreaterThan(0);
      expect(late.length).toBeGreaterThan(0);
      // A leak of 25 bytes per operation would add more than this over the run.
      expect(figures.heapMiB.late - figures.heapMiB.warm).toBeLessThan(8);
      expect(figures.rssMiB.late - figures.rssMiB.warm).toBeLessThan(32);

      // Every operation's span was accepted for export or dropped; none could be exported.
      const { spans, metricPoints } = final.exportStats;
      expect(spans.accepted + spans.dropped).toBe(final.ops);
      expect(spans.exported).toBe(0);
      expect(spans.failed).toBeGreaterThan(0);
      expect(spans.dropped).toBeGreaterThan(0);
      expect(metricPoints.exported).toBe(0);
      expect(metricPoints.failed).toBeGreaterThan(0);
      expect(final.exportStats.lastError).toMatch(/ECONNREFUSED/);

      // Visible: the app's Prometheus endpoint carries the counts while the collector is down.
      expect(scraped).toMatch(
        /otel_sdk_processor_span_processed_total\{[^}]*error_type="queue_full"[^}]*\} [1-9]/,
      );
      expect(scraped).toMatch(
        /otel_sdk_exporter_span_exported_total\{[^}]*error_type="export_failed"[^}]*\} [1-9]/,
      );

      // Logged: a handful of rate-limited lines (two a minute: the losses and the SDK's latest
      // error), whatever the traffic, and two at shutdown.
      expect(stderr.filter((line) => /TypeError|ReferenceError|Unhandled|uncaught/i.test(line))).toEqual([]);
      expect(stderr.length).toBeLessThanOrEqual(Math.ceil(SECONDS / 60) * 2 + 4);
      expect(stderr.some((line) => line.includes('telemetry not delivered'))).toBe(true);
    },
    (SECONDS + 120) * 1000,
  );
});
