// The HTML report's stylesheet: light and dark through prefers-color-scheme,
// and a print stylesheet (the app's PDF is Chromium's printToPDF of this page).

export const REPORT_CSS = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d2125; --muted: #5f6b76; --line: #d5dbe1;
  --head: #f1f4f7; --pass: #1f7a37; --fail: #c92a2a; --diff: #fff3bf; --code: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16191d; --fg: #e3e7eb; --muted: #9aa5b1; --line: #343a40; --head: #22272d;
    --pass: #51cf66; --fail: #ff6b6b; --diff: #4a3f12; --code: #1e2227; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p { margin: 6px 0; }
.meta, .note { color: var(--muted); }
code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
nav ul { list-style: none; padding: 0; margin: 12px 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
a { color: inherit; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
td code { overflow-wrap: anywhere; }
th { background: var(--head); font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
tr.differs td { background: var(--diff); }
.mark { font-weight: 700; }
.pass { color: var(--pass); font-weight: 600; }
.fail { color: var(--fail); font-weight: 600; }
.na { color: var(--muted); }
.small { font-size: 12px; color: var(--muted); }
.badges span { display: inline-block; margin: 2px 8px 2px 0; padding: 1px 8px; border: 1px solid currentColor; border-radius: 10px; }
.omitted td { text-align: center; color: var(--muted); font-style: italic; }
figure { margin: 12px 0; }
svg { max-width: 100%; height: auto; display: block; }
svg.swatch { display: inline-block; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0; font-size: 12px; }
.swatch { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; }
.maps figure { display: inline-block; margin: 8px 16px 8px 0; vertical-align: top; }
figcaption { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
pre.source { background: var(--code); border: 1px solid var(--line); padding: 8px 0; overflow-x: auto; }
pre.source .line { display: block; padding: 0 12px 0 0; }
pre.source .line.flag { background: var(--diff); }
pre.source .ln { display: inline-block; width: 4em; padding-right: 12px; text-align: right; color: var(--muted); user-select: none; }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --line: #999999; --head: #eeeeee;
    --pass: #1f7a37; --fail: #b00000; --diff: #fff0a8; --code: #ffffff; color-scheme: light; }
  @page { margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  tr, figure, svg { break-inside: avoid; }
  thead { display: table-header-group; }
  pre.source { white-space: pre-wrap; overflow: visible; }
  a { text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
