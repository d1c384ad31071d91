/**
 * The page's HTML and CSS, served as they are (no template engine, nothing from a CDN). The script
 * is src/inspector/page/app.ts, compiled by the project's own tsc into dist/inspector/page/app.js.
 */

export const PAGE_HTML: string = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kafkalab inspector</title>
<link rel="stylesheet" href="/style.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<header>
  <h1>kafkalab inspector</h1>
  <span id="source"></span>
  <span id="status" class="status">connecting…</span>
  <label>API <select id="filter-api"><option value="">all</option></select></label>
  <label>client <select id="filter-client"><option value="">all</option></select></label>
  <label>connection <select id="filter-connection"><option value="">all</option></select></label>
  <label><input type="checkbox" id="filter-errors"> errors only</label>
  <label><input type="checkbox" id="show-timeline"> timeline</label>
  <label id="state-toggle" hidden><input type="checkbox" id="show-state"> broker state</label>
  <button id="pause" type="button">Pause</button>
  <span id="counts"></span>
</header>
<div id="older" hidden></div>
<section id="list">
  <table id="exchanges">
    <thead><tr><th>#</th><th>time</th><th>conn</th><th>client</th><th>API</th><th>v</th><th>corr</th><th>request</th><th>response</th><th>latency</th><th>errors</th></tr></thead>
    <tbody><tr class="pad"><td colspan="11" id="pad-above"></td></tr><tr class="pad"><td colspan="11" id="pad-below"></td></tr></tbody>
  </table>
</section>
<section id="state" hidden>
  <h2>Topics and partitions</h2><div id="state-topics"></div>
  <h2>Groups</h2><div id="state-groups"></div>
  <h2>Transactions</h2><div id="state-transactions"></div>
</section>
<section id="timeline" hidden>
  <div class="tl-bar">per connection, request → response; window <select id="tl-span"><option value="1000">1 s</option><option value="10000" selected>10 s</option><option value="60000">1 min</option><option value="0">everything kept</option></select> <span id="tl-note"></span></div>
  <canvas id="tl-canvas"></canvas>
</section>
<section id="detail" hidden>
  <nav id="frames"><button type="button" data-frame="request">Request</button><button type="button" data-frame="response">Response</button><span id="frame-title"></span> <span id="export" title="export this exchange"></span></nav>
  <div id="frame-error" hidden></div>
  <div id="panes">
    <div id="tree" tabindex="0"></div>
    <div id="hex" tabindex="0"></div>
  </div>
  <div id="field"></div>
  <div id="records-bar" hidden>record keys and values as <label><input type="radio" name="values-as" value="text" checked> text</label> <label><input type="radio" name="values-as" value="hex"> hex</label></div>
  <div id="records"></div>
  <details id="tutorial" hidden><summary>Tutorial: <span id="tutorial-title"></span></summary><label>language <select id="tutorial-lang"><option value="en">English</option><option value="ko">한국어</option></select></label><pre id="tutorial-text"></pre></details>
  <details id="json-box"><summary>Kafka JSON form</summary><pre id="json"></pre></details>
</section>
</body>
</html>
`;

export const PAGE_CSS: string = `
:root { --bg:#fff; --fg:#1d2330; --muted:#6b7385; --line:#dde1e8; --sel:#fff2a8; --hl:#ffd54a; --err:#b3261e; --hover:#eef3ff; }
* { box-sizing: border-box; }
body { margin:0; font:13px/1.4 system-ui, sans-serif; color:var(--fg); background:var(--bg); display:flex; flex-direction:column; height:100vh; }
header { display:flex; flex-wrap:wrap; gap:10px; align-items:center; padding:6px 10px; border-bottom:1px solid var(--line); background:#f6f7f9; }
h1 { font-size:15px; margin:0 8px 0 0; }
.status { padding:1px 6px; border-radius:8px; background:#e3e7ee; }
.status.live { background:#d6f5dd; } .status.paused { background:#ffe7b3; }
#counts { color:var(--muted); margin-left:auto; }
#list { flex:0 0 38vh; overflow:auto; border-bottom:1px solid var(--line); }
table { border-collapse:collapse; width:100%; font-variant-numeric:tabular-nums; }
th, td { text-align:left; padding:2px 8px; white-space:nowrap; border-bottom:1px solid #f0f1f4; }
#older { padding:2px 10px; background:#fff4e0; color:#7a4b00; border-bottom:1px solid var(--line); }
/* The list is virtual: every row is 20px (ROW_HEIGHT in app.ts), columns fixed so rows never reflow. */
#exchanges { table-layout:fixed; }
#exchanges tbody tr:not(.pad) td { height:20px; max-height:20px; padding:0 8px; line-height:19px; overflow:hidden; text-overflow:ellipsis; }
#exchanges tr.pad td { padding:0; border:0; height:0; }
#exchanges th:nth-child(1) { width:6em; } #exchanges th:nth-child(2) { width:7em; } #exchanges th:nth-child(3) { width:4.5em; }
#exchanges th:nth-child(4) { width:12em; } #exchanges th:nth-child(5) { width:13em; } #exchanges th:nth-child(6) { width:3em; }
#exchanges th:nth-child(7) { width:5.5em; } #exchanges th:nth-child(8), #exchanges th:nth-child(9) { width:6.5em; }
#exchanges th:nth-child(10) { width:7.5em; }
th { position:sticky; top:0; background:#fafbfc; font-weight:600; }
tbody tr:not(.pad) { cursor:pointer; } tbody tr:not(.pad):hover { background:var(--hover); }
tbody tr.selected { background:var(--sel); }
td.err { color:var(--err); }
#timeline { flex:0 0 auto; max-height:34vh; overflow:auto; border-bottom:1px solid var(--line); padding:2px 10px 4px; }
#state { flex:0 0 auto; max-height:40vh; overflow:auto; border-bottom:1px solid var(--line); padding:2px 10px 6px; }
#state h2 { font-size:13px; margin:6px 0 2px; } #state p { margin:0; color:var(--muted); }
.tl-bar { color:var(--muted); padding:2px 0; } #tl-canvas { display:block; cursor:pointer; }
#detail { flex:1; display:flex; flex-direction:column; min-height:0; padding:6px 10px; gap:6px; overflow:auto; }
#frames button { margin-right:4px; } #frames button.on { font-weight:700; }
#frame-title { margin-left:8px; color:var(--muted); } #export a { margin-left:6px; }
#frame-error { color:var(--err); font-family:ui-monospace, monospace; }
#panes { display:flex; gap:10px; min-height:260px; flex:1; }
#tree, #hex { overflow:auto; border:1px solid var(--line); padding:4px; font:12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
#tree { flex:1 1 50%; } #hex { flex:0 0 auto; white-space:pre; }
.node { white-space:nowrap; cursor:pointer; padding:0 2px; }
.node:hover { background:var(--hover); }
.node.selected { background:var(--sel); outline:1px solid var(--hl); }
.node .wt { color:var(--muted); } .node .val { color:#0b5394; } .node .note { color:#7a5b00; }
.node .tw { display:inline-block; width:1em; color:var(--muted); }
.children.closed { display:none; }
.row .off { color:var(--muted); } .row .asc { color:var(--muted); }
.b { cursor:pointer; } .b:hover { background:var(--hover); }
.b.hl { background:var(--hl); } .b.stop { background:var(--err); color:#fff; }
#field { font-family:ui-monospace, monospace; color:var(--muted); min-height:1.4em; }
#records table { margin-top:4px; }
#records tr.batch td { background:#f3f5f8; font-family:system-ui, sans-serif; }
#records tr.batch.compressed td { background:#eef6ff; } #records tr.batch.control td { background:#f6efff; }
.badge { font-family:system-ui, sans-serif; font-size:11px; padding:0 5px; border-radius:7px; background:#e6ecf7; color:#27406b; } #records td { font-family:ui-monospace, monospace; }
#tutorial pre { white-space:pre-wrap; font:12px/1.5 ui-monospace, monospace; background:#fafbfc; padding:6px; }
pre { margin:0; max-height:40vh; overflow:auto; font-size:12px; }
`;
