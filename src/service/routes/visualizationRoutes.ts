// GET visualization/{metric_type}: one chart, rendered server-side to SVG or PNG.
import { Hono } from 'hono';
import { chartData, chartStep, fittedRange } from '../../charts/chartData.js';
import { chartSpec } from '../../charts/chartSpec.js';
import { type AppEnv, rawOperation } from '../http.js';
import { durationParam, filterParams, metricTypeParam, oneOfParam, param, rangeParams } from '../params.js';
import { chartSizeParams } from '../sizeParams.js';
import { DEFAULT_RANGE_MS, type RouteDeps } from './deps.js';

export function visualizationRoutes({
  source,
  now,
  minStepMs,
  renderer,
  visualizations,
}: RouteDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get(
    '/visualization/:metric_type',
    rawOperation('get_visualization', async (c) => {
      const q = c.req.query();
      const metricType = metricTypeParam(c.req.param('metric_type'));
      const size = chartSizeParams(q);
      const format = oneOfParam(param(q, 'format'), 'format', ['png', 'svg'] as const) ?? 'png';
      const filter = filterParams(q);
      const range =
        param(q, 'start_time') === undefined
          ? await fittedRange(source, metricType, filter, rangeParams(q, now(), 0).end, DEFAULT_RANGE_MS)
          : rangeParams(q, now(), DEFAULT_RANGE_MS);
      const asked = durationParam(param(q, 'step'), 'step');
      const stepMs = asked === undefined ? chartStep(range, minStepMs()) : Math.max(asked, minStepMs());
      // The slot covers the gathering too: with 2,000 backends that is most of the work.
      const chart = await visualizations.run(async () => {
        const data = await chartData(source, { metricType, filter, range, stepMs });
        return renderer.render(chartSpec(data, size), { png: format === 'png' });
      });
      const headers = {
        'content-disposition': `inline; filename="${metricType}.${format}"`,
        'x-content-type-options': 'nosniff',
      };
      if (format === 'svg' || !chart.png)
        return c.body(chart.svg, 200, { ...headers, 'content-type': 'image/svg+xml' });
      return c.body(chart.png, 200, { ...headers, 'content-type': 'image/png' });
    }),
  );

  return routes;
}
