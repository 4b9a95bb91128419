// The page's style sheet and script, inline so the page needs nothing else. Neither holds '<'
// or '&' (Markup::constant refuses them): the page then parses as XML too, without CDATA.

#include "grader/summary/page.hpp"

namespace grader::summary {

std::string_view page_style() {
    return R"css(
:root { --ink: #1a1a1a; --muted: #5a5a5a; --rule: #d0d0d0; --soft: #f3f5f7; --blue: #0072B2;
        --vermillion: #D55E00; --green: #009E73; --orange: #E69F00; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 20px 28px 48px; }
header.page { border-bottom: 3px solid var(--blue); padding-bottom: 10px; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 34px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 18px 0 6px; }
p, li { max-width: 80ch; }
.meta, .note { color: var(--muted); font-size: 13px; }
nav ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
nav a, a { color: var(--blue); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px;
         margin: 12px 0 6px; padding: 0; }
.tiles div { background: var(--soft); border-radius: 6px; padding: 8px 12px; margin: 0; }
.tiles dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.tiles dd { margin: 0; font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tiles dd small { font-size: 13px; font-weight: 400; color: var(--muted); }
.tiles .warn dd { color: var(--vermillion); }
figure { margin: 10px 0 4px; break-inside: avoid; }
figcaption { font-size: 13px; color: var(--muted); }
svg.chart { width: 100%; height: auto; display: block; }
svg text { font-family: inherit; fill: var(--ink); }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .tick.strong { fill: var(--ink); font-weight: 600; }
svg .count { font-size: 12px; font-weight: 600; }
svg .label { font-size: 12px; }
svg .grid { stroke: #e4e4e4; stroke-width: 1; }
svg .axis { stroke: #888; stroke-width: 1; }
svg.mix { vertical-align: middle; border: 1px solid #999; background: #fff; min-width: 140px; }
td.case, td.who, td code { white-space: nowrap; }
details { margin: 6px 0; }
summary { cursor: pointer; color: var(--blue); font-size: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0 10px;
        font-variant-numeric: tabular-nums; }
caption { text-align: left; font-size: 13px; color: var(--muted); padding: 2px 0 6px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid #aaa; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:hover { background: #fafbfc; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0;
            padding: 0; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " \25B2"; }
th[aria-sort="descending"] button::after { content: " \25BC"; }
code, .value { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px;
               overflow-wrap: anywhere; }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 9px;
       border: 1px solid #999; color: var(--muted); white-space: nowrap; }
.tag.hidden { border-color: var(--blue); color: var(--blue); }
.tag.flag { border-color: var(--vermillion); color: var(--vermillion); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; margin: 4px 0 8px;
          padding: 0; list-style: none; }
.legend span.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #777;
                      vertical-align: -2px; margin-right: 4px; }
.answers { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 12px;
           padding: 0; list-style: none; }
.answers li { border: 1px solid var(--rule); border-left: 5px solid var(--vermillion);
              border-radius: 4px; padding: 8px 12px; break-inside: avoid; max-width: none; }
.answers .size { font-size: 18px; font-weight: 600; }
.answers dl { margin: 6px 0 0; display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px;
              font-size: 13px; }
.answers dt { color: var(--muted); }
.answers dd { margin: 0; }
.shared { border: 1px solid var(--rule); border-left: 5px solid var(--orange); border-radius: 4px;
          padding: 6px 14px; margin: 12px 0; break-inside: avoid; }
.caveat { background: #fff8e6; border: 1px solid var(--orange); border-radius: 4px; padding: 8px 12px; }
footer { margin-top: 40px; border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  @page { size: A4; margin: 12mm 10mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav, th button::after { display: none; }
  h2 { break-after: avoid; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, figure, .answers li, .shared { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  details > summary { display: none; }
  tbody tr:hover { background: none; }
}
)css";
}

std::string_view page_script() {
    return R"js(
(function () {
  function key(cell) {
    var v = cell.getAttribute('data-sort');
    return v === null ? cell.textContent.trim().toLowerCase() : parseFloat(v);
  }
  function compare(a, b) {
    if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
    return a > b ? 1 : (b > a ? -1 : 0);
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      button.title = 'Sort by ' + th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(key(r1.cells[column]), key(r2.cells[column]));
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
)js";
}

}  // namespace grader::summary
