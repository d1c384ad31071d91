/**
 * The inspector in a real browser: Debian's chromium, headless, driven by playwright-core, against
 * the built bin. A live `kafkalab emulator --inspect` shows a produce from `kafkalab produce` as it
 * happens; selecting a field lights up exactly the bytes of its span (checked against the
 * explainer's own spans of the same frame), a byte opens its field, the filters and pause work; the
 * emulator's `--record` file then opens offline with `kafkalab inspect --file`.
 *
 * UPDATE_SCREENSHOTS=1 rewrites docs/inspector.png from the offline view.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainRequest } from '../../src/protocol/explain/index.js';
import type { Span } from '../../src/protocol/primitives/spans.js';
import { ROOT, runCli } from '../support/cli.js';
import { INSPECTOR_READY, launchChromium, type Spawned, spawnCli } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'kafkalab-inspector-'));
const recording = join(dir, 'session.jsonl');
let browser: Browser;
let emulator: Spawned;
let bootstrap: string;
let liveUrl: string;
const others: Spawned[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  emulator = spawnCli(['emulator', '--port', '0', '--record', recording, '--inspect']);
  bootstrap = `127.0.0.1:${(await emulator.waitFor(/listening on 127\.0\.0\.1:(\d+)/))[1]}`;
  liveUrl = (await emulator.waitFor(INSPECTOR_READY))[1];
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.stop('SIGKILL');
  for (const o of others) await o.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A page that fails the test on any script error. */
async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]');
  return { page, errors };
}

const rows = (page: Page) => page.locator('#exchanges tbody tr[data-id]');

/** The list is virtual: how many rows the filters let through, as the page counts them. */
function shownCount(page: Page, n: number) {
  return page.waitForFunction((k) => document.getElementById('counts')!.dataset.shown === String(k), n);
}

/** The first row whose API column is exactly Produce (InitProducerId contains the word too). */
const produceRow = (page: Page) =>
  rows(page)
    .filter({ has: page.locator('td:nth-child(5)', { hasText: /^Produce$/ }) })
    .first();

function column(page: Page, n: number): Promise<string[]> {
  return page.$$eval(`#exchanges tbody tr[data-id] td:nth-child(${n})`, (tds) =>
    tds.map((td) => td.textContent ?? ''),
  );
}

async function produce(topic: string, lines: string): Promise<void> {
  const r = await runCli(['produce', '--bootstrap-server', bootstrap, '--topic', topic, '--parse-key'], {
    stdin: lines,
  });
  expect(r.code, r.stderr).toBe(0);
}

/** The detail the page got for the exchange on show, and the explainer's spans of its request frame. */
async function shownRequest(page: Page, id: string): Promise<{ spans: Span[]; hex: string }> {
  const hex = await page.evaluate(
    async (i) => (await (await fetch(`/api/exchanges/${i}`)).json()).request.hex,
    id,
  );
  return { spans: explainRequest(Buffer.from(hex, 'hex')).spans, hex };
}

async function highlighted(page: Page): Promise<number[]> {
  return page.$$eval('#hex .b.hl', (bs) => bs.map((b) => Number((b as HTMLElement).dataset.i)));
}

function range(offset: number, length: number): number[] {
  return Array.from({ length }, (_, i) => offset + i);
}

describe('kafkalab inspector in chromium', () => {
  it('live: a produce from the CLI appears; a field lights up its bytes and a byte opens its field', async () => {
    const { page, errors } = await openPage(liveUrl);
    expect(await page.textContent('#status')).toBe('live');
    await produce('inspected', 'k1\thello\nk2\tworld\n');
    const row = produceRow(page);
    await row.waitFor();
    const id = (await row.getAttribute('data-id'))!;
    await row.click();
    await page.waitForSelector('#tree .node');
    expect(await page.textContent('#frame-title')).toMatch(
      /^Produce v\d+ request, conn#\d+, correlation id \d+/,
    );

    const { spans, hex } = await shownRequest(page, id);
    // The topic name: a leaf of the request body.
    const name = spans.find((s) => s.path === 'topicData[0].name' && s.kind === 'value')!;
    await page.click(`#tree .node[data-path="topicData[0].name"][data-offset="${name.offset}"]`);
    expect(await highlighted(page)).toEqual(range(name.offset, name.length));
    // The second record's value, inside the record batch the explainer drilled into.
    const value = spans.find((s) => /records\[1\]\.value$/.test(s.path) && s.kind === 'value')!;
    expect(value, 'a span for the second record value').toBeDefined();
    await page.click(`#tree .node[data-path="${value.path}"][data-offset="${value.offset}"]`);
    const lit = await highlighted(page);
    expect(lit).toEqual(range(value.offset, value.length));
    expect(
      Buffer.from(hex, 'hex')
        .subarray(lit[0], lit[lit.length - 1] + 1)
        .toString(),
    ).toBe('world');
    expect(await page.textContent('#field')).toContain(
      `bytes ${value.offset}..${value.offset + value.length - 1}`,
    );

    // Click a byte of the name: its field opens (selected and in view), its bytes light up.
    await page.click(`#hex .b[data-i="${name.offset + name.length - 1}"]`);
    expect(await page.getAttribute('#tree .node.selected', 'data-path')).toBe('topicData[0].name');
    expect(await highlighted(page)).toEqual(range(name.offset, name.length));

    // The records, as the JSON API decoded them.
    const records = await page.$$eval('#records tr.record', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(2, 4).map((td) => td.textContent)),
    );
    expect(records).toEqual([
      ['k1', 'hello'],
      ['k2', 'world'],
    ]);
    await page.click('#frames button[data-frame="response"]');
    expect(await page.textContent('#frame-title')).toMatch(/^Produce v\d+ response/);
    expect(await page.locator('#tree .node[data-path="responses[0].name"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('live: filters by API, client and error; pause holds new exchanges until resume', async () => {
    process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
    const kafka = new Kafka({ clientId: 'other-client', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'inspected', messages: [{ key: 'k3', value: 'from kafkajs' }] });
    await producer.disconnect();

    const { page, errors } = await openPage(liveUrl);
    const all = (await page.evaluate(async () => (await fetch('/api/exchanges')).json())) as any[];
    await shownCount(page, all.length);

    await page.selectOption('#filter-api', 'Produce');
    await shownCount(page, all.filter((s) => s.api === 'Produce').length);
    expect(new Set(await column(page, 5))).toEqual(new Set(['Produce']));
    await page.selectOption('#filter-api', '');

    await page.selectOption('#filter-client', '=other-client');
    const fromKafkajs = all.filter((s) => s.clientId === 'other-client').length;
    expect(fromKafkajs).toBeGreaterThan(0);
    await shownCount(page, fromKafkajs);
    expect(new Set(await column(page, 4))).toEqual(new Set(['other-client']));
    await page.selectOption('#filter-client', '');

    // A first Metadata for an auto-created topic answers UNKNOWN_TOPIC_OR_PARTITION, as Kafka does.
    const withErrors = all.filter((s) => s.errors.length > 0 || s.outcome !== 'response');
    expect(withErrors.length).toBeGreaterThan(0);
    await page.check('#filter-errors');
    await shownCount(page, withErrors.length);
    expect((await column(page, 11)).every((t) => t !== '')).toBe(true);
    await page.uncheck('#filter-errors');
    await shownCount(page, all.length);

    await page.click('#pause');
    expect(await page.textContent('#status')).toBe('paused');
    await produce('inspected', 'k4\twhile paused\n');
    await page.waitForFunction(() =>
      /\d+ waiting/.test(document.getElementById('counts')!.textContent ?? ''),
    );
    expect(await page.getAttribute('#counts', 'data-shown')).toBe(String(all.length));
    await page.click('#pause');
    await page.waitForFunction(
      (n) => Number(document.getElementById('counts')!.dataset.shown) > n,
      all.length,
    );
    expect(await page.textContent('#status')).toBe('live');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('proxy: kafkalab proxy --inspect shows a produce made through the proxy, rule and export links included', async () => {
    const proxy = spawnCli(['proxy', '--upstream', bootstrap, '--inspect']);
    others.push(proxy);
    const through = `127.0.0.1:${(await proxy.waitFor(/proxy listening on 127\.0\.0\.1:(\d+)/))[1]}`;
    const [, url] = await proxy.waitFor(INSPECTOR_READY);
    const { page, errors } = await openPage(url);
    expect(await page.textContent('#status')).toBe('live');
    const r = await runCli(['produce', '--bootstrap-server', through, '--topic', 'proxied', '--parse-key'], {
      stdin: 'pk\tthrough the proxy\n',
    });
    expect(r.code, r.stderr).toBe(0);
    const row = produceRow(page);
    await row.waitFor();
    await row.click();
    await page.waitForSelector('#records tr.record');
    expect(
      await page.$$eval('#records tr.record td:nth-child(4)', (tds) => tds.map((t) => t.textContent)),
    ).toEqual(['through the proxy']);
    await page.click('#tree .node[data-path="topicData[0].name"]');
    expect(await page.textContent('#field')).toMatch(
      /ProduceRequest v\d+: in v0-12; flexible v\d+ \(9\+\): compact length/,
    );
    expect(await page.locator('#export a').count()).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
    await proxy.stop();
  });

  it('offline: the emulator’s --record file opens with kafkalab inspect --file and lists every exchange', async () => {
    expect(await emulator.stop('SIGTERM')).toBe(0);
    const lines = readFileSync(recording, 'utf8').trim().split('\n');
    const inspect = spawnCli(['inspect', '--file', recording]);
    others.push(inspect);
    const [, url] = await inspect.waitFor(INSPECTOR_READY);
    expect(inspect.stdout()).toContain(`(${lines.length} exchanges from ${recording})`);
    const { page, errors } = await openPage(url);
    expect(await page.textContent('#status')).toBe('offline');
    await shownCount(page, lines.length);
    // Only the rows in sight are drawn: scroll to the first exchange to read the first ones.
    await page.$eval('#list', (l) => {
      l.scrollTop = 0;
    });
    await page.waitForSelector('#exchanges tbody tr[data-id="1"]');
    const apis = new Set(await column(page, 5));
    for (const api of ['ApiVersions', 'Metadata', 'Produce']) expect(apis).toContain(api);

    const row = produceRow(page);
    await row.click();
    await page.waitForSelector('#records tr.record');
    const value = (await shownRequest(page, (await row.getAttribute('data-id'))!)).spans.find(
      (s) => /records\[1\]\.value$/.test(s.path) && s.kind === 'value',
    )!;
    await page.click(`#tree .node[data-path="${value.path}"][data-offset="${value.offset}"]`);
    expect(await highlighted(page)).toEqual(range(value.offset, value.length));
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      // The picture shows the timeline too, drawn once its bars are there.
      await page.check('#show-timeline');
      await page.waitForFunction(() => Number(document.getElementById('tl-canvas')!.dataset.bars) > 0);
      await page.screenshot({ path: join(ROOT, 'docs', 'inspector.png') });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('inspect --file names the line of a malformed recording', async () => {
    const bad = join(dir, 'bad.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, `${readFileSync(recording, 'utf8').split('\n')[0]}\n{"connection":1}\n`);
    const r = await runCli(['inspect', '--file', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: line 2: "apiKey" must be an integer`);
  });
});
