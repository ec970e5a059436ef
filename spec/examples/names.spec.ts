import { describe, it, expect } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import task from '../../examples/names/task.js';
import { fitKneserNey, kneserNeyNll } from '../../examples/names/kneser-ney.js';
import { init, languageModel, logits } from '../../examples/names/model.js';
import { key, tensor, type Tensor } from '../../lib/index.js';

describe('examples/names', () => {
  it('trains tiny: loss falls, metrics finite, the run folder complete; sample, eval and predict read it back', async () => {
    const out = await mkdtemp(join(tmpdir(), 'seqgrad-names-'));
    try {
      const report = await task.train({ quick: true, seed: 0, out, progress: 'none', epochs: 3 });
      expect((await readdir(out)).sort()).toEqual(['loss.svg', 'metrics.json', 'model.safetensors', 'nll.svg', 'run.json']);
      const saved = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
      const losses = saved.epochs.map((e: { train: { loss: number } }) => e.train.loss);
      expect(losses[2]).toBeLessThan(losses[0]);
      for (const v of Object.values(report.metrics)) expect(Number.isFinite(v)).toBe(true);
      expect(saved.samples).toHaveLength(2);
      expect((await task.evaluate(out)).metrics['val.nll']).toBeCloseTo(report.metrics['val.nll']!, 4);
      expect(await task.sample!(out, { count: 3, temperature: 1, seed: 1 })).toHaveLength(3);
      expect(await task.predict(out, 'Anna')).toMatch(/^anna: \d+\.\d+ nats\/char; most likely completion: anna/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('Kneser-Ney: distributions sum to 1 and a hand-computed probability', () => {
    // corpus: "ab" and "b" with bos 0, eos 9; trigrams 00a, 0ab, ab9, 00b, 0b9
    const kn = fitKneserNey([[1, 2], [2]], 0, 9);
    for (const [u, v] of [[0, 0], [0, 1], [1, 2], [5, 5]] as const) {
      expect(kn.outcomes.reduce((s, w) => s + kn.prob(u, v, w), 0)).toBeCloseTo(1, 12);
    }
    // by hand: bigram types (v,w) seen in trigrams are 01, 12, 29, 02, so the continuation
    // counts N1+(·w) are 1, 2, 1 over a total of 4 with 3 outcomes:
    // P1(1) = (1-.75)/4 + .75·3/4·1/3 = 0.25, P1(2) = (2-.75)/4 + .1875 = 0.5
    expect(kn.prob(7, 7, 1)).toBeCloseTo(0.25, 12); // an unseen context backs off to the lowest order
    expect(kn.prob(7, 7, 2)).toBeCloseTo(0.5, 12);
    // P2(1|0) = (1-.75)/2 + .75·2/2·P1(1) = 0.3125; P(1|0,0) = (1-.75)/2 + .75·2/2·0.3125 = 0.359375
    expect(kn.prob(0, 0, 1)).toBeCloseTo(0.359375, 12);
    expect(kneserNeyNll(kn, [[1, 2]], 0, 9)).toBeGreaterThan(0);
  });

  it('the step-by-step model that generate drives gives the same logits as the whole-sequence model', () => {
    const config = { vocabSize: 7, embed: 4, hidden: 5 };
    const p = init(key(3), config);
    const ids = [1, 4, 6, 5, 2];
    const whole = logits(config, p, tensor([ids], { dtype: 'int32' }), tensor([ids.length], { dtype: 'int32' }));
    const lm = languageModel(config, p);
    let carry = lm.init(1);
    ids.forEach((id, t) => {
      let z: Tensor;
      [carry, z] = lm.step(carry, tensor([id], { dtype: 'int32' }));
      Array.from(z.data).forEach((v, j) => expect(v).toBeCloseTo(whole.data[t * 7 + j]!, 5));
    });
  });
});
