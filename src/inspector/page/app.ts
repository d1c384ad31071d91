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
  batch?: string;
  children?: FrameNode[];
}

interface BatchLabel {
  path: string;
  offset: number;
  length: number;
  compression: string;
  compressedBytes?: number;
  uncompressedBytes?: number;
  records: number;
  transactional: boolean;
  control?: string;
  text: string;
}

interface FrameView {
  direction: 'request' | 'response';
  api: string | null;
  version: number;
  hex: string;
  nodes: FrameNode[];
  batches?: BatchLabel[];
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

/** Times are shown from the first exchange the page received. */
const start = { at: 0 };

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
  if (start.at === 0) start.at = s.receivedAt;
  const position = state.all.end;
  state.all.push(s);
  if (matches(s)) state.view.push(position);
  while (state.all.length > MAX_ROWS) {
    const gone = state.all.first;
    state.all.shift();
    if (state.view.length > 0 && state.view.nth(0) === gone) state.view.shift();
  }
  learnFilterValues(s);
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

/** A kept summary by id: ids are consecutive, so its place is arithmetic from the oldest kept. */
function findSummary(id: number): Summary | undefined {
  if (state.all.length === 0) return undefined;
  const k = id - state.all.nth(0).id;
  if (k < 0 || k >= state.all.length) return undefined;
  const s = state.all.nth(k);
  return s?.id === id ? s : undefined;
}

function fillRow(tr: HTMLTableRowElement, s: Summary): void {
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
  void showTutorial(state.detail.summary.api);
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
  drawRecords(f);
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
        (n.note ? ` <span class="note">${esc(n.note)}</span>` : '') +
        (n.batch ? ` <span class="badge">${esc(n.batch)}</span>` : '');
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
function drawRecords(f: FrameView | undefined): void {
  const out = $('records');
  out.textContent = '';
  const json = f?.json;
  const found: { where: string; batches: JsonBatch[]; error?: string }[] = [];
  const walk = (v: unknown, where: string, depth: number) => {
    if (depth > 12 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${where}[${i}]`, depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const batches = (x as { batches?: unknown } | null)?.batches;
      const path = where === '' ? k : `${where}.${k}`;
      if (k.endsWith('Decoded') && Array.isArray(batches))
        found.push({ where: path, batches: batches as JsonBatch[], error: (x as any).error });
      else walk(x, path, depth + 1);
    }
  };
  walk((json as { body?: unknown } | null)?.body, '', 0);
  const labels = new Map((f?.batches ?? []).map((b) => [b.path, b]));
  $('records-bar').hidden = found.length === 0;
  if (found.length === 0) return;
  const rows: string[] = [];
  for (const r of found) {
    // `…recordsDecoded` sits beside the `…records` field whose spans the server labelled.
    const field = r.where.replace(/Decoded$/, '');
    r.batches.forEach((b, bi) => {
      const label = labels.get(`${field}.batches[${bi}]`);
      const kind = label?.control
        ? 'control'
        : b.attributes?.compression && b.attributes.compression !== 'none'
          ? 'compressed'
          : 'plain';
      rows.push(
        `<tr class="batch ${kind}" data-path="${esc(`${field}.batches[${bi}]`)}"><td colspan="5"><b>${esc(field)} batch ${bi}</b> ${esc(label?.text ?? b.attributes?.compression ?? '')}` +
          (label ? ` <span class="wt">@${label.offset}+${label.length}</span>` : '') +
          '</td></tr>',
      );
      if (b.error) rows.push(`<tr><td colspan="5" class="err">${esc(b.error)}</td></tr>`);
      for (const rec of b.records ?? [])
        rows.push(
          `<tr class="record${label?.control ? ' control' : ''}"><td>batch ${bi}</td><td>${esc(String(rec.offset))}</td>` +
            `<td>${esc(show(rec.key))}</td><td>${esc(label?.control && rec.control ? controlText(rec) : show(rec.value))}</td>` +
            `<td>${esc((rec.headers ?? []).map((h) => `${h.key}=${show(h.value)}`).join(', '))}</td></tr>`,
        );
    });
    if (r.error) rows.push(`<tr><td colspan="5" class="err">${esc(r.error)}</td></tr>`);
  }
  out.innerHTML = `<table><thead><tr><th>batch</th><th>offset</th><th>key</th><th>value</th><th>headers</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A control record's value in words: the marker's type and coordinator epoch, as decoded. */
function controlText(rec: NonNullable<JsonBatch['records']>[number]): string {
  const c = rec.control as { typeName?: string } | undefined;
  const v = (rec as { controlValue?: { value?: { coordinatorEpoch?: number } } }).controlValue?.value;
  return `${(c?.typeName ?? 'control').toUpperCase()} marker${v?.coordinatorEpoch === undefined ? '' : ` (coordinatorEpoch ${v.coordinatorEpoch})`}`;
}

/** Record keys, values and header values as text or as hex (the "values as" switch). */
const values = { as: 'text' as 'text' | 'hex' };

/**
 * A record field as the server's JSON gave it — UTF-8 text, or `{ base64 }` for bytes that are not
 * — shown as text (non-text bytes in hex, marked) or as hex. Only a change of notation, no decoding.
 */
function show(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  const bytes =
    typeof v === 'string'
      ? new TextEncoder().encode(v)
      : typeof (v as { base64?: unknown }).base64 === 'string'
        ? Uint8Array.from(atob((v as { base64: string }).base64), (c) => c.charCodeAt(0))
        : undefined;
  if (!bytes) return JSON.stringify(v);
  const hex = () => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  if (values.as === 'hex') return bytes.length === 0 ? '(empty)' : hex();
  return typeof v === 'string' ? v : `(bytes) ${hex()}`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ── broker state (the emulator's) ─────────────────────────────────────────────────────────────

interface BrokerState {
  takenAt: number;
  topics: {
    name: string;
    internal: boolean;
    partitions: {
      partition: number;
      logStartOffset: number;
      highWatermark: number;
      lastStableOffset: number;
      logEndOffset: number;
      sizeInBytes: number;
    }[];
  }[];
  groups: {
    groupId: string;
    type: string;
    state: string;
    generationOrEpoch: number;
    protocol: string;
    members: {
      memberId: string;
      clientId: string;
      clientHost: string;
      memberEpoch?: number;
      assigned?: string[];
    }[];
  }[];
  transactions: {
    transactionalId: string;
    producerId: number;
    producerEpoch: number;
    state: string;
    timeoutMs: number;
    partitions: string[];
  }[];
}

const stateView = { timer: 0 };

/** Fetches the broker's snapshot and draws it as three tables; again every second while shown. */
async function refreshState(): Promise<void> {
  if ($('state').hidden) return;
  const res = await fetch('/api/state');
  if (!res.ok) return;
  const b = (await res.json()) as BrokerState;
  const table = (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  const partitions = b.topics.flatMap((t) =>
    t.partitions.map((p) => [
      `${t.name}${t.internal ? ' (internal)' : ''}`,
      String(p.partition),
      String(p.logStartOffset),
      String(p.highWatermark),
      String(p.lastStableOffset),
      String(p.logEndOffset),
      `${p.sizeInBytes} B`,
    ]),
  );
  const members = b.groups.flatMap((g) =>
    (g.members.length > 0 ? g.members : [undefined]).map((m) => [
      g.groupId,
      g.type,
      g.state,
      String(g.generationOrEpoch),
      g.protocol,
      m ? `${m.memberId}${m.memberEpoch === undefined ? '' : ` (epoch ${m.memberEpoch})`}` : '(no members)',
      m ? `${m.clientId} ${m.clientHost}` : '',
      m?.assigned?.join(', ') ?? '',
    ]),
  );
  const txns = b.transactions.map((t) => [
    t.transactionalId,
    `${t.producerId} / ${t.producerEpoch}`,
    t.state,
    `${t.timeoutMs} ms`,
    t.partitions.join(', '),
  ]);
  $('state-topics').innerHTML = table(
    ['topic', 'partition', 'log start', 'high watermark', 'last stable', 'log end', 'size'],
    partitions,
  );
  $('state-groups').innerHTML =
    members.length > 0
      ? table(
          ['group', 'type', 'state', 'generation / epoch', 'protocol', 'member', 'client', 'assigned'],
          members,
        )
      : '<p>no groups</p>';
  $('state-transactions').innerHTML =
    txns.length > 0
      ? table(['transactional id', 'producer id / epoch', 'state', 'timeout', 'partitions'], txns)
      : '<p>no transactions</p>';
  $('state').dataset.takenAt = String(b.takenAt);
}

function showState(on: boolean): void {
  $('state').hidden = !on;
  window.clearInterval(stateView.timer);
  stateView.timer = 0;
  if (!on) return;
  void refreshState();
  // A view for a person, refreshed on a timer; nothing waits on it.
  stateView.timer = window.setInterval(() => void refreshState(), 1000);
}

// ── the tutorial link ───────────────────────────────────────────────────────────────────────

interface TutorialSection {
  api: string;
  file: string;
  title: string;
  anchor: string;
  markdown: string;
}

const tutorials = new Map<string, Promise<TutorialSection | { error: string }>>();
const tutorialLang = { now: 'en' as 'en' | 'ko' };

/** The tutorial chapter that shows the selected exchange's API (the server reads docs/tutorial*.md). */
async function showTutorial(api: string | null): Promise<void> {
  const panel = $('tutorial');
  if (api === null) {
    panel.hidden = true;
    return;
  }
  const key = `${api}/${tutorialLang.now}`;
  if (!tutorials.has(key))
    tutorials.set(
      key,
      fetch(`/api/tutorial/${encodeURIComponent(api)}?lang=${tutorialLang.now}`).then((r) => r.json()),
    );
  const section = await tutorials.get(key)!;
  if (state.detail?.summary.api !== api) return;
  panel.hidden = false;
  panel.dataset.api = api;
  if ('error' in section) {
    $('tutorial-title').textContent = section.error;
    $('tutorial-text').textContent = '';
    panel.dataset.found = '0';
    return;
  }
  panel.dataset.found = '1';
  // Plain text: the chapter's markdown as written (commands runnable as shown), no HTML from it.
  $('tutorial-title').textContent = `${section.file} — ${section.title}`;
  $('tutorial-title').title = `${section.file}#${section.anchor}`;
  $('tutorial-text').textContent = section.markdown;
}

// ── the timeline ─────────────────────────────────────────────────────────────────────────────

/**
 * One lane per connection, time running left to right: each exchange is a bar from its request's
 * arrival to its response (its latency), coloured by API, red when it carries an error or got no
 * response. It draws the exchanges the filters let through, at most five times a second (a canvas,
 * so 100,000 bars cost no DOM), and a click on a bar opens that exchange.
 */
const TL = {
  laneHeight: 18,
  gutter: 150,
  axis: 18,
  maxLanes: 24,
  minIntervalMs: 200,
  lastDrawAt: 0,
  timer: 0,
  /** What the last drawing put where, for clicks and hovering. */
  lanes: [] as number[],
  bars: [] as { lane: number; x0: number; x1: number; id: number }[],
};

function drawTimeline(): void {
  const box = $('timeline');
  if (box.hidden) return;
  const since = performance.now() - TL.lastDrawAt;
  if (since < TL.minIntervalMs) {
    // Drawn a moment ago: once more when the interval is over, with whatever came meanwhile.
    if (TL.timer === 0)
      TL.timer = window.setTimeout(() => {
        TL.timer = 0;
        drawTimeline();
      }, TL.minIntervalMs - since);
    return;
  }
  TL.lastDrawAt = performance.now();
  const canvas = $<HTMLCanvasElement>('tl-canvas');
  const view = state.view;
  const span = Number($<HTMLSelectElement>('tl-span').value);
  let end = 0;
  for (let k = view.length - 1, n = 0; k >= 0 && n < 1000; k--, n++) {
    const s = state.all.at(view.nth(k));
    end = Math.max(end, s.receivedAt + s.latencyMs);
  }
  const first = view.length > 0 ? state.all.at(view.nth(0)).receivedAt : 0;
  const startAt = span > 0 ? Math.max(first, end - span) : first;
  const duration = Math.max(1, (span > 0 ? end - startAt : end - first) * 1.02);
  // The exchanges in the window, newest first; receipt order is almost time order, so stop a
  // little before the window's start.
  const inWindow: Summary[] = [];
  const lanesSeen = new Set<number>();
  for (let k = view.length - 1; k >= 0; k--) {
    const s = state.all.at(view.nth(k));
    if (s.receivedAt + s.latencyMs < startAt) {
      if (s.receivedAt < startAt - 5000) break;
      continue;
    }
    inWindow.push(s);
    lanesSeen.add(s.connection);
  }
  const allLanes = [...lanesSeen].sort((a, b) => a - b);
  const lanes = allLanes.slice(0, TL.maxLanes);
  const laneOf = new Map(lanes.map((c, i) => [c, i]));
  const width = Math.max(300, box.clientWidth - 2);
  const height = TL.axis + Math.max(1, lanes.length) * TL.laneHeight + 2;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const g = canvas.getContext('2d')!;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'middle';
  const plot = width - TL.gutter - 8;
  const msPerPx = duration / plot;
  const x = (t: number) => TL.gutter + (t - startAt) / msPerPx;
  // Axis: a tick every 1, 2 or 5 × 10^k ms, about eight of them, as times since the first exchange.
  const origin = start.at || first;
  const raw = duration / 8;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((v) => v >= raw) ?? raw;
  g.fillStyle = '#6b7385';
  g.strokeStyle = '#e3e6eb';
  for (let t = Math.ceil((startAt - origin) / step) * step + origin; t <= startAt + duration; t += step) {
    const px = x(t);
    g.beginPath();
    g.moveTo(px, TL.axis - 4);
    g.lineTo(px, height);
    g.stroke();
    g.fillText(`+${((t - origin) / 1000).toFixed(step < 1000 ? (step < 100 ? 3 : 2) : 1)}s`, px + 2, 8);
  }
  const clients = new Map<number, string>();
  for (const s of inWindow) if (!clients.has(s.connection)) clients.set(s.connection, s.clientId ?? '');
  lanes.forEach((c, i) => {
    const y = TL.axis + i * TL.laneHeight;
    g.fillStyle = i % 2 === 0 ? '#f7f8fa' : '#ffffff';
    g.fillRect(0, y, width, TL.laneHeight);
    g.fillStyle = '#1d2330';
    g.fillText(`#${c} ${clients.get(c) ?? ''}`.slice(0, 24), 4, y + TL.laneHeight / 2);
  });
  // Bars: oldest first so the newest sit on top; a bar narrower than a pixel where the lane already
  // has one is not drawn again (a busy second is thousands of exchanges on a few hundred pixels).
  TL.bars = [];
  const lastX = new Float64Array(lanes.length).fill(-1);
  for (let k = inWindow.length - 1; k >= 0; k--) {
    const s = inWindow[k];
    const lane = laneOf.get(s.connection);
    if (lane === undefined) continue;
    const x0 = x(s.receivedAt);
    const w = Math.max(2, s.latencyMs / msPerPx);
    if (w <= 2 && Math.floor(x0) === lastX[lane]) continue;
    lastX[lane] = Math.floor(x0);
    const y = TL.axis + lane * TL.laneHeight + 3;
    const bad = s.errors.length > 0 || s.outcome !== 'response';
    g.fillStyle = bad ? '#b3261e' : apiColour(s.apiKey);
    g.fillRect(x0, y, w, TL.laneHeight - 6);
    if (w >= 6) {
      // The request's arrival and the response's departure, as darker ends.
      g.fillStyle = 'rgba(0,0,0,0.45)';
      g.fillRect(x0, y, 1, TL.laneHeight - 6);
      if (s.outcome === 'response') g.fillRect(x0 + w - 1, y, 1, TL.laneHeight - 6);
    }
    TL.bars.push({ lane, x0, x1: x0 + w, id: s.id });
  }
  TL.lanes = lanes;
  const more = allLanes.length - lanes.length;
  $('tl-note').textContent =
    `${inWindow.length} exchange${inWindow.length === 1 ? '' : 's'} on ${allLanes.length} connection${allLanes.length === 1 ? '' : 's'}` +
    (more > 0 ? ` (${more} more not drawn)` : '');
  Object.assign(canvas.dataset, {
    start: String(startAt),
    msPerPx: String(msPerPx),
    gutter: String(TL.gutter),
    axis: String(TL.axis),
    laneHeight: String(TL.laneHeight),
    lanes: lanes.join(','),
    bars: String(TL.bars.length),
  });
}

function apiColour(apiKey: number): string {
  return `hsl(${(apiKey * 47) % 360} 55% 55%)`;
}

/** The bar under a point of the canvas (CSS pixels), nearest first within 3 px. */
function barAt(px: number, py: number): number | undefined {
  const lane = Math.floor((py - TL.axis) / TL.laneHeight);
  let best: { id: number; d: number } | undefined;
  for (const b of TL.bars) {
    if (b.lane !== lane) continue;
    const d = px < b.x0 ? b.x0 - px : px > b.x1 ? px - b.x1 : 0;
    if (d <= 3 && (!best || d < best.d || (d === best.d && b.id > best.id))) best = { id: b.id, d };
  }
  return best?.id;
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
  $('show-timeline').addEventListener('change', () => {
    $('timeline').hidden = !$<HTMLInputElement>('show-timeline').checked;
    TL.lastDrawAt = 0;
    scheduleDraw();
  });
  $('tl-span').addEventListener('change', () => {
    TL.lastDrawAt = 0;
    scheduleDraw();
  });
  const canvas = $<HTMLCanvasElement>('tl-canvas');
  const point = (ev: MouseEvent) => {
    const r = canvas.getBoundingClientRect();
    return barAt(ev.clientX - r.left, ev.clientY - r.top);
  };
  canvas.addEventListener('click', (ev) => {
    const id = point(ev);
    if (id !== undefined) void select(id);
  });
  canvas.addEventListener('mousemove', (ev) => {
    const id = point(ev);
    const s = id === undefined ? undefined : findSummary(id);
    canvas.title = s
      ? `#${s.id} ${s.api ?? `apiKey=${s.apiKey}`} v${s.version} conn#${s.connection} corr ${s.correlationId}, ${s.latencyMs.toFixed(2)} ms`
      : '';
  });
  $('show-state').addEventListener('change', () => showState($<HTMLInputElement>('show-state').checked));
  $('tutorial-lang').addEventListener('change', (ev) => {
    tutorialLang.now = (ev.target as HTMLSelectElement).value === 'ko' ? 'ko' : 'en';
    void showTutorial(state.detail?.summary.api ?? null);
  });
  $('records-bar').addEventListener('change', (ev) => {
    values.as = (ev.target as HTMLInputElement).value === 'hex' ? 'hex' : 'text';
    drawRecords(currentFrame());
  });
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
  $('state-toggle').hidden = info.state !== true;
  // Live exchanges that arrive before the history are held, then merged by id.
  const early: Summary[] = [];
  let loading = true;
  const take = (s: Summary) => (loading ? early.push(s) : accept(s));
  $('source').textContent = info.source.kind === 'file' ? `recording ${info.source.name}` : info.source.name;
  const status = $('status');
  if (info.source.kind === 'live') {
    status.dataset.live = '1';
    const events = new EventSource('/api/events');
    // The server sends the exchanges of one turn together: one parse, one draw for all of them.
    events.addEventListener('exchanges', (ev) => {
      for (const s of JSON.parse((ev as MessageEvent).data) as Summary[]) take(s);
    });
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
