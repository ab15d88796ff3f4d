// GET metrics, realtime and series: the MetricsSource's answers in the API's shapes.
import { Hono } from 'hono';
import { apiFilters, apiRange, apiRealtime, epochSeconds } from '../../api/serialize.js';
import type { MetricsResponse, RealtimeResponse, SeriesResponse } from '../../api/types.js';
import { defaultSeriesAggregation } from '../../query/evaluate.js';
import { METRIC_TYPES, type MetricType } from '../../wal/contract.js';
import { badParam } from '../errors.js';
import { type AppEnv, jsonOperation, reusedJsonOperation } from '../http.js';
import {
  aggregationParam,
  durationParam,
  filterParams,
  givenRangeParams,
  INTERVAL_MS,
  intervalParam,
  metricTypeParam,
  param,
  rangeParams,
  statusGiven,
} from '../params.js';
import type { RouteDeps } from './deps.js';

const DEFAULT_SERIES_POINTS = 60;
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
      const range = givenRangeParams(q, now());
      const results = await Promise.all(
        types.map((metricType) =>
          source.query({
            metricType,
            filter,
            range,
            aggregation: aggregation ?? defaultSeriesAggregation(metricType),
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
      // A step finer than the snapshot interval would put a whole snapshot into one "per second"
      // point and leave the others empty: it is raised to the interval, and the answer says so.
      const stepMs = Math.max(askedMs ?? Math.max(minStepMs(), 60_000), minStepMs());
      const points =
        intervalRaw !== undefined && INTERVAL_MS[intervalRaw]
          ? (INTERVAL_POINTS[intervalRaw] ?? 24)
          : DEFAULT_SERIES_POINTS;
      const range = rangeParams(q, now(), stepMs * points);
      const filter = filterParams(q);
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
      const shown = { start: shownPoints[0]?.timestamp ?? range.start, end: range.end };
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
