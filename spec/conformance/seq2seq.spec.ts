/**
 * The seq2seq reference files run through the conformance runner in both dtypes:
 * logits, attention weights, the mean cross-entropy and every parameter gradient
 * match PyTorch to 1e-8 relative in float64 and 1e-4 in float32. Also: the checker
 * refuses a file of its kind with an unknown attention form, naming the field.
 */
import { describe, expect, it } from 'vitest';
import { seq2seqChecker } from '../../tools/conformance/checkers/seq2seq.js';
import { runFile, runFixture, toleranceFor } from '../../tools/conformance/runner.js';
import type { Fixture } from '../../tools/conformance/types.js';
import { FIXTURES, fixtureFiles, readFixture } from '../support/fixtures.js';

const files = fixtureFiles('seq2seq');

describe('seq2seq conformance', () => {
  it('finds the reference files', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of files) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${file} in ${dtype} within ${toleranceFor(dtype)}`, () => {
        const result = runFile(`${FIXTURES}/${file}`, dtype);
        expect(result.reason, 'the checker ran').toBeUndefined();
        expect(result.ok, `${file} ${dtype}: worst ${result.worst?.error} in ${result.worst?.name}`).toBe(true);
        expect(result.worst!.error).toBeLessThanOrEqual(toleranceFor(dtype));
      });
    }
  }

  it('compares logits, the attention weights, the loss and every gradient', () => {
    const fixture = readFixture('seq2seq/gru_luong_attention.json') as Fixture;
    const names = seq2seqChecker.check(fixture, 'float64').map((c) => c.name);
    expect(names).toContain('outputs.logits');
    expect(names).toContain('outputs.attention');
    expect(names).toContain('loss');
    for (const p of Object.keys(fixture.params!)) expect(names).toContain(`grads.${p}`);
  });

  it('fails a perturbed reference and refuses an unknown attention form by name', () => {
    const fixture = readFixture('seq2seq/gru_teacher_forcing.json') as Fixture;
    const off = { ...fixture, loss: fixture.loss! * (1 + 1e-6) };
    const result = runFixture(off, 'perturbed', 'float64');
    expect(result.ok).toBe(false);
    expect(result.worst!.name).toBe('loss');
    const odd = { ...fixture, config: { ...fixture.config, attention: 'cosine' } };
    expect(runFixture(odd, 'odd', 'float64').reason).toMatch(/config.attention "cosine" is not one of/);
  });
});
