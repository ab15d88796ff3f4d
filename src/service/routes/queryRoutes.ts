// GET metrics, realtime and series: the MetricsSource's answers in the API's shapes.
import { Hono } from 'hono';
import { apiFilters, apiRange, apiRealtime, epochSeconds } from '../../api/serialize.js';
import type { ApiTimeRange, MetricsResponse, RealtimeResponse, SeriesResponse } from '../../api/types.js';
import { chartStep, fittedRange } from '../../charts/chartData.js';
import { defaultSeriesAggregation } from '../../query/evaluate.js';
import type { QueryResult } from '../../query/types.js';
import { METRIC_TYPES, type MetricType } from '../../wal/metricTypes.js';
import { badParam } from '../errors.js';
import { type AppEnv, jsonOperation, reusedJsonOperation } from '../http.js';
import {
  aggregationParam,
  durationParam,
  filterParams,
  givenRangeParams,
  intervalParam,
  metricTypeParam,
  param,
  rangeParams,
  statusGiven,
} from '../params.js';
import { DEFAULT_RANGE_MS, type RouteDeps } from './deps.js';

/** Where the answers' data lies: from the earliest covered start to the latest covered end. */
function coveredRange(results: readonly QueryResult[]): ApiTimeRange | null {
  const covered = results.map((r) => r.covered).filter((c) => c !== null);
  if (covered.length === 0) return null;
  return apiRange({
    start: Math.min(...covered.map((c) => c.start)),
    end: Math.max(...covered.map((c) => c.end)),
  });
}

const INTERVAL_POINTS: Readonly<Record<string, number>> = { hour: 24, day: 30, week: 12 };

export function queryRoutes({ source, now, minStepMs, answerReuseMs }: RouteDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get(
    '/metrics',
    reusedJsonOperation<MetricsResponse>('get_metrics', answerReuseMs, async (c) => {
      const q = c.req.query();
      const requested = param(q, 'metric_type');
      const types: readonly MetricType[] =
        requested === undefined ? METRIC_TYPES : [metricTypeParam(requested)];
      const aggregation = aggregationParam(param(q, 'aggregation'));
      const filter = filterParams(q);
      // An open end stays open: each source takes its own "now" (the Prometheus source to the
      // second, so every type of this request, and every request of that second, share a plan).
      const range = givenRangeParams(q, now());
      // The step the range is folded at (README's table); default about 100 steps.
      const stepMs = durationParam(param(q, 'step'), 'step');
      const results = await Promise.all(
        types.map((metricType) =>
          source.query({
            metricType,
            filter,
            range,
            aggregation: aggregation ?? defaultSeriesAggregation(metricType),
            ...(stepMs !== undefined ? { stepMs } : {}),
          }),
        ),
      );
      return {
        metric_type: requested === undefined ? null : (types[0] as MetricType),
        aggregation: aggregation ?? null,
        metrics: Object.fromEntries(
          results.map((r) => [r.metricType, { value: r.value, unit: r.unit, aggregation: r.aggregation }]),
        ),
        filters: apiFilters(filter, statusGiven(q)),
        time_range: apiRange(results[0]?.range ?? { start: now(), end: now() }),
        step_seconds: (results[0]?.stepMs ?? 0) / 1000,
        covered_time_range: coveredRange(results),
      };
    }),
  );

  routes.get(
    '/realtime',
    reusedJsonOperation<RealtimeResponse>('get_realtime_metrics', answerReuseMs, async (c) =>
      apiRealtime(await source.realtime(filterParams(c.req.query()))),
    ),
  );

  routes.get(
    '/series',
    jsonOperation<SeriesResponse>('get_metrics_over_time', async (c) => {
      const q = c.req.query();
      const metricType = metricTypeParam(param(q, 'metric_type'));
      const aggregation = aggregationParam(param(q, 'aggregation'));
      const stepRaw = param(q, 'step');
      const intervalRaw = param(q, 'interval');
      if (stepRaw !== undefined && intervalRaw !== undefined)
        throw badParam('step', 'give step or interval, not both');
      const askedMs = durationParam(stepRaw, 'step') ?? intervalParam(intervalRaw);
      // A step finer than the data's interval would put a whole interval into one "per second"
      // point and leave the others empty: it is raised to the interval, and the answer says so.
      const filter = filterParams(q);
      const range =
        param(q, 'start_time') !== undefined
          ? rangeParams(q, now(), 0)
          : intervalRaw !== undefined && askedMs !== undefined
            ? rangeParams(q, now(), askedMs * (INTERVAL_POINTS[intervalRaw] ?? 24))
            : await fittedRange(source, metricType, filter, rangeParams(q, now(), 0).end, DEFAULT_RANGE_MS);
      // With no step, about 100 points over the range, as Grafana's interval (steps.ts).
      const stepMs = askedMs === undefined ? chartStep(range, minStepMs()) : Math.max(askedMs, minStepMs());
      const series = await source.series({
        metricType,
        filter,
        range,
        stepMs,
        ...(aggregation ? { aggregation } : {}),
      });
      // With no start_time the default range fits the data: buckets from before the first data
      // are left out, so a young process answers with its minutes, not an hour of empty points.
      let shownPoints = series.points;
      if (param(q, 'start_time') === undefined) {
        const first = shownPoints.findIndex((p) => p.value !== null);
        shownPoints = first === -1 ? [] : shownPoints.slice(first);
      }
      // A point stands for the step that ends at its timestamp: the range shown starts a step before.
      const firstShown = shownPoints[0]?.timestamp;
      const shown = {
        start: firstShown === undefined ? range.start : Math.max(range.start, firstShown - stepMs),
        end: range.end,
      };
      return {
        metric_type: metricType,
        aggregation: series.aggregation,
        unit: series.unit,
        step_seconds: stepMs / 1000,
        ...(askedMs !== undefined && askedMs < stepMs
          ? {
              requested_step_seconds: askedMs / 1000,
              note: `step raised from ${askedMs / 1000} s to the ${stepMs / 1000} s snapshot interval, the finest the data holds`,
            }
          : {}),
        filters: apiFilters(filter, statusGiven(q)),
        time_range: apiRange(shown),
        points: shownPoints.map((p) => ({ timestamp: epochSeconds(p.timestamp), value: p.value })),
      };
    }),
  );

  return routes;
}
