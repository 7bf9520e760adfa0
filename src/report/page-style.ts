/** The report's stylesheet: system fonts only (no download), laptop-width column, and a print layout. */
export const PAGE_STYLE = `
:root { --red: #c0392b; --amber: #d68910; --green: #1e8449; --ink: #1c2833; --muted: #5d6d7e; --line: #d5d8dc; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
header.report h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
nav.toc ol { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; padding: 0; list-style: none; margin: .5rem 0 1.5rem; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin: 1.5rem 0 .5rem; }
.muted, figcaption, caption { color: var(--muted); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; }
pre { background: #f4f6f7; padding: .75rem; overflow: auto; border-radius: 4px; }
pre.flagd { max-height: 22rem; }
table.decisions td:nth-child(-n+2), table.decisions td:last-child { white-space: nowrap; }
article.stage { print-color-adjust: exact; -webkit-print-color-adjust: exact; border: 1px solid var(--line); border-left: 8px solid var(--muted); border-radius: 4px; padding: .5rem 1rem; margin: .75rem 0; }
article.stage h3 { margin: .25rem 0; display: flex; align-items: center; gap: .5rem; }
.light { print-color-adjust: exact; -webkit-print-color-adjust: exact; display: inline-block; width: 1rem; height: 1rem; border-radius: 50%; background: var(--muted); }
.light-text { font-size: .85rem; font-weight: 600; }
article.stage.light-red { border-left-color: var(--red); } .light-red .light { background: var(--red); } .light-red .light-text { color: var(--red); }
article.stage.light-amber { border-left-color: var(--amber); } .light-amber .light { background: var(--amber); } .light-amber .light-text { color: #9a6206; }
article.stage.light-green { border-left-color: var(--green); } .light-green .light { background: var(--green); } .light-green .light-text { color: var(--green); }
.sentence { font-size: 1.05rem; font-weight: 500; }
.table-wrap { overflow-x: auto; margin: .5rem 0 1.25rem; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
caption { text-align: left; padding: .25rem 0; font-weight: 600; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f4f6f7; position: sticky; top: 0; }
td.num, table.results td:nth-child(n+3), table.stage-plan td:nth-child(n+3) { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.results td:nth-child(9) { text-align: left; }
tr.v-regression td { background: #fdedec; } tr.v-regression td:nth-child(2) { color: var(--red); font-weight: 600; }
tr.v-inconclusive td:nth-child(2) { color: #9a6206; }
td.weak { color: var(--red); }
p.caption { font-size: .85rem; font-weight: 600; color: var(--muted); margin: .5rem 0 .25rem; }
.metric-results { margin: .5rem 0 1.5rem; }
.metric-results .table-wrap { margin-bottom: .25rem; }
ol.notes, ul.stage-notes, p.insufficient, ul.cohort-list, ul.undetectable { font-size: .85rem; }
ol.notes { color: var(--muted); margin: .25rem 0; }
p.insufficient { margin: .5rem 0 .15rem; }
ul.cohort-list { margin: 0; padding-left: 1.25rem; }
ul.cohort-list li, ul.undetectable li { margin: .15rem 0; }
th button { font: inherit; font-weight: 600; border: 0; background: none; cursor: pointer; padding: 0; color: inherit; }
figure.chart { margin: 1.5rem 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav.toc, th button::after { display: none; }
  th { position: static; }
  h2 { break-after: avoid; }
  figure.chart, article.stage, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  tr.v-regression td { background: none; }
  .table-wrap, figure.chart, pre { overflow: visible; }
  pre.flagd { max-height: none; white-space: pre-wrap; }
  a { color: inherit; text-decoration: none; }
}
`;
