/**
 * The demo page: starts the training worker, draws the loss chart as steps arrive,
 * lists the names sampled as the model learns, downloads the model the worker holds
 * (`encodeModel` bytes, the format `saveModel` writes in Node) and passes a model file
 * the user picks to the worker, which samples from it. The page itself runs no
 * seqgrad code, so its thread stays free for drawing; the numbers the browser test
 * reads are kept in data attributes.
 */
import { drawLossChart } from './chart.js';
import { DEMO_TRAINING, DOWNLOAD_NAME, type FromWorker, type ToWorker } from './protocol.js';

const $ = <T extends Element>(selector: string): T => {
  const e = document.querySelector<T>(selector);
  if (e === null) throw new Error(`the page has no ${selector}`);
  return e;
};

const ui = {
  backend: $<HTMLElement>('#backend'),
  isolated: $<HTMLElement>('#isolated'),
  status: $<HTMLElement>('#status'),
  train: $<HTMLButtonElement>('#train'),
  download: $<HTMLButtonElement>('#download'),
  file: $<HTMLInputElement>('#model-file'),
  chart: $<SVGSVGElement>('#loss-chart'),
  summary: $<HTMLElement>('#loss-summary'),
  samples: $<HTMLOListElement>('#samples'),
  samplesStep: $<HTMLElement>('#samples-step'),
  loadedInfo: $<HTMLElement>('#loaded-info'),
  loadedSamples: $<HTMLOListElement>('#loaded-samples'),
};

const losses: number[] = [];
let running = false;
let redraw = false;

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

const showSummary = (seconds: number): void => {
  const first = mean(losses.slice(0, 10));
  const recent = mean(losses.slice(-10));
  Object.assign(ui.summary.dataset, { steps: String(losses.length), initial: String(losses[0]), first: String(first), recent: String(recent), seconds: String(seconds) });
  ui.summary.textContent = `step ${losses.length}: loss ${recent.toFixed(3)} nats per character (mean of the last 10 steps; the first 10: ${first.toFixed(3)}), ${seconds.toFixed(1)} s of training`;
  if (!redraw) {
    redraw = true;
    requestAnimationFrame(() => {
      redraw = false;
      drawLossChart(ui.chart, losses);
    });
  }
};

const showNames = (list: HTMLOListElement, names: readonly string[]): void => {
  list.replaceChildren(...names.map((n) => Object.assign(document.createElement('li'), { textContent: n === '' ? '(empty)' : n })));
};

const setStatus = (message: string, isError = false): void => {
  ui.status.textContent = message;
  ui.status.classList.toggle('error', isError);
  if (isError) console.error(message);
};

// built from worker.ts into worker.js beside this page's script (tools/build-demo.mjs)
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (message: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(message, transfer);

const saveFile = (bytes: ArrayBuffer): void => {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: DOWNLOAD_NAME });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  setStatus(`downloaded ${DOWNLOAD_NAME} (${bytes.byteLength.toLocaleString()} bytes) at step ${losses.length}`);
};

const handlers: { [K in FromWorker['type']]: (m: Extract<FromWorker, { type: K }>) => void } = {
  ready: (m) => {
    ui.backend.textContent = m.backend === 'wasm' ? 'WebAssembly (wasm)' : `${m.backend} (not WebAssembly)`;
    ui.backend.dataset['backend'] = m.backend;
    ui.train.disabled = false;
    ui.download.disabled = false;
    setStatus(`ready: ${m.trainNames.toLocaleString()} training names, ${m.vocabSize} tokens, ${m.parameters.toLocaleString()} parameters; Adam at ${DEMO_TRAINING.lr}, batches of ${DEMO_TRAINING.batch}`);
  },
  step: (m) => {
    losses.push(m.loss);
    showSummary(m.seconds);
  },
  samples: (m) => {
    showNames(ui.samples, m.names);
    ui.samples.dataset['step'] = String(m.step);
    ui.samplesStep.textContent = `after step ${m.step}`;
  },
  stopped: (m) => setStatus(`stopped at step ${m.step}`),
  model: (m) => saveFile(m.bytes),
  loaded: (m) => {
    ui.loadedInfo.textContent = `${m.name}: ${Object.entries(m.config).map(([k, v]) => `${k} ${v}`).join(', ')}`;
    ui.loadedInfo.dataset['config'] = JSON.stringify(m.config);
    showNames(ui.loadedSamples, m.names);
    setStatus(`loaded ${m.name}`);
  },
  error: (m) => {
    if (m.trainingStopped) {
      running = false;
      ui.train.textContent = 'Train';
    }
    setStatus(m.message, true);
  },
};

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  (handlers[m.type] as (message: FromWorker) => void)(m);
};
worker.onerror = (event) => setStatus(`the worker failed: ${event.message}`, true);

ui.train.addEventListener('click', () => {
  running = !running;
  send({ type: running ? 'train' : 'stop' });
  ui.train.textContent = running ? 'Stop' : 'Train';
  if (running) setStatus('training…');
});
ui.download.addEventListener('click', () => send({ type: 'export' }));
ui.file.addEventListener('change', () => {
  const file = ui.file.files?.[0];
  if (file === undefined) return;
  setStatus(`reading ${file.name}…`);
  ui.file.value = ''; // so that picking the same file again loads it again
  file.arrayBuffer().then((bytes) => send({ type: 'load', name: file.name, bytes }, [bytes]), (e: unknown) => setStatus(`cannot read ${file.name}: ${String(e)}`, true));
});

ui.isolated.textContent = crossOriginIsolated ? 'yes (shared memory available)' : 'no';
ui.isolated.dataset['isolated'] = String(crossOriginIsolated);
drawLossChart(ui.chart, losses);
