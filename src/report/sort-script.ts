/**
 * The only script in the page: adds a button to each `th[data-sort]` that sorts its table by the
 * number shown in that column (`−3.1 pp` → −3.1; the units agree within a table; `—` last), then
 * descending, then back to the report's order. Equal values keep the report's order. The page
 * reads fully without it; it loads nothing.
 */
export const SORT_SCRIPT = `
document.querySelectorAll('table.sortable th[data-sort]').forEach(function (th) {
  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = th.textContent + ' \\u21C5';
  th.textContent = '';
  th.appendChild(button);
  var state = 0;
  var column = th.cellIndex;
  var original = Array.prototype.slice.call(th.closest('table').tBodies[0].rows);
  button.addEventListener('click', function () {
    state = (state + 1) % 3;
    var body = th.closest('table').tBodies[0];
    var rows = original.slice();
    var value = function (row) { return parseFloat(row.cells[column].textContent.replace('\\u2212', '-').replace(/[^0-9.+-]/g, '')); };
    if (state !== 0) rows.sort(function (a, b) {
      var x = value(a), y = value(b);
      if (isNaN(x) || isNaN(y)) return isNaN(x) - isNaN(y);
      return state === 1 ? x - y : y - x;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    th.setAttribute('aria-sort', state === 0 ? 'none' : state === 1 ? 'ascending' : 'descending');
  });
});
`;
