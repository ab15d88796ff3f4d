// Server-side rendering: Vega-Lite → Vega → SVG in memory (no DOM, no canvas), and SVG → PNG with
// resvg. Nothing touches the disk, so no temp files can be left behind.
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export const CHART_LIMITS = { minWidth: 200, maxWidth: 2000, minHeight: 150, maxHeight: 1500 } as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
