// In-process MetricsSource scaling: how realtime() and query() time and the heap grow with the
// number of series and with the number of recorded operations. A source keeps per-interval
// aggregates, not operations, so time should follow series and memory should stay flat as
// operations grow. Needs --expose-gc (npm run bench passes it) for the heap figures.
import { trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { median } from './harness.js';
import { InProcessSource, instrumentNames, PullMetricReader, WalRecorder } from './kit.js';

const SNAPSHOTS = 10;
const INTERVAL_SEC = 10;

export interface ScalingRow {
  series: number;
  operations: number;
  realtimeMs: number;
  queryMs: number;
  heapBytes: number;
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

async function timeCalls(call: () => Promise<unknown>, times: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function measure(series: number, operations: number): Promise<ScalingRow> {
  const before = heapUsed();
  const clock = { now: Date.UTC(2026, 0, 1) };
  const reader = new PullMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const recorder = new WalRecorder({
    meter: meterProvider.getMeter('bench'),
    tracer: trace.getTracer('bench'),
  });
  const source = new InProcessSource({
    reader,
    names: instrumentNames(),
    now: () => clock.now,
    aggregationIntervalSec: INTERVAL_SEC,
    maxHistoryEntries: SNAPSHOTS * 2,
    realtimeWindowSec: SNAPSHOTS * INTERVAL_SEC,
  });
  const backends = Array.from({ length: series }, (_, i) => `backend-${i}`);
  const perSnapshot = operations / SNAPSHOTS;
  for (let snapshot = 0; snapshot < SNAPSHOTS; snapshot++) {
    for (let i = 0; i < perSnapshot; i++)
      recorder.recordOperation({
        type: 'add',
        backend: backends[(snapshot * perSnapshot + i) % series] as string,
        durationSec: (i % 100) / 1000,
      });
    clock.now += INTERVAL_SEC * 1000;
    await source.snapshotNow();
  }
  const heapBytes = heapUsed() - before;
  const range = { start: clock.now - SNAPSHOTS * INTERVAL_SEC * 1000, end: clock.now };
  const realtimeMs = await timeCalls(() => source.realtime(), 7);
  const queryMs = await timeCalls(
    () => source.query({ metricType: 'operation_latency', aggregation: 'percentile_95', filter: {}, range }),
    7,
  );
  await source.shutdown();
  await meterProvider.shutdown();
  return { series, operations, realtimeMs, queryMs, heapBytes };
}

export async function sourceScaling(options: {
  series: number[];
  operations: number[];
}): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  for (const series of options.series)
    for (const operations of options.operations) rows.push(await measure(series, operations));
  return rows;
}

export function formatScaling(rows: ScalingRow[]): string {
  const fewestOps = Math.min(...rows.map((r) => r.operations));
  const fewestSeries = Math.min(...rows.map((r) => r.series));
  const base = (r: ScalingRow) =>
    rows.find((b) => b.series === r.series && b.operations === fewestOps) as ScalingRow;
  const first = (r: ScalingRow) =>
    rows.find((b) => b.series === fewestSeries && b.operations === r.operations) as ScalingRow;
  return [
    `### In-process MetricsSource: ${SNAPSHOTS} snapshots, series × recorded operations`,
    '',
    `Ratios: "vs fewest ops" divides by the same series count at ${fewestOps} operations (flat = 1.0 means cost does not follow operations); "vs ${fewestSeries} series" divides by ${fewestSeries} series at the same operations.`,
    '',
    '| series | operations | realtime() ms | query() ms | realtime vs fewest ops | query vs fewest ops | realtime vs fewest series | heap MB | heap bytes per series |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.series} | ${r.operations.toLocaleString('en-US')} | ${r.realtimeMs.toFixed(2)} | ${r.queryMs.toFixed(2)} | ${(r.realtimeMs / base(r).realtimeMs).toFixed(2)}× | ${(r.queryMs / base(r).queryMs).toFixed(2)}× | ${(r.realtimeMs / first(r).realtimeMs).toFixed(1)}× | ${(r.heapBytes / 2 ** 20).toFixed(1)} | ${Math.round(r.heapBytes / r.series).toLocaleString('en-US')} |`,
    ),
    '',
  ].join('\n');
}
