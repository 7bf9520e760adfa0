import { describe, expect, it } from 'vitest';
import { escapeHtml, html, Html, jsonScript, trusted } from '../../src/report/html.js';

describe('html', () => {
  it('escapes interpolated strings', () => {
    expect(html`<td>${'<img src=x onerror=alert(1)>'}</td>`.text).toBe('<td>&lt;img src=x onerror=alert(1)&gt;</td>');
  });
  it('escapes quotes so a value cannot leave an attribute', () => {
    expect(html`<td title="${'" onmouseover="alert(1)'}">`.text).toBe('<td title="&quot; onmouseover=&quot;alert(1)">');
    expect(escapeHtml("it's & <b>")).toBe('it&#39;s &amp; &lt;b&gt;');
  });
  it('splices Html values verbatim and joins arrays', () => {
    const inner = html`<b>${'a&b'}</b>`;
    expect(inner).toBeInstanceOf(Html);
    expect(html`<p>${inner}${[html`<i>1</i>`, '<2>']}</p>`.text).toBe('<p><b>a&amp;b</b><i>1</i>&lt;2&gt;</p>');
  });
  it('renders null, undefined and false as nothing but keeps 0', () => {
    expect(html`[${null}${undefined}${false}${0}]`.text).toBe('[0]');
  });
  it('escapes an object that only pretends to be Html', () => {
    const fake = { text: '<script>', toString: () => '<script>' };
    expect(html`${fake}`.text).toBe('&lt;script&gt;');
  });
});

describe('jsonScript', () => {
  it('writes < as \\u003c so a closing script tag in data stays inert', () => {
    const out = jsonScript('spec', { name: '</script><script>alert(1)</script>' }).text;
    expect(out).toBe('<script type="application/json" id="spec">{"name":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"}</script>');
    expect(out.match(/<\/script>/g)).toHaveLength(1);
  });
  it('round-trips through JSON.parse', () => {
    const value = { a: '<!-- x -->', b: '\u2028', c: [1.5, null] };
    const body = /<script[^>]*>(.*)<\/script>/s.exec(jsonScript('x', value).text)?.[1] ?? '';
    expect(JSON.parse(body)).toEqual(value);
  });
  it('escapes the id', () => {
    expect(jsonScript('"><b>', 1).text).toContain('id="&quot;&gt;&lt;b&gt;"');
  });
});

describe('trusted', () => {
  it('marks text as markup without changing it', () => {
    expect(html`${trusted('<svg></svg>')}`.text).toBe('<svg></svg>');
  });
});
