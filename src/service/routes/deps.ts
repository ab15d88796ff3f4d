// What the route modules are given: the service's stores and source, and its clock.

import type { ChartRenderer } from '../../charts/renderPool.js';
import type { ConfigStore } from '../../config/configStore.js';
import type { ServiceConfig } from '../../config/fields.js';
import type { MetricsSource } from '../../query/types.js';
import type { ReportStore } from '../../report/reportStore.js';
import type { ConcurrencyLimit } from '../concurrencyLimit.js';

export interface RouteDeps {
  source: MetricsSource;
  config: ConfigStore;
  reports: ReportStore;
  /** Renders charts off the event loop (charts/renderPool.ts). */
  renderer: ChartRenderer;
  /** Charts rendered at once for GET visualization (max_concurrent_visualizations). */
  visualizations: ConcurrencyLimit;
  now: () => number;
  /** Finest useful series step in ms (the source's snapshot interval). */
  minStepMs: () => number;
  /** How long a realtime or metrics answer may be served again to the same URL, ms (0: never). */
  answerReuseMs: number;
  /** Whether the app checks an API key: without one, protect_reads cannot be turned on. */
  hasApiKey: boolean;
  /** Applies the live fields of a config the API just stored. */
  applyConfig: (config: ServiceConfig) => void;
}

/** Default span of a range with no start_time: one hour. */
export const DEFAULT_RANGE_MS = 3_600_000;
