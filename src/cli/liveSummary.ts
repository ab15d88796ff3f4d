// The demo's one-line live summary: redrawn in place on a terminal, printed every 10 s otherwise.
import type { DemoWal } from '../demo/demoWal.js';
import type { MetricsSource } from '../query/types.js';

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

export class LiveSummary {
  private timer: NodeJS.Timeout | undefined;
  private readonly tty = process.stdout.isTTY === true;

  constructor(
    private readonly source: MetricsSource,
    private readonly wal: DemoWal,
  ) {}

  start(): this {
    this.timer = setInterval(() => void this.draw(), this.tty ? 1_000 : 10_000);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async draw(): Promise<void> {
    const view = await this.source.realtime();
    const p95 = await this.source.query({
      metricType: 'operation_latency',
      aggregation: 'percentile_95',
      range: { start: Date.now() - view.windowSec * 1000 },
    });
    const queue = this.wal.queueSizes();
    const line =
      `ops ${view.totalOperations} | ${view.throughput.toFixed(1)} ops/s | errors ${percent(view.errorRate)} | ` +
      `p95 ${p95.value === null ? '—' : `${(p95.value * 1000).toFixed(0)} ms`} | queue ${queue.pending + queue.processing + queue.retrying} | retries ${view.retries.total}`;
    if (this.tty) process.stdout.write(`\r\x1b[2K${line}`);
    else console.log(line);
  }
}
