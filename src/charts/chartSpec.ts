// One declarative chart (a Vega-Lite spec) per metric type. Specs are plain data: the renderer
// turns them into SVG, and the same spec would render identically in a browser.
import type { TopLevelSpec } from 'vega-lite';
import type { SeriesPoint } from '../query/types.js';
import { type MetricType, metricTypeEntry, UNIT_LABELS } from '../wal/metricTypes.js';

interface ChartSeries {
  /** Legend label, e.g. `average` or `p95`. */
  name: string;
  points: readonly SeriesPoint[];
}

export interface ChartData {
  metricType: MetricType;
  unit: string;
  series: readonly ChartSeries[];
}

export interface ChartSize {
  width: number;
  height: number;
}

function humanUnit(unit: string): string {
  return UNIT_LABELS[unit] ?? unit;
}

/** A time-axis label format that fits the span shown: never bare milliseconds such as ".337". */
function timeFormat(values: ReadonlyArray<{ time: string }>): string {
  // A fold, not Math.max(...times): a spread of a long series overflows the call stack.
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    const time = Date.parse(v.time);
    if (time < first) first = time;
    if (time > last) last = time;
  }
  const span = values.length > 0 ? last - first : 0;
  if (span >= 2 * 86_400_000) return '%b %d %H:%M';
  return span >= 10 * 60_000 ? '%H:%M' : '%H:%M:%S';
}

export function chartTitle(metricType: MetricType): string {
  return metricTypeEntry(metricType).title;
}

export function chartSpec(data: ChartData, size: ChartSize): TopLevelSpec {
  const values = data.series.flatMap((s) =>
    s.points
      .filter((p) => p.value !== null && Number.isFinite(p.value))
      .map((p) => ({ time: new Date(p.timestamp).toISOString(), value: p.value, series: s.name })),
  );
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: chartTitle(data.metricType),
    width: size.width,
    height: size.height,
    // The size asked for is the whole image's, axes, title and legend included (vega-lite's "fit"
    // autosize), so a PNG asked at 800×400 is 800×400 pixels.
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    config: { font: 'DejaVu Sans, Helvetica, Arial, sans-serif', view: { stroke: '#ddd' } },
  } as const;
  if (values.length === 0) {
    return {
      ...base,
      data: { values: [{ text: 'No data in this time range' }] },
      mark: { type: 'text', fontSize: 16, color: '#666' },
      encoding: { text: { field: 'text', type: 'nominal' } },
    };
  }
  const entry = metricTypeEntry(data.metricType);
  const { mark, ratio } = entry;
  // A gauge's ratio is a level (health: 1, 0.5, 0), held until the next reading; others are shares.
  const level = entry.kind === 'gauge';
  const singlePoint = data.series.some((s) => s.points.filter((p) => p.value !== null).length === 1);
  return {
    ...base,
    data: { values },
    mark:
      mark === 'line'
        ? {
            type: 'line',
            point: true,
            interpolate: level ? 'step-after' : 'linear',
          }
        : mark === 'area'
          ? // An area of one point is invisible: a lone point is drawn as a point.
            { type: 'area', line: true, opacity: 0.4, ...(singlePoint ? { point: true } : {}) }
          : { type: 'bar' },
    encoding: {
      x: { field: 'time', type: 'temporal', title: 'time', axis: { format: timeFormat(values) } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: humanUnit(data.unit),
        ...(ratio
          ? {
              scale: { domain: [0, 1] },
              axis: { format: level ? '.1f' : '.0%' },
            }
          : {}),
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        // Room for a folded line's label ("mean of all 2000 backends"), which the default 160 px cut.
        legend: data.series.length > 1 ? { labelLimit: 280 } : null,
        // Past ten lines the default palette repeats its colours; twenty tell them apart.
        ...(data.series.length > 10 ? { scale: { scheme: 'tableau20' } } : {}),
      },
    },
  };
}
