// A chart's size from `width`, `height` and `dpi`. The legacy API took matplotlib figure sizes in inches
// (its clients send width=12&height=8); this service also took pixels (800, 400). One rule reads
// both: a value may carry its unit (`12in`, `800px`); a bare value below 100 is inches, 100 or more
// is pixels (no chart is 100 inches wide, none is 99 pixels wide). Inches become pixels at `dpi`,
// default 100 as in matplotlib. The image comes out at exactly the pixel size worked out here.

import type { ChartSize } from '../charts/chartSpec.js';
import { CHART_LIMITS } from '../charts/render.js';
import { badParam } from './errors.js';
import { intParam, param } from './params.js';

type Params = Readonly<Record<string, string | undefined>>;

const DEFAULT_DPI = 100;
const INCHES_BELOW = 100;
/** The legacy API's default figure size, inches. */
const DEFAULT_INCHES = { width: 12, height: 8 } as const;

function pixels(
  value: string | undefined,
  name: 'width' | 'height',
  dpi: number,
  limits: { min: number; max: number },
): number {
  const match = value === undefined ? null : /^(\d+(?:\.\d+)?)\s*(in|px)?$/.exec(value);
  if (value !== undefined && !match)
    throw badParam(name, 'must be a number, in inches (12, 12in) or pixels (800, 800px)');
  const amount = match ? Number(match[1]) : DEFAULT_INCHES[name];
  const unit = match?.[2] ?? (amount < INCHES_BELOW ? 'in' : 'px');
  const px = Math.round(unit === 'in' ? amount * dpi : amount);
  if (px < limits.min || px > limits.max) {
    const asked = unit === 'in' ? `${amount} in at ${dpi} dpi is ${px} px` : `${px} px`;
    throw badParam(name, `${asked}; the chart must be ${limits.min}–${limits.max} px`);
  }
  return px;
}

export function chartSizeParams(q: Params): ChartSize {
  const dpi = intParam(param(q, 'dpi'), 'dpi', 36, 600) ?? DEFAULT_DPI;
  return {
    width: pixels(param(q, 'width'), 'width', dpi, {
      min: CHART_LIMITS.minWidth,
      max: CHART_LIMITS.maxWidth,
    }),
    height: pixels(param(q, 'height'), 'height', dpi, {
      min: CHART_LIMITS.minHeight,
      max: CHART_LIMITS.maxHeight,
    }),
  };
}
