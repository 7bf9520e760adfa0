import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

const GEOMETRY = /\b(transform|d|x|y|x1|x2|y1|y2|width|height|points)="([^"]*)"/g;

/**
 * Vega's SVG with geometry rounded to 2 decimals (a hundredth of a pixel): vega writes
 * coordinates like `298.79999999999995`, which made charts a third larger. Text and aria
 * labels are left as vega wrote them.
 */
export function compactSvg(svg: string): string {
  return svg.replace(GEOMETRY, (_, name: string, value: string) => `${name}="${value.replace(/(\d*\.\d{2})\d+/g, '$1')}"`);
}

/** The chart as standalone SVG markup: vega-lite compiled to vega, rendered headless in Node (no canvas, no DOM). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}
