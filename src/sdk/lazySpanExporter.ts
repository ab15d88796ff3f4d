// A span exporter whose implementation is imported on first use, so an app that does not choose
// it never loads it (initTelemetry is synchronous, and ESM has no synchronous import). The import
// starts at construction; until it settles, export() waits for it; if it fails, every export
// reports that failure (counted like any failed export) instead of throwing at start-up.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { describeError } from '../util/describeError.js';

export class LazySpanExporter implements SpanExporter {
  private readonly loaded: Promise<SpanExporter>;

  constructor(load: () => Promise<SpanExporter>) {
    this.loaded = load();
    // Failures surface through export(); this keeps an unused failure from being "unhandled".
    this.loaded.catch(() => {});
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.loaded.then(
      (exporter) => exporter.export(spans, resultCallback),
      (error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: new Error(`span exporter could not be loaded: ${describeError(error)}`),
        }),
    );
  }

  async shutdown(): Promise<void> {
    const exporter = await this.loaded.catch(() => undefined);
    await exporter?.shutdown();
  }

  async forceFlush(): Promise<void> {
    const exporter = await this.loaded.catch(() => undefined);
    await exporter?.forceFlush?.();
  }
}
