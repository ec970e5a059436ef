/**
 * The browser demo in a real headless Chromium (npm run test:browser): builds the page
 * with tools/build-demo.mjs, serves it with tools/serve-demo.mjs (the cross-origin
 * isolation headers included), opens it with playwright-core, trains in the page's
 * Web Worker for a few seconds and checks, from numbers the page keeps in data
 * attributes, that the worker runs the WebAssembly backend, the loss falls and
 * samples appear; downloads the model and decodes it in Node; loads a model file
 * saved in Node and checks the page's samples are the ones Node draws from it; fails
 * on any console error of the page or its worker; and saves a screenshot.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildVocab, decodeModel, key, vocabFromJson } from '../../lib/index.js';
import { saveModel } from '../../lib/io/node.js';
import { loadNames, toBatch } from '../../examples/names/data.js';
import { init, lossOf, sampleNames, type Config, type Params } from '../../examples/names/model.js';
import { DEMO_CONFIG, DOWNLOAD_NAME, LOADED_SAMPLES } from '../../examples/browser/protocol.js';
import { findChromium } from './chromium.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOT = join(ROOT, '.tmp', 'browser', 'demo.png');
/** How long the page trains before the loss is read. */
const TRAIN_SECONDS = 6;

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let work: string;
let url: string;
const consoleErrors: string[] = [];

/** Starts tools/serve-demo.mjs on a free port; resolves with the address it prints. */
const startServer = (): Promise<string> => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [join(ROOT, 'tools', 'serve-demo.mjs'), '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  let output = '';
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(output)?.[0];
    if (url !== undefined) resolve(url);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.once('exit', (code) => reject(new Error(`tools/serve-demo.mjs exited with ${code} before serving:\n${output}`)));
});

/** The status of a GET of `path` sent as it is (no URL normalisation, unlike fetch). */
const rawStatus = (path: string): Promise<number> => new Promise((resolve, reject) => {
  get(new URL(url), { path }, (res) => {
    res.resume();
    resolve(res.statusCode ?? 0);
  }).on('error', reject);
});

/** A number from a data attribute of `selector`. */
const dataNumber = async (selector: string, name: string): Promise<number> => Number(await page.getAttribute(selector, `data-${name}`));

const listed = (selector: string): Promise<string[]> => page.locator(`${selector} li`).allTextContents();

beforeAll(async () => {
  const executablePath = findChromium();
  work = mkdtempSync(join(tmpdir(), 'seqgrad-browser-'));
  execFileSync(process.execPath, [join(ROOT, 'tools', 'build-demo.mjs')], { cwd: ROOT, stdio: 'pipe' });
  url = await startServer();
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  // a worker's console messages reach the page's console event too
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.worker() === null ? 'page' : 'worker'}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('#backend[data-backend]', { timeout: 30_000 });
});

afterAll(async () => {
  await browser?.close();
  server?.kill();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the browser demo in headless Chromium', () => {
  it('is served with the cross-origin isolation headers, and nothing outside its folder', async () => {
    for (const file of ['', 'ui.js', 'worker.js']) {
      const res = await fetch(new URL(file, url));
      expect(res.status).toBe(200);
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    }
    expect(await rawStatus('/%2e%2e/package.json')).toBe(403);
    expect(await rawStatus('/no-such-file.js')).toBe(404);
  });

  it('runs its worker on the WebAssembly backend, on a cross-origin isolated page', async () => {
    expect(await page.getAttribute('#backend', 'data-backend')).toBe('wasm');
    expect(await page.getAttribute('#isolated', 'data-isolated')).toBe('true');
  });

  it(`trains for ${TRAIN_SECONDS} s: the loss falls and sampled names appear`, async () => {
    await page.click('#train');
    await page.waitForTimeout(TRAIN_SECONDS * 1000);
    // at least two rounds of samples (every 25 steps), however slow the machine
    // (a string: it runs in the page, and this file is compiled without the DOM's types)
    await page.waitForFunction('Number(document.querySelector("#samples")?.dataset.step) >= 50', null, { timeout: 60_000 });
    await page.click('#train');
    await page.waitForSelector('#status:has-text("stopped at step")');
    const steps = await dataNumber('#loss-summary', 'steps');
    const initial = await dataNumber('#loss-summary', 'initial');
    const first = await dataNumber('#loss-summary', 'first');
    const recent = await dataNumber('#loss-summary', 'recent');
    const seconds = await dataNumber('#loss-summary', 'seconds');
    console.log(`browser: ${steps} steps in ${seconds.toFixed(1)} s of training; loss ${initial.toFixed(3)} at step 1, ${first.toFixed(3)} over the first 10 steps, ${recent.toFixed(3)} over the last 10`);
    expect(steps).toBeGreaterThanOrEqual(50);
    // an untrained model scores about ln(vocabulary size) = ln 31 = 3.43 nats per character;
    // a few seconds of Adam take off more than 0.3 even from the mean of the first 10 steps
    expect(initial).toBeGreaterThan(3.2);
    expect(recent).toBeLessThan(first - 0.3);
    const names = await listed('#samples');
    expect(names).toHaveLength(8);
    const letters = new Set(loadNames(0).train.join(''));
    expect(names.filter((n) => n !== '(empty)').join('').split('').filter((ch) => !letters.has(ch))).toEqual([]);
    expect(names.filter((n) => n !== '(empty)').length).toBeGreaterThanOrEqual(6);
  });

  it('downloads the trained model as encodeModel bytes that decodeModel reads in Node', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe(DOWNLOAD_NAME);
    const file = join(work, DOWNLOAD_NAME);
    await download.saveAs(file);
    const data = loadNames(0);
    const config: Config = { vocabSize: data.vocab.size, ...DEMO_CONFIG };
    const saved = decodeModel<Params>(new Uint8Array(readFileSync(file)), { template: init(key(0), config), source: file });
    expect(saved.checked).toBe(true);
    expect(saved.config).toEqual(config);
    expect(vocabFromJson(saved.vocab).tokens).toEqual(data.vocab.tokens);
    // trained, not fresh: held-out names score better than under the initial parameters
    const batch = toBatch(data.vocab, data.validation.slice(0, 256));
    const trained = lossOf(config)(saved.params, batch).loss.item();
    const fresh = lossOf(config)(init(key(1), config), batch).loss.item();
    console.log(`downloaded model: held-out NLL ${trained.toFixed(3)} nats/char against ${fresh.toFixed(3)} untrained`);
    expect(trained).toBeLessThan(fresh - 0.3);
  });

  it('says what is wrong with a file that is not a model', async () => {
    const file = join(work, 'notes.safetensors');
    writeFileSync(file, 'not a model file');
    await page.setInputFiles('#model-file', file);
    const status = page.locator('#status.error');
    await status.waitFor();
    const message = (await status.textContent())!;
    expect(message).toMatch(/^safetensors: notes\.safetensors: .*not safetensors/);
    // the page reports it on the console as an error, as it should: that one is expected
    const expected = consoleErrors.findIndex((e) => e.startsWith(`page: ${message}`));
    expect(expected).toBeGreaterThanOrEqual(0);
    consoleErrors.splice(expected, 1);
  });

  it('loads a model file saved in Node and shows the names Node samples from it', async () => {
    // a model only Node could have made: its vocabulary has three letters, none the names' own order
    const vocab = buildVocab(['zyx']);
    const config: Config = { vocabSize: vocab.size, embed: 5, hidden: 7 };
    const params = init(key(42), config);
    const file = join(work, 'node-model.safetensors');
    await saveModel(file, { params, config: { ...config }, vocab });
    await page.setInputFiles('#model-file', file);
    await page.waitForSelector('#loaded-samples li');
    expect(JSON.parse((await page.getAttribute('#loaded-info', 'data-config'))!)).toEqual(config);
    const { count, temperature, seed } = LOADED_SAMPLES;
    const expected = sampleNames(config, params, vocab, count, temperature, seed).map((n) => (n === '' ? '(empty)' : n));
    const shown = await listed('#loaded-samples');
    expect(shown).toEqual(expected);
    expect(shown.filter((n) => n !== '(empty)').join('')).toMatch(/^[xyz]+$/);
  });

  it('saves a screenshot, with no console error from the page or its worker', async () => {
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`screenshot: ${relative(process.cwd(), SCREENSHOT)}`);
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
    expect(consoleErrors).toEqual([]);
  });
});
