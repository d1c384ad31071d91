/**
 * The inspector's views beyond the list, in chromium, fed directly with exchanges made here: the
 * per-connection timeline (one lane per connection, a bar per exchange from request to response, a
 * click opens it), the labels of compressed and control record batches (codec and both sizes, the
 * COMMIT marker), and record values switched between text and hex.
 */

import { Kafka, logLevel } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/start-emulator.js';
import { inspectFeed, inspectLive } from '../../src/inspector/index.js';
import type { Inspector } from '../../src/inspector/server.js';
import { encodeRequestFrame } from '../../src/protocol/frame.js';
import { apiByName } from '../../src/protocol/messages/index.js';
import { encodeControlBatch, encodeRecordBatch } from '../../src/protocol/records/batch-encoder.js';
import type { TraceEntry } from '../../src/trace/entry.js';
import { launchChromium, metadataEntry, PAGE_DIR } from './support.js';

let browser: Browser;
const open: Inspector[] = [];

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const i of open) await i.close();
});

async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]');
  return { page, errors };
}

/** A transactional-looking Produce: a gzip batch of five records, then a COMMIT marker batch. */
function produceEntry(correlationId: number, receivedAt: number): TraceEntry {
  const produce = apiByName('Produce')!;
  const gzip = encodeRecordBatch({
    compression: 'gzip',
    records: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(50) })),
  });
  const marker = encodeControlBatch({ type: 'commit', producerId: 7n, producerEpoch: 1 });
  const frame = encodeRequestFrame({
    api: produce,
    version: 9,
    correlationId,
    clientId: 'producer',
    body: {
      transactionalId: null,
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: Buffer.concat([gzip, marker]) }] }],
    },
  } as any);
  return {
    connection: 9,
    remote: '127.0.0.1:50009',
    clientId: 'producer',
    apiKey: produce.apiKey,
    api: produce.name,
    version: 9,
    correlationId,
    receivedAt,
    latencyMs: 400,
    outcome: 'no-response',
    errorCodes: [],
    request: frame,
  };
}

describe('inspector views (chromium)', () => {
  it('timeline: a lane per connection, a bar per exchange as long as its latency; a click on a bar opens it', async () => {
    const feed = await inspectFeed('views', { pageDir: PAGE_DIR });
    open.push(feed);
    const t0 = Date.now() - 5000;
    // Three connections, an exchange every 100 ms each, 40 ms latency; one slow one of 800 ms.
    for (let i = 0; i < 30; i++) {
      const e = metadataEntry(i, 1 + (i % 3));
      feed.add({ ...e, receivedAt: t0 + i * 100, latencyMs: i === 20 ? 800 : 40 });
    }
    const { page, errors } = await openPage(feed.url);
    await page.waitForFunction(() => document.getElementById('counts')!.dataset.kept === '30');
    expect(await page.isHidden('#timeline')).toBe(true);
    await page.check('#show-timeline');
    await page.waitForFunction(() => document.getElementById('tl-canvas')!.dataset.bars === '30');
    const d = await page.$eval('#tl-canvas', (c) => ({ ...(c as HTMLElement).dataset }));
    expect(d.lanes).toBe('1,2,3');
    expect(await page.textContent('#tl-note')).toBe('30 exchanges on 3 connections');
    // The slow exchange (#21, connection 3): click the middle of its bar, 400 ms after it started.
    const msPerPx = Number(d.msPerPx);
    const x = Number(d.gutter) + (t0 + 20 * 100 + 400 - Number(d.start)) / msPerPx;
    const y = Number(d.axis) + 2 * Number(d.laneHeight) + Number(d.laneHeight) / 2;
    // 400 ms into an 800 ms bar is past every 40 ms neighbour on that lane (they are 300 ms apart).
    await page.click('#tl-canvas', { position: { x, y } });
    await page.waitForSelector('#tree .node');
    expect(await page.textContent('#frame-title')).toMatch(
      /^Metadata v12 request, conn#3, correlation id 20,/,
    );
    // The tutorial chapter on the selected API, English then Korean, as the docs have it.
    await page.waitForSelector('#tutorial[data-found="1"]');
    expect(await page.textContent('#tutorial-title')).toBe('docs/tutorial.md — 3. The listeners lesson');
    expect(await page.textContent('#tutorial-text')).toMatch(/^## 3\. The listeners lesson\n/);
    await page.click('#tutorial summary');
    await page.selectOption('#tutorial-lang', 'ko');
    await page.waitForFunction(() =>
      document.getElementById('tutorial-title')!.textContent!.startsWith('docs/tutorial.ko.md'),
    );
    expect(await page.textContent('#tutorial-text')).toMatch(/^## 3\. /);
    // A click in an empty lane opens nothing new.
    await page.click('#tl-canvas', { position: { x: Number(d.gutter) - 20, y } });
    expect(await page.textContent('#frame-title')).toMatch(/correlation id 20,/);
    // Filters apply to the timeline too.
    await page.selectOption('#filter-connection', '2');
    await page.waitForFunction(() => document.getElementById('tl-canvas')!.dataset.lanes === '2');
    expect(await page.getAttribute('#tl-canvas', 'data-bars')).toBe('10');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('record batches: a gzip batch shows its codec and both sizes, a control batch its COMMIT marker; values switch to hex', async () => {
    const feed = await inspectFeed('batches', { pageDir: PAGE_DIR });
    open.push(feed);
    const id = feed.hub.add(produceEntry(3, Date.now()));
    feed.hub.add({ ...metadataEntry(4), apiKey: 57, api: 'UpdateFeatures' });
    const { page, errors } = await openPage(feed.url);
    await page.click(`#exchanges tbody tr[data-id="${id}"]`);
    await page.waitForSelector('#records tr.batch');
    const detail = await page.evaluate(async (i) => (await fetch(`/api/exchanges/${i}`)).json(), id);
    const [gzip, control] = detail.request.batches;
    expect(gzip).toMatchObject({ compression: 'gzip', records: 5 });
    // The records part as sent is smaller than what it inflates to: five 50-byte values.
    expect(gzip.compressedBytes).toBeLessThan(gzip.uncompressedBytes);
    expect(gzip.uncompressedBytes).toBeGreaterThan(5 * 50);
    expect(control).toMatchObject({
      control: 'commit',
      transactional: true,
      producerId: 7,
      producerEpoch: 1,
    });
    const labels = await page.$$eval('#records tr.batch', (trs) => trs.map((t) => t.textContent));
    expect(labels[0]).toContain(
      `batch 0 gzip: ${gzip.compressedBytes} → ${gzip.uncompressedBytes} bytes, 5 records @${gzip.offset}+${gzip.length}`,
    );
    expect(labels[1]).toContain('batch 1 control batch: COMMIT marker (producer 7 epoch 1)');
    // The same words on the batch nodes of the tree.
    expect(
      await page.textContent(
        '#tree .node[data-path="topicData[0].partitionData[0].records.batches[1]"] .badge',
      ),
    ).toBe('control batch: COMMIT marker (producer 7 epoch 1)');
    const valueColumn = () =>
      page.$$eval('#records tr.record td:nth-child(4)', (tds) => tds.map((t) => t.textContent));
    const values = await valueColumn();
    expect(values.slice(0, 5)).toEqual(Array(5).fill('v'.repeat(50)));
    expect(values[5]).toBe('COMMIT marker (coordinatorEpoch 0)');
    await page.check('#records-bar input[value="hex"]');
    const hex = await valueColumn();
    expect(hex[0]).toBe(Array(50).fill('76').join(' '));
    expect(await page.$$eval('#records tr.record td:nth-child(3)', (t) => t[0].textContent)).toBe('6b 30');
    await page.check('#records-bar input[value="text"]');
    expect((await valueColumn())[0]).toBe('v'.repeat(50));
    // An API without a chapter says so.
    await page.click(`#exchanges tbody tr[data-id="${id + 1}"]`);
    await page.waitForSelector('#tutorial[data-found="0"][data-api="UpdateFeatures"]');
    expect(await page.textContent('#tutorial-title')).toBe(
      'the tutorial has no chapter on UpdateFeatures yet',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('state: the emulator’s topics and partitions (log start, high watermark, LSO, log end) drawn as a table', async () => {
    const emulator = await startEmulator({ port: 0, topics: [{ name: 'orders', partitions: 2 }] });
    const live = await inspectLive(emulator.hooks, 'state', {
      pageDir: PAGE_DIR,
      state: () => emulator.inspectState(),
    });
    try {
      process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
      const producer = new Kafka({ brokers: [emulator.bootstrap], logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      await producer.send({
        topic: 'orders',
        messages: ['a', 'b', 'c'].map((value) => ({ value, partition: 0 })),
      });
      await producer.disconnect();
      const snapshot = emulator.inspectState();
      expect(
        snapshot.topics.find((t) => t.name === 'orders')!.partitions.map((p) => p.highWatermark),
      ).toEqual([3, 0]);

      const { page, errors } = await openPage(live.url);
      await page.check('#show-state');
      await page.waitForSelector('#state-topics tbody tr');
      const rows = await page.$$eval('#state-topics tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent)),
      );
      expect(rows.filter((r) => r[0] === 'orders')).toEqual([
        ['orders', '0', '0', '3', '3', '3'],
        ['orders', '1', '0', '0', '0', '0'],
      ]);
      expect(await page.textContent('#state-groups')).toBe('no groups');
      expect(await page.textContent('#state-transactions')).toBe('no transactions');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await live.close();
      await emulator.stop();
    }
  });
});
