import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml } from './html.js';

const GEOMETRY = /\b(transform|d|x|y|x1|x2|y1|y2|width|height|points)="([^"]*)"/g;
/** Attributes vega writes that say what SVG assumes anyway, or that only matter to an interactive view. */
const DEFAULTS = / (?:opacity="1"|pointer-events="none")(?=[ />])/g;
/**
 * Vega's accessibility markup on every group (class, role, roledescription, labels): the page
 * labels each chart once instead (`role="img"` and the chart's title on the root), and its
 * figcaption and tables say what it shows.
 */
const ANNOTATIONS = / (?:class|role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g;
/** Group backgrounds and foregrounds of zero size, which draw nothing. */
const EMPTY = /<path d="(?:M0,0h0v0h0Z)?"(?: display="none")?\/>/g;

/**
 * Vega's SVG made smaller without changing what it draws: geometry rounded to 1 decimal (a tenth
 * of a pixel; vega writes coordinates like `298.79999999999995`), long line and area paths to
 * whole pixels (an hourly series has an hour per pixel), default-valued and interaction-only
 * attributes, per-group accessibility markup and empty group paths left out; the root gets
 * `role="img"` and `label`. Text is left as vega wrote it.
 */
export function compactSvg(svg: string, label = ''): string {
  return svg
    .replace(GEOMETRY, (_, name: string, value: string) => `${name}="${roundGeometry(name, value)}"`)
    .replace(DEFAULTS, '')
    .replace(ANNOTATIONS, '')
    .replace(EMPTY, '')
    .replace(/<svg /, () => `<svg role="img" aria-label="${escapeHtml(label)}" `);
}

/** Paths longer than this are lines or areas over many points (an hourly series), drawn to whole pixels. */
const LONG_PATH = 400;

function roundGeometry(name: string, value: string): string {
  if (name === 'd' && value.length > LONG_PATH) return value.replace(/-?\d*\.\d+/g, (x) => String(Math.round(Number(x))));
  return value.replace(/(\d*\.\d)\d*/g, '$1').replace(/\.0(?!\d)/g, '');
}

/** The chart as standalone SVG markup: vega-lite compiled to vega, rendered headless in Node (no canvas, no DOM). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG(), typeof spec.title === 'string' ? spec.title : '');
  } finally {
    view.finalize();
  }
}
