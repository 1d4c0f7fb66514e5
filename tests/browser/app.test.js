// The web app in real headless Chromium (Debian's `chromium`, driven by
// playwright-core). scripts/browser-check.sh serves the seeds and runs this
// with UNSPUN_URL, UNSPUN_TOKEN and SCREENSHOTS (where to save pictures).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const url = process.env.UNSPUN_URL;
const token = process.env.UNSPUN_TOKEN;
const shots = process.env.SCREENSHOTS;
const REWRITE = '000_8f16aa07f174a1e7';
const REUTERS = '003_741671edce2820d1';
assert.ok(url && token && shots, 'UNSPUN_URL, UNSPUN_TOKEN and SCREENSHOTS must be set');

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); });

async function newPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  // Any script the page runs that raises a dialog is a failure.
  page.on('dialog', (d) => { throw new Error(`a dialog opened: ${d.message()}`); });
  return page;
}

test('the seeds page: colours match the JSON, and shows the misquotes, Kyiv -> Ukraine, the dropped sentence and the missing credit', async () => {
  const trace = await (await fetch(`${url}/v1/articles/${REWRITE}/trace`)).json();
  const page = await newPage();
  await page.goto(`${url}/check?id=${REWRITE}`);
  const spans = await page.$$eval('.article span.s', (els) => els.map((e) => e.dataset.reuse));
  assert.equal(spans.length, trace.sentences.length, 'one coloured span per sentence');
  const newCount = trace.sentences.filter((s) => s.source === null).length;
  assert.equal(spans.filter((c) => c === 'new').length, newCount, 'new sentences');
  // The rewrite does not credit Reuters: every reused sentence says so.
  const reused = spans.filter((c) => c !== 'new');
  assert.ok(reused.length > 0);
  assert.ok(reused.every((c) => c.endsWith('-uncredited')), `classes: ${[...new Set(reused)]}`);
  // The legend counts what the spans show.
  const legend = await page.$$eval('.legend span', (els) => els.map((e) => [e.dataset.reuse, Number(e.dataset.count)]));
  for (const [cls, n] of legend) {
    assert.equal(spans.filter((c) => c === cls).length, n, `legend ${cls}`);
  }
  const text = await page.textContent('body');
  assert.ok(text.includes('no credit to Reuters'));
  assert.equal(await page.locator('ul.changes li b', { hasText: 'quote_altered' }).count(), 3, 'three misquotes');
  assert.ok(text.includes('"Kyiv" became "Ukraine"'));
  assert.ok(await page.locator('ul.changes li b', { hasText: 'sentence_dropped' }).count() >= 1);
  await page.screenshot({ path: `${shots}/app-check-seeds.png` });
  await page.close();
});

test('a text file loaded in the check form is checked', async () => {
  const page = await newPage();
  await page.goto(`${url}/`);
  const rewrite = (await (await fetch(`${url}/v1/articles/${REWRITE}`)).json()).text;
  await page.setInputFiles('#file', { name: 'rewrite.txt', mimeType: 'text/plain', buffer: Buffer.from(rewrite) });
  await page.waitForFunction(() => document.querySelector('textarea[name=text]').value.length > 100);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/check"][method="post"] button')]);
  assert.ok((await page.textContent('.cards')).includes(REWRITE), 'the stored copy is found');
  await page.close();
});

test('a source card opens its side by side, and n steps to a change', async () => {
  const page = await newPage();
  await page.goto(`${url}/check?id=${REWRITE}`);
  await page.click(`.card[data-source="${REUTERS}"] h3 a`);
  assert.ok(page.url().endsWith('#src0'), page.url());
  const box = await page.locator('#src0').boundingBox();
  assert.ok(box && box.y > -2 && box.y < 1400, `the table is in view: ${JSON.stringify(box)}`);
  await page.keyboard.press('n');
  assert.equal(await page.locator('ul.changes li.current').count(), 1);
  await page.keyboard.press('n');
  await page.keyboard.press('p');
  assert.equal(await page.locator('ul.changes li.current').count(), 1);
  await page.screenshot({ path: `${shots}/app-side-by-side.png` });
  await page.close();
});

test('hostile article text stays inert', async () => {
  const page = await newPage();
  await page.goto(`${url}/`);
  const rewrite = (await (await fetch(`${url}/v1/articles/${REWRITE}`)).json()).text;
  const hostile = '<script>window.__pwned = 1; alert(1)</script><img src=x onerror="window.__pwned = 2">';
  await page.fill('textarea[name=text]', `${rewrite}\n\n${hostile} was in the text.`);
  await page.fill('input[name=title]', hostile);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/check"] button')]);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran');
  assert.equal(await page.locator('.article img').count(), 0, 'no element was made from the text');
  assert.ok((await page.textContent('h1')).includes('<script>'), 'the title shows as text');
  await page.close();
});

test('review: a verdict recorded in the queue is kept and shown in the trace', async () => {
  const page = await newPage();
  await page.goto(`${url}/review`);
  const row = page.locator(`tr[data-pair="${REWRITE} ${REUTERS}"]`);
  assert.equal(await row.count(), 1, 'the uncredited rewrite is in the queue');
  await page.fill('#token', token);
  await row.locator('select[name=verdict]').selectOption('confirmed');
  await row.locator('input[name=reason]').fill('read both: an uncredited rewrite');
  await row.locator('button').click();
  await page.waitForSelector(`tr[data-pair="${REWRITE} ${REUTERS}"] output.ok`);
  const verdicts = await (await fetch(`${url}/v1/pairs/${REWRITE}/${REUTERS}/verdicts`)).json();
  assert.equal(verdicts.current.verdict, 'confirmed');
  assert.equal(verdicts.current.reason, 'read both: an uncredited rewrite');
  // Reviewed pairs leave the queue; the trace shows the verdict.
  await page.waitForLoadState('load');
  await page.goto(`${url}/review`);
  assert.equal(await page.locator(`tr[data-pair="${REWRITE} ${REUTERS}"]`).count(), 0);
  await page.goto(`${url}/check?id=${REWRITE}`);
  assert.ok((await page.textContent('.cards')).includes('review: confirmed'));
  // A wrong token is refused, and the page says so.
  await page.goto(`${url}/review`);
  await page.fill('#token', 'not-the-token');
  await page.fill('input[name=outlet]', 'Partner Daily');
  await page.fill('form[data-path-prefix] input[name=reason]', 'contract');
  await page.click('form[data-path-prefix] button');
  await page.waitForSelector('form[data-path-prefix] output.error');
  assert.ok((await page.textContent('form[data-path-prefix] output')).startsWith('401'));
  await page.close();
});

test('story: the derivation graph on a time axis, an arrow opens its side by side', async () => {
  const page = await newPage();
  await page.goto(`${url}/stories/${REWRITE}`);
  const edge = page.locator(`line.edge[data-derived="${REWRITE}"][data-source="${REUTERS}"]`);
  assert.equal(await edge.count(), 1);
  await page.locator('svg.story').screenshot({ path: `${shots}/app-story-seeds.png` });
  await Promise.all([page.waitForNavigation(), edge.click({ force: true })]);
  assert.ok(page.url().includes(`/check?id=${REWRITE}&source=${REUTERS}`), page.url());
  assert.ok(page.url().endsWith('#src0'), page.url());
  await page.close();
});

test('watches: made, tested and deleted in the page', async () => {
  const page = await newPage();
  await page.goto(`${url}/watches`);
  await page.fill('#token', token);
  await page.fill('form[data-path="/v1/watches"] input[name=name]', 'Seeds desk');
  await page.fill('form[data-path="/v1/watches"] input[name=outlet]', 'Reuters');
  await page.fill('form[data-path="/v1/watches"] input[name=url]', `${url}/nowhere`);
  await page.click('form[data-path="/v1/watches"] button');
  await page.waitForSelector('form[data-path="/v1/watches"] output.ok');
  const shown = await page.textContent('form[data-path="/v1/watches"] output');
  assert.match(shown, /whsec_/, 'the secret is shown once');
  const list = await (await fetch(`${url}/v1/watches`)).json();
  const made = list.watches.find((w) => w.rules.name === 'Seeds desk');
  assert.ok(made, JSON.stringify(list));
  assert.deepEqual(made.rules.relations, ['copy', 'rewrite', 'partial']);
  // Reads show a webhook URL cut to its scheme and host (it may be a credential).
  assert.equal(made.rules.webhook.url, `${url}/…`);
  await page.goto(`${url}/watches`);
  await page.click(`form[data-path="/v1/watches/${made.id}/test"] button`);
  await page.waitForSelector(`form[data-path="/v1/watches/${made.id}/test"] output.ok`);
  const deliveries = await (await fetch(`${url}/v1/watches/${made.id}/deliveries`)).json();
  assert.equal(deliveries.deliveries.length, 1, 'the test send is logged');
  await page.click(`form[data-path="/v1/watches/${made.id}"][data-method="DELETE"] button`);
  await page.waitForSelector(`form[data-path="/v1/watches/${made.id}"][data-method="DELETE"] output.ok`);
  assert.equal((await fetch(`${url}/v1/watches/${made.id}`)).status, 404);
  await page.close();
});

test('a watch made through the API is listed with its feed', async () => {
  const res = await fetch(`${url}/v1/watches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'Reuters pickups', outlet: 'Reuters' }),
  });
  assert.equal(res.status, 201);
  const page = await newPage();
  await page.goto(`${url}/watches`);
  assert.ok((await page.textContent('body')).includes('Reuters pickups'));
  const feed = await page.getAttribute('a:has-text("Atom feed")', 'href');
  const atom = await (await fetch(`${url}${feed}`)).text();
  assert.ok(atom.includes('<feed'), atom);
  await page.close();
});
