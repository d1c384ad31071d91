/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The inspector page: plain TypeScript and the DOM, compiled by the project's tsc (no framework, no
 * bundler). It draws what the server decoded (src/trace/frame-view.ts — spans from src/protocol) and
 * never decodes a byte itself: the byte → field link uses the byte ranges the server sent.
 *
 * Back-pressure on this side: rows are drawn once per animation frame and only those in sight (the
 * list is virtual: a few dozen rows in the DOM however many are kept), the list keeps the newest
 * MAX_ROWS exchanges (the older ones are counted on an "older dropped" line), and while paused at
 * most MAX_PENDING wait (the rest are dropped and counted).
 */
export {};

interface Summary {
  id: number;
  connection: number;
  remote: string;
  clientId: string | null;
  apiKey: number;
  api: string | null;
  version: number;
  responseVersion?: number;
  correlationId: number;
  receivedAt: number;
  latencyMs: number;
  outcome: string;
  errors: { code: number; name: string }[];
  requestBytes: number;
  responseBytes: number | null;
}

interface FrameNode {
  id: number;
  label: string;
  path: string;
  wireType: string;
  kind: 'value' | 'length' | 'container';
  offset: number;
  length: number;
  value?: string;
  note?: string;
  rule?: string;
  children?: FrameNode[];
}

interface FrameView {
  direction: 'request' | 'response';
  api: string | null;
  version: number;
  hex: string;
  nodes: FrameNode[];
  error?: { message: string; offset: number | null; path: string };
  json: unknown;
}

interface Detail {
  summary: Summary;
  request: FrameView;
  response?: FrameView;
}

/** Exchanges the page keeps (as the server's history does); older ones are dropped and counted. */
const MAX_ROWS = 100_000;
const MAX_PENDING = 5000;
/** Bytes drawn in the hex pane; a larger frame shows its first ones and says so. */
const MAX_HEX_BYTES = 64 * 1024;
/** Every list row is this tall (CSS says the same), so a scroll position names a row by arithmetic. */
const ROW_HEIGHT = 20;
/** Rows drawn above and below the visible ones, so a small scroll shows no gap. */
const OVERSCAN = 10;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * An append-only sequence that forgets from the front in O(1): positions are absolute (they do not
 * move when the front goes), and the array is compacted once half of it is forgotten.
 */
class Trail<T> {
  private items: T[] = [];
  private start = 0;
  private base = 0;
  get first(): number {
    return this.base + this.start;
  }
  get length(): number {
    return this.items.length - this.start;
  }
  /** Absolute position of the next push. */
  get end(): number {
    return this.base + this.items.length;
  }
  push(x: T): void {
    this.items.push(x);
  }
  /** By absolute position. */
  at(position: number): T {
    return this.items[position - this.base];
  }
  /** The k-th kept item. */
  nth(k: number): T {
    return this.items[this.start + k];
  }
  shift(): T {
    const x = this.items[this.start++];
    if (this.start >= 1024 && this.start * 2 >= this.items.length) {
      this.items = this.items.slice(this.start);
      this.base += this.start;
      this.start = 0;
    }
    return x;
  }
  clear(): void {
    this.base = this.end;
    this.items = [];
    this.start = 0;
  }
}

const state = {
  /** Every kept exchange, oldest first. */
  all: new Trail<Summary>(),
  /** Positions (in `all`) of the exchanges the filters let through: what the list scrolls over. */
  view: new Trail<number>(),
  lastId: 0,
  paused: false,
  pending: [] as Summary[],
  droppedByPage: 0,
  droppedByServer: 0,
  /** How many the server keeps (it said so in /api/info). */
  historyLimit: MAX_ROWS,
  selectedId: null as number | null,
  detail: null as Detail | null,
  frame: 'request' as 'request' | 'response',
  drawQueued: false,
  /** Scrolled to the end: new rows keep it there (a reader who scrolled up stays where they are). */
  follow: true,
};

/** The filters' values, read from the controls once per change (not once per exchange). */
const filter = { api: '', client: '', connection: '', errorsOnly: false };

const known = { api: new Set<string>(), client: new Set<string>(), connection: new Set<string>() };

// ── the list ─────────────────────────────────────────────────────────────────────────────────

function accept(s: Summary): void {
  if (s.id <= state.lastId) return;
  if (state.paused) {
    if (state.pending.length >= MAX_PENDING) state.droppedByPage++;
    else state.pending.push(s);
    scheduleDraw();
    return;
  }
  state.lastId = s.id;
  const position = state.all.end;
  state.all.push(s);
  if (matches(s)) state.view.push(position);
  while (state.all.length > MAX_ROWS) {
    const gone = state.all.first;
    state.all.shift();
    if (state.view.length > 0 && state.view.nth(0) === gone) state.view.shift();
  }
  learnFilterValues(s);
  onAccepted(s);
  scheduleDraw();
}

function learnFilterValues(s: Summary): void {
  const api = s.api ?? `apiKey=${s.apiKey}`;
  addOption('filter-api', known.api, api, api);
  // '=' + id: an empty client id is a value of its own, not "all".
  addOption('filter-client', known.client, `=${s.clientId ?? ''}`, s.clientId || '(none)');
  addOption('filter-connection', known.connection, String(s.connection), `#${s.connection}`);
}

function addOption(selectId: string, set: Set<string>, value: string, label: string): void {
  if (set.has(value)) return;
  set.add(value);
  const option = document.createElement('option');
  option.value = value;
  option.textContent = label;
  $<HTMLSelectElement>(selectId).append(option);
}

function readFilters(): void {
  filter.api = $<HTMLSelectElement>('filter-api').value;
  filter.client = $<HTMLSelectElement>('filter-client').value;
  filter.connection = $<HTMLSelectElement>('filter-connection').value;
  filter.errorsOnly = $<HTMLInputElement>('filter-errors').checked;
}

function matches(s: Summary): boolean {
  return (
    (filter.api === '' || (s.api ?? `apiKey=${s.apiKey}`) === filter.api) &&
    (filter.client === '' || `=${s.clientId ?? ''}` === filter.client) &&
    (filter.connection === '' || String(s.connection) === filter.connection) &&
    (!filter.errorsOnly || s.errors.length > 0 || s.outcome !== 'response')
  );
}

/** A filter changed: the view is rebuilt over everything kept (100,000 tests take a few ms). */
function refilter(): void {
  readFilters();
  state.view.clear();
  for (let p = state.all.first; p < state.all.end; p++) if (matches(state.all.at(p))) state.view.push(p);
  state.follow = true;
  scheduleDraw();
}

function scheduleDraw(): void {
  if (state.drawQueued) return;
  state.drawQueued = true;
  requestAnimationFrame(draw);
}

/** The rows drawn now, reused frame after frame (only their text changes). */
const pool: HTMLTableRowElement[] = [];

/**
 * Draws only the rows in sight: two spacer rows stand for the ones above and below, so the
 * scrollbar is that of the whole list while the DOM holds a few dozen rows however many are kept.
 */
function draw(): void {
  state.drawQueued = false;
  const list = $('list');
  const body = document.querySelector('#exchanges tbody') as HTMLTableSectionElement;
  const above = $('pad-above');
  const below = $('pad-below');
  const total = state.view.length;
  const head = (document.querySelector('#exchanges thead') as HTMLElement).offsetHeight;
  // Set the full height first, so following the end scrolls to the true end.
  const visible = Math.ceil(list.clientHeight / ROW_HEIGHT) + 1;
  if (state.follow) {
    const first = Math.max(0, total - visible - OVERSCAN);
    above.style.height = `${first * ROW_HEIGHT}px`;
    below.style.height = '0px';
    fill(body, first, total);
    list.scrollTop = list.scrollHeight;
  } else {
    const top = Math.max(0, list.scrollTop - head);
    const first = Math.max(0, Math.min(total, Math.floor(top / ROW_HEIGHT) - OVERSCAN));
    const end = Math.min(total, first + visible + 2 * OVERSCAN);
    above.style.height = `${first * ROW_HEIGHT}px`;
    below.style.height = `${(total - end) * ROW_HEIGHT}px`;
    fill(body, first, end);
  }
  updateCounts();
  drawTimeline();
}

/** Rows [first, end) of the view into the pool's rows, between the two spacers. */
function fill(body: HTMLTableSectionElement, first: number, end: number): void {
  const below = $('pad-below').parentElement as HTMLTableRowElement;
  const n = end - first;
  while (pool.length < n) {
    const tr = document.createElement('tr');
    for (let i = 0; i < 11; i++) tr.append(document.createElement('td'));
    pool.push(tr);
  }
  for (let i = 0; i < pool.length; i++) {
    const tr = pool[i];
    if (i >= n) {
      if (tr.parentElement) tr.remove();
      continue;
    }
    if (tr.parentElement !== body) body.insertBefore(tr, below);
    fillRow(tr, state.all.at(state.view.nth(first + i)));
  }
}

const start = { at: 0 };

function fillRow(tr: HTMLTableRowElement, s: Summary): void {
  if (start.at === 0) start.at = s.receivedAt;
  if (tr.dataset.id === String(s.id)) {
    tr.classList.toggle('selected', s.id === state.selectedId);
    return;
  }
  tr.dataset.id = String(s.id);
  tr.classList.toggle('selected', s.id === state.selectedId);
  const errors =
    s.errors.map((e) => `${e.name} (${e.code})`).join(', ') + (s.outcome !== 'response' ? s.outcome : '');
  const cells = [
    String(s.id),
    `+${((s.receivedAt - start.at) / 1000).toFixed(3)}s`,
    `#${s.connection}`,
    s.clientId ?? '',
    s.api ?? `apiKey=${s.apiKey}`,
    String(s.version),
    String(s.correlationId),
    `${s.requestBytes} B`,
    s.responseBytes === null ? '—' : `${s.responseBytes} B`,
    `${s.latencyMs.toFixed(2)} ms`,
    errors,
  ];
  const tds = tr.children;
  for (let i = 0; i < cells.length; i++) {
    const td = tds[i] as HTMLTableCellElement;
    td.textContent = cells[i];
    td.title = i === 3 || i === 10 ? cells[i] : '';
    td.className = i === cells.length - 1 && cells[i] !== '' ? 'err' : '';
  }
}

function updateCounts(): void {
  const dropped = state.droppedByPage + state.droppedByServer;
  const parts = [`${state.view.length} shown`, `${state.all.length} kept`];
  if (state.pending.length > 0) parts.push(`${state.pending.length} waiting`);
  if (dropped > 0) parts.push(`${dropped} dropped`);
  const counts = $('counts');
  counts.textContent = parts.join(' · ');
  counts.dataset.shown = String(state.view.length);
  counts.dataset.kept = String(state.all.length);
  counts.dataset.dropped = String(dropped);
  // Ids are consecutive from 1: everything below the oldest kept one is history that was let go.
  const older = state.all.length > 0 ? state.all.nth(0).id - 1 : 0;
  const line = $('older');
  line.hidden = older === 0;
  line.dataset.count = String(older);
  if (older > 0)
    line.textContent = `${older.toLocaleString('en')} older exchange${older === 1 ? '' : 's'} dropped — the inspector keeps the newest ${Math.min(state.historyLimit, MAX_ROWS).toLocaleString('en')}`;
}

function setPaused(paused: boolean): void {
  state.paused = paused;
  $('pause').textContent = paused ? 'Resume' : 'Pause';
  const status = $('status');
  if (status.dataset.live === '1') {
    status.textContent = paused ? 'paused' : 'live';
    status.className = `status ${paused ? 'paused' : 'live'}`;
  }
  if (!paused) {
    const waiting = state.pending;
    state.pending = [];
    for (const s of waiting) accept(s);
  }
  scheduleDraw();
}

// ── one exchange ─────────────────────────────────────────────────────────────────────────────

async function select(id: number): Promise<void> {
  state.selectedId = id;
  for (const tr of pool) tr.classList.toggle('selected', tr.dataset.id === String(id));
  const res = await fetch(`/api/exchanges/${id}`);
  if (!res.ok) {
    $('frame-error').hidden = false;
    $('frame-error').textContent = `exchange ${id}: ${res.status} ${await res.text()}`;
    return;
  }
  state.detail = (await res.json()) as Detail;
  $('detail').hidden = false;
  showFrame(state.frame === 'response' && state.detail.response ? 'response' : 'request');
}

/** Node ids → nodes and DOM rows of the frame on show; byte → innermost leaf. */
const shown = {
  nodes: new Map<number, FrameNode>(),
  parents: new Map<number, number>(),
  rows: new Map<number, HTMLElement>(),
  owner: new Int32Array(0),
  selected: null as number | null,
};

function showFrame(which: 'request' | 'response'): void {
  const d = state.detail;
  if (!d) return;
  state.frame = which;
  const f = which === 'response' ? d.response : d.request;
  for (const b of document.querySelectorAll<HTMLButtonElement>('#frames button')) {
    b.classList.toggle('on', b.dataset.frame === which);
    b.disabled = b.dataset.frame === 'response' && !d.response;
  }
  const s = d.summary;
  $('frame-title').textContent = f
    ? `${f.api ?? `apiKey=${s.apiKey}`} v${f.version} ${which}, conn#${s.connection}, correlation id ${s.correlationId}, ${f.hex.length / 2} bytes`
    : `no response (${s.outcome})`;
  const error = $('frame-error');
  error.hidden = !f?.error;
  error.textContent = f?.error
    ? `decoding stopped${f.error.offset === null ? '' : ` at byte ${f.error.offset}`}: ${f.error.message}`
    : '';
  $('export').innerHTML = ['hex', 'txt', 'json']
    .map((x) => `<a href="/api/exchanges/${s.id}/export.${x}" download>${x === 'txt' ? 'listing' : x}</a>`)
    .join(' ');
  drawTree(f?.nodes ?? []);
  drawHex(f?.hex ?? '', f?.error?.offset ?? null);
  drawRecords(f?.json);
  $('json').textContent = f?.json === undefined || f.json === null ? '' : JSON.stringify(f.json, null, 2);
  $('field').textContent = '';
  shown.selected = null;
}

function drawTree(nodes: FrameNode[]): void {
  shown.nodes.clear();
  shown.parents.clear();
  shown.rows.clear();
  const tree = $('tree');
  tree.textContent = '';
  const build = (list: FrameNode[], depth: number, parent: number | null, into: HTMLElement) => {
    for (const n of list) {
      shown.nodes.set(n.id, n);
      if (parent !== null) shown.parents.set(n.id, parent);
      const el = document.createElement('div');
      el.className = 'node';
      el.dataset.node = String(n.id);
      el.dataset.offset = String(n.offset);
      el.dataset.length = String(n.length);
      el.dataset.path = n.path;
      el.style.paddingLeft = `${depth * 14}px`;
      el.innerHTML =
        `<span class="tw">${n.children ? '▾' : ''}</span>${esc(n.label)}` +
        (n.value !== undefined ? `: <span class="val">${esc(n.value)}</span>` : '') +
        ` <span class="wt">${esc(n.wireType)} @${n.offset}+${n.length}</span>` +
        (n.note ? ` <span class="note">${esc(n.note)}</span>` : '');
      into.append(el);
      shown.rows.set(n.id, el);
      if (n.children) {
        const box = document.createElement('div');
        box.className = 'children';
        box.dataset.of = String(n.id);
        into.append(box);
        build(n.children, depth + 1, n.id, box);
      }
    }
  };
  build(nodes, 0, null, tree);
}

function drawHex(hex: string, stopAt: number | null): void {
  const size = hex.length / 2;
  const drawn = Math.min(size, MAX_HEX_BYTES);
  // Which leaf owns each byte: later (deeper, shorter) spans win, as the listing's leaves tile the frame.
  shown.owner = new Int32Array(drawn).fill(-1);
  const claim = (list: FrameNode[]) => {
    for (const n of list) {
      if (n.children) claim(n.children);
      else
        for (let i = n.offset; i < Math.min(n.offset + n.length, drawn); i++)
          if (shown.owner[i] === -1) shown.owner[i] = n.id;
    }
  };
  claim(state.detail ? (currentFrame()?.nodes ?? []) : []);
  const lines: string[] = [];
  for (let row = 0; row < drawn; row += 16) {
    let bytes = '';
    let text = '';
    for (let i = row; i < Math.min(row + 16, drawn); i++) {
      const byte = hex.slice(i * 2, i * 2 + 2);
      const code = Number.parseInt(byte, 16);
      const stop = i === stopAt ? ' stop' : '';
      bytes += `<span class="b${stop}" data-i="${i}">${byte}</span>${i % 8 === 7 ? '  ' : ' '}`;
      text += code >= 0x20 && code < 0x7f ? esc(String.fromCharCode(code)) : '.';
    }
    const pad = '   '.repeat(Math.max(0, 16 - (Math.min(row + 16, drawn) - row)));
    lines.push(
      `<span class="row"><span class="off">${row.toString(16).padStart(6, '0')}</span>  ${bytes}${pad} <span class="asc">${text}</span></span>`,
    );
  }
  if (drawn < size) lines.push(`… ${size - drawn} more bytes not drawn`);
  $('hex').innerHTML = lines.join('\n');
}

function currentFrame(): FrameView | undefined {
  const d = state.detail;
  if (!d) return undefined;
  return state.frame === 'response' ? d.response : d.request;
}

/** Selects a field: its row opens and marks, its bytes light up. */
function selectNode(id: number, scroll: 'tree' | 'hex' | 'none'): void {
  const n = shown.nodes.get(id);
  if (!n) return;
  if (shown.selected !== null) shown.rows.get(shown.selected)?.classList.remove('selected');
  shown.selected = id;
  // Open every container above it.
  for (let p = shown.parents.get(id); p !== undefined; p = shown.parents.get(p))
    document.querySelector(`#tree .children[data-of="${p}"]`)?.classList.remove('closed');
  const row = shown.rows.get(id);
  row?.classList.add('selected');
  for (const b of document.querySelectorAll('#hex .b.hl')) b.classList.remove('hl');
  let first: Element | undefined;
  const hexBytes = document.querySelectorAll<HTMLElement>('#hex .b');
  for (let i = n.offset; i < n.offset + n.length && i < hexBytes.length; i++) {
    hexBytes[i].classList.add('hl');
    first ??= hexBytes[i];
  }
  $('field').textContent =
    `${n.path || n.label} (${n.wireType}) bytes ${n.offset}..${n.offset + n.length - 1}` +
    (n.value !== undefined ? ` = ${n.value}` : '') +
    (n.note ? `  ${n.note}` : '') +
    (n.rule ? `  — ${n.rule}` : '');
  if (scroll === 'tree') row?.scrollIntoView({ block: 'nearest' });
  if (scroll === 'hex') first?.scrollIntoView({ block: 'nearest' });
}

interface JsonBatch {
  baseOffset?: number;
  attributes?: { compression?: string; isControl?: boolean; isTransactional?: boolean };
  records?: {
    offset?: number;
    key?: unknown;
    value?: unknown;
    headers?: { key: string; value: unknown }[];
    control?: unknown;
  }[];
  error?: string;
}

/** Every decoded `records` field in the frame's JSON form (`recordsDecoded`, records-json.ts). */
function drawRecords(json: unknown): void {
  const out = $('records');
  out.textContent = '';
  const found: { where: string; batches: JsonBatch[]; error?: string }[] = [];
  const walk = (v: unknown, where: string, depth: number) => {
    if (depth > 12 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${where}[${i}]`, depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const batches = (x as { batches?: unknown } | null)?.batches;
      if (k.endsWith('Decoded') && Array.isArray(batches))
        found.push({ where: `${where}.${k}`, batches: batches as JsonBatch[], error: (x as any).error });
      else walk(x, where === '' ? k : `${where}.${k}`, depth + 1);
    }
  };
  walk((json as { body?: unknown } | null)?.body, '', 0);
  if (found.length === 0) return;
  const rows: string[] = [];
  for (const f of found) {
    f.batches.forEach((b, bi) => {
      const kind = b.attributes?.isControl ? 'control' : b.attributes?.isTransactional ? 'transactional' : '';
      if (b.error)
        rows.push(
          `<tr><td>${esc(f.where)} batch ${bi}</td><td colspan="4" class="err">${esc(b.error)}</td></tr>`,
        );
      for (const r of b.records ?? [])
        rows.push(
          `<tr class="record"><td>${esc(f.where)} batch ${bi} ${esc(b.attributes?.compression ?? '')} ${kind}</td>` +
            `<td>${esc(String(r.offset))}</td><td>${esc(show(r.key))}</td><td>${esc(show(r.value ?? r.control))}</td>` +
            `<td>${esc((r.headers ?? []).map((h) => `${h.key}=${show(h.value)}`).join(', '))}</td></tr>`,
        );
    });
    if (f.error) rows.push(`<tr><td colspan="5" class="err">${esc(f.error)}</td></tr>`);
  }
  out.innerHTML = `<table><thead><tr><th>records</th><th>offset</th><th>key</th><th>value</th><th>headers</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ── wiring ───────────────────────────────────────────────────────────────────────────────────

function wire(): void {
  document.querySelector('#exchanges tbody')!.addEventListener('click', (ev) => {
    const tr = (ev.target as HTMLElement).closest('tr');
    if (tr?.dataset.id) void select(Number(tr.dataset.id));
  });
  for (const id of ['filter-api', 'filter-client', 'filter-connection', 'filter-errors'])
    $(id).addEventListener('change', refilter);
  $('list').addEventListener(
    'scroll',
    () => {
      const list = $('list');
      state.follow = list.scrollTop + list.clientHeight >= list.scrollHeight - ROW_HEIGHT / 2;
      scheduleDraw();
    },
    { passive: true },
  );
  $('pause').addEventListener('click', () => setPaused(!state.paused));
  $('frames').addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest('button');
    if (b?.dataset.frame) showFrame(b.dataset.frame as 'request' | 'response');
  });
  $('tree').addEventListener('click', (ev) => {
    const el = (ev.target as HTMLElement).closest<HTMLElement>('.node');
    if (!el) return;
    const id = Number(el.dataset.node);
    const n = shown.nodes.get(id);
    // A click on a container's arrow folds it; anywhere else selects.
    if (n?.children && (ev.target as HTMLElement).classList.contains('tw')) {
      const box = document.querySelector(`#tree .children[data-of="${id}"]`);
      box?.classList.toggle('closed');
      (ev.target as HTMLElement).textContent = box?.classList.contains('closed') ? '▸' : '▾';
      return;
    }
    selectNode(id, 'hex');
  });
  $('hex').addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest<HTMLElement>('.b');
    if (!b) return;
    const owner = shown.owner[Number(b.dataset.i)];
    if (owner !== undefined && owner >= 0) selectNode(owner, 'tree');
  });
}

async function connect(): Promise<void> {
  const info = (await (await fetch('/api/info')).json()) as {
    source: { kind: 'live' | 'file'; name: string };
    historyLimit?: number;
    state?: boolean;
  };
  state.historyLimit = info.historyLimit ?? MAX_ROWS;
  // Live exchanges that arrive before the history are held, then merged by id.
  const early: Summary[] = [];
  let loading = true;
  const take = (s: Summary) => (loading ? early.push(s) : accept(s));
  $('source').textContent = info.source.kind === 'file' ? `recording ${info.source.name}` : info.source.name;
  const status = $('status');
  if (info.source.kind === 'live') {
    status.dataset.live = '1';
    const events = new EventSource('/api/events');
    events.addEventListener('exchange', (ev) => take(JSON.parse((ev as MessageEvent).data) as Summary));
    events.addEventListener('dropped', (ev) => {
      state.droppedByServer += (JSON.parse((ev as MessageEvent).data) as { count: number }).count;
      scheduleDraw();
    });
    events.addEventListener('error', () => {
      status.textContent = 'disconnected';
      status.className = 'status';
    });
    await new Promise<void>((resolve) => events.addEventListener('open', () => resolve(), { once: true }));
    status.textContent = state.paused ? 'paused' : 'live';
    status.className = `status ${state.paused ? 'paused' : 'live'}`;
  } else {
    status.textContent = 'offline';
  }
  // What happened before the page opened.
  const history = (await (await fetch('/api/exchanges')).json()) as Summary[];
  for (const s of history) accept(s);
  loading = false;
  for (const s of early.sort((a, b) => a.id - b.id)) accept(s);
  scheduleDraw();
  document.body.dataset.ready = '1';
}

wire();
void connect();

// Filled in by the timeline (below the list); a no-op until then.
function onAccepted(_s: Summary): void {}
function drawTimeline(): void {}
