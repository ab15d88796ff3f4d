// WalTelemetryClient: the legacy client's full surface over the service's HTTP API, typed end to end
// with the service's own request/response types. It loads no OpenTelemetry SDK package.
import {
  API_BASE,
  type ConfigResponse,
  type ConfigUpdateResponse,
  type ExtractResponse,
  type InjectRequest,
  type InjectResponse,
  type MetricsResponse,
  type RealtimeResponse,
  type ReportResponse,
  type ReportsResponse,
  type SeriesResponse,
} from '../api/types.js';
import type { ServiceConfig } from '../config/fields.js';
import type { Aggregation, MetricType } from '../wal/metricTypes.js';
import type { TelemetryAggregation, TelemetryMetricType } from './enums.js';
import { readClientEnv } from './env.js';
import { type MonitorOptions, monitor } from './monitor.js';
import { type HttpResponse, Transport } from './transport.js';

export interface ClientOptions {
  /** Default: WAL_TELEMETRY_API_URL, else http://localhost:8000. */
  baseUrl?: string;
  /** Default: WAL_TELEMETRY_API_KEY. Sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** Per-attempt timeout. Default: WAL_TELEMETRY_TIMEOUT (seconds) × 1000, else 30000. */
  timeoutMs?: number;
  /** Verify TLS certificates. Default: WAL_TELEMETRY_VERIFY_SSL, else true. */
  verifySsl?: boolean;
  /** Retries of idempotent requests on network errors and 502/503/504. Default 2. */
  retries?: number;
  /** Connections kept per client. Default 10. */
  poolSize?: number;
}

/** A time as Date, epoch milliseconds, or an ISO 8601 string. */
export type TimeInput = Date | number | string;

export interface Filters {
  operationType?: string;
  backend?: string;
  status?: string;
}

export interface GetMetricsOptions extends Filters {
  metricType?: TelemetryMetricType | MetricType;
  aggregation?: TelemetryAggregation | Aggregation;
  timeRange?: { start?: TimeInput; end?: TimeInput };
}

export interface MetricsOverTimeOptions {
  metricType: TelemetryMetricType | MetricType;
  filters?: Filters;
  startTime?: TimeInput;
  endTime?: TimeInput;
  /** `hour`, `day`, `week`, a number of seconds, or a duration such as `15m`. */
  interval?: 'hour' | 'day' | 'week' | number | string;
  aggregation?: TelemetryAggregation | Aggregation;
}

export interface VisualizationOptions {
  filters?: Filters;
  /** Inches below 100, pixels from 100 (or say so: `'12in'`, `'800px'`). Default 12 in. */
  width?: number | string;
  /** As width. Default 8 in. */
  height?: number | string;
  /** Pixels per inch for sizes in inches. Default 100. */
  dpi?: number;
  format?: 'png' | 'svg';
  startTime?: TimeInput;
  endTime?: TimeInput;
}

function seconds(time: TimeInput | undefined): string | undefined {
  if (time === undefined) return undefined;
  if (typeof time === 'string') return time;
  const ms = time instanceof Date ? time.getTime() : time;
  return String(ms / 1000);
}

function filterQuery(filters: Filters | undefined): Record<string, string | undefined> {
  return { operation_type: filters?.operationType, backend: filters?.backend, status: filters?.status };
}

function json<T>(response: HttpResponse): T {
  return JSON.parse(response.body.toString('utf8')) as T;
}

/**
 * A client of the telemetry service's HTTP API (and of the legacy API's): one keep-alive pool, GETs
 * retried on network errors and 502/503/504. Options default from `WAL_TELEMETRY_API_URL`,
 * `WAL_TELEMETRY_API_KEY` and the other `WAL_TELEMETRY_*` client variables.
 *
 * @example
 * ```ts
 * import { WalTelemetryClient } from 'wal-telemetry/client';
 *
 * const client = new WalTelemetryClient({ baseUrl: 'http://localhost:8000' });
 * const realtime = await client.getRealtimeMetrics();
 * console.log(realtime.total_operations);
 * client.close();
 * ```
 */
export class WalTelemetryClient {
  readonly baseUrl: string;
  private readonly transport: Transport;

  constructor(options: ClientOptions = {}) {
    const env = readClientEnv();
    this.baseUrl = (options.baseUrl ?? env.apiUrl ?? 'http://localhost:8000').replace(/\/+$/, '');
    const apiKey = options.apiKey ?? env.apiKey;
    const timeoutMs = options.timeoutMs ?? (env.timeoutSec !== undefined ? env.timeoutSec * 1000 : 30_000);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new RangeError('timeoutMs must be a positive number');
    const retries = options.retries ?? 2;
    if (!Number.isInteger(retries) || retries < 0)
      throw new RangeError('retries must be a non-negative integer');
    const poolSize = options.poolSize ?? 10;
    if (!Number.isInteger(poolSize) || poolSize < 1)
      throw new RangeError('poolSize must be a positive integer');
    try {
      new URL(this.baseUrl);
    } catch {
      throw new TypeError(`baseUrl must be an absolute URL, got ${JSON.stringify(this.baseUrl)}`);
    }
    this.transport = new Transport({
      baseUrl: this.baseUrl,
      timeoutMs,
      verifySsl: options.verifySsl ?? env.verifySsl ?? true,
      retries,
      poolSize,
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    });
  }

  get timeoutMs(): number {
    return this.transport.options.timeoutMs;
  }

  get verifySsl(): boolean {
    return this.transport.options.verifySsl;
  }

  async getMetrics(options: GetMetricsOptions = {}): Promise<MetricsResponse> {
    return json(
      await this.transport.send('GET', `${API_BASE}/metrics`, {
        query: {
          metric_type: options.metricType,
          aggregation: options.aggregation,
          ...filterQuery(options),
          start_time: seconds(options.timeRange?.start),
          end_time: seconds(options.timeRange?.end),
        },
      }),
    );
  }

  async getRealtimeMetrics(options: { signal?: AbortSignal } = {}): Promise<RealtimeResponse> {
    return json(
      await this.transport.send(
        'GET',
        `${API_BASE}/realtime`,
        options.signal ? { signal: options.signal } : {},
      ),
    );
  }

  async generateReport(
    options: { startTime?: TimeInput; endTime?: TimeInput } = {},
  ): Promise<ReportResponse> {
    const body: Record<string, string> = {};
    const start = seconds(options.startTime);
    const end = seconds(options.endTime);
    if (start !== undefined) body.start_time = start;
    if (end !== undefined) body.end_time = end;
    return json<ReportResponse>(await this.transport.send('POST', `${API_BASE}/report`, { body }));
  }

  /** One page of reports, newest first; pass the answer's `next_cursor` as `cursor` for the next. */
  async listReports(page: { limit?: number; cursor?: string } = {}): Promise<ReportsResponse> {
    return json(
      await this.transport.send('GET', `${API_BASE}/reports`, {
        query: { limit: page.limit, cursor: page.cursor },
      }),
    );
  }

  /** The file's bytes, exactly as served (the CLI's `report` command writes them to disk). */
  async getReportFile(reportId: string, fileName: string): Promise<Buffer> {
    const path = `${API_BASE}/reports/${encodeURIComponent(reportId)}/${fileName.split('/').map(encodeURIComponent).join('/')}`;
    return (await this.transport.send('GET', path)).body;
  }

  async getVisualization(
    metricType: TelemetryMetricType | MetricType,
    options: VisualizationOptions = {},
  ): Promise<Buffer> {
    const format = options.format ?? 'png';
    const { body } = await this.transport.send(
      'GET',
      `${API_BASE}/visualization/${encodeURIComponent(metricType)}`,
      {
        query: {
          ...filterQuery(options.filters),
          width: options.width,
          height: options.height,
          dpi: options.dpi,
          format,
          start_time: seconds(options.startTime),
          end_time: seconds(options.endTime),
        },
      },
    );
    return body;
  }

  async getConfig(): Promise<ConfigResponse> {
    return json(await this.transport.send('GET', `${API_BASE}/config`));
  }

  async updateConfig(partial: Partial<ServiceConfig>): Promise<ConfigUpdateResponse> {
    return json(await this.transport.send('POST', `${API_BASE}/config`, { body: partial }));
  }

  /** The whole series in ONE request to the series endpoint. */
  async getMetricsOverTime(options: MetricsOverTimeOptions): Promise<SeriesResponse> {
    const { interval } = options;
    const named = interval === 'hour' || interval === 'day' || interval === 'week';
    return json(
      await this.transport.send('GET', `${API_BASE}/series`, {
        query: {
          metric_type: options.metricType,
          aggregation: options.aggregation,
          ...filterQuery(options.filters),
          start_time: seconds(options.startTime),
          end_time: seconds(options.endTime),
          ...(named ? { interval } : { step: interval === undefined ? undefined : String(interval) }),
        },
      }),
    );
  }

  async injectContext(request: InjectRequest = {}): Promise<InjectResponse> {
    return json(await this.transport.send('POST', `${API_BASE}/context/inject`, { body: request }));
  }

  async extractContext(headers: Record<string, string>): Promise<ExtractResponse> {
    return json(await this.transport.send('POST', `${API_BASE}/context/extract`, { body: { headers } }));
  }

  /**
   * Realtime samples every `intervalMs` (on a fixed schedule, no drift) until `durationMs` passes
   * or `signal` aborts. As an async iterator, or with a callback (resolves when monitoring ends).
   */
  monitorRealtime(options?: MonitorOptions): AsyncGenerator<RealtimeResponse>;
  monitorRealtime(
    callback: (sample: RealtimeResponse) => void | Promise<void>,
    options?: MonitorOptions,
  ): Promise<void>;
  monitorRealtime(
    first?: MonitorOptions | ((sample: RealtimeResponse) => void | Promise<void>),
    second?: MonitorOptions,
  ): AsyncGenerator<RealtimeResponse> | Promise<void> {
    const fetchSample = (signal: AbortSignal) => this.getRealtimeMetrics({ signal });
    if (typeof first === 'function') {
      return (async () => {
        for await (const sample of monitor(fetchSample, second ?? {})) await first(sample);
      })();
    }
    return monitor(fetchSample, first ?? {});
  }

  /** Closes pooled connections. */
  close(): void {
    this.transport.close();
  }
}
