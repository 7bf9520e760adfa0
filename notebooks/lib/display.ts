import type { TopLevelSpec } from 'vega-lite';
import { html } from '../../src/report/html.ts';
import { renderSvg } from '../../src/report/render-svg.ts';

/*
 * Output for the notebooks, sent with `Deno.jupyter.display`, one message at a time. With the Deno kernel
 * (2.x), `jupyter nbconvert --execute` on a loaded machine lost outputs: `console.log` and a cell's last value
 * are forwarded asynchronously and can arrive after the kernel has reported the cell done, when nbconvert
 * has stopped listening; and an output sent right after a large one (a 100 kB SVG) went missing too. So
 * cells show what they show through these helpers, which await each send and then pause.
 */

const PAUSE_MS = 100;

async function send(bundle: Record<string, string>): Promise<void> {
  await Deno.jupyter.display(bundle, { raw: true });
  await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
}

/** Shows a vega-lite chart as SVG rendered here (the classic notebook UI has no vega-lite 6 renderer). */
export async function show(spec: TopLevelSpec): Promise<void> {
  await send({ 'text/html': await renderSvg(spec) });
}

/** Shows a line of text. */
export async function say(text: string): Promise<void> {
  await send({ 'text/plain': text, 'text/html': html`<pre>${text}</pre>`.text });
}

/** Shows rows as a table, columns in the first row's key order; numbers right-aligned. */
export async function table(rows: readonly Record<string, unknown>[]): Promise<void> {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (value: unknown) => (typeof value === 'number' ? html`<td style="text-align:right">${value}</td>` : html`<td>${value}</td>`);
  const markup = html`<table><thead><tr>${columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr>${columns.map((c) => cell(row[c]))}</tr>`)}</tbody></table>`;
  const plain = [columns.join('\t'), ...rows.map((row) => columns.map((c) => String(row[c] ?? '')).join('\t'))].join('\n');
  await send({ 'text/plain': plain, 'text/html': markup.text });
}
