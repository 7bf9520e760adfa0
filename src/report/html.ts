/** Markup that is already safe to place in a page: the only values `html` does not escape. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The text with `& < > " '` replaced by entities, safe in element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * Markup from a template: each value is escaped unless it is `Html`; arrays are joined, and
 * `null`, `undefined` and `false` render as nothing (Observable Framework's `html` tag).
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    text += fragment(value) + (strings[i + 1] ?? '');
  });
  return new Html(text);
}

function fragment(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(fragment).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * Trusted markup taken verbatim: only for text this code base produced itself (a stylesheet,
 * vega's SVG output), never for text from a log, a plan or a store.
 */
export function trusted(text: string): Html {
  return new Html(text);
}

/**
 * A `<script type="application/json">` holding `value`. `<` is written as `\u003c` (and the
 * line separators U+2028/U+2029 escaped), so `</script>` or `<!--` in the data stays inert.
 */
export function jsonScript(id: string, value: unknown): Html {
  const json = JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
  return html`<script type="application/json" id="${id}">${trusted(json)}</script>`;
}
