/**
 * The description's codec and checks: defaults filled in, every bad field named with
 * its path, unknown keys refused rather than dropped, sizes that must agree, a GRU's
 * convention refused on other kinds, and the LSTM projection refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { SeqgradError } from '../../lib/index.js';
import { OnnxDescriptionCodec } from '../../lib/onnx/index.js';
import { resolveDescription } from '../../lib/onnx/description.js';

const refusal = (value: unknown): string => {
  try {
    resolveDescription('exportOnnx', value);
  } catch (e) {
    expect(e).toBeInstanceOf(SeqgradError);
    return (e as Error).message;
  }
  throw new Error('the description was accepted');
};

describe('resolveDescription', () => {
  it('fills the defaults: one layer, one direction, biases, tanh, batch-first, a head with a bias', () => {
    const d = resolveDescription('exportOnnx', { rnn: { kind: 'RNN', inputSize: 2, hiddenSize: 3 }, head: { outputSize: 4 } });
    expect(d.rnn).toMatchObject({ kind: 'RNN', numLayers: 1, directions: 1, bias: true, nonlinearity: 'tanh', projSize: 0 });
    expect(d.batchFirst).toBe(true);
    expect(d.embed).toBeNull();
    expect(d.head).toEqual({ inputSize: 3, outputSize: 4, bias: true });
  });

  it("sizes the head's input by both directions", () => {
    const d = resolveDescription('exportOnnx', { rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 3, bidirectional: true }, head: { outputSize: 1, bias: false } });
    expect(d.head).toEqual({ inputSize: 6, outputSize: 1, bias: false });
  });

  it("gives a GRU PyTorch's reset-after convention unless it asks for reset-before, and RNN and LSTM none", () => {
    expect(resolveDescription('exportOnnx', { rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 3 } }).rnn.convention).toBe('reset-after');
    expect(resolveDescription('exportOnnx', { rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 3, convention: 'reset-before' } }).rnn.convention).toBe('reset-before');
    expect(resolveDescription('exportOnnx', { rnn: { kind: 'LSTM', inputSize: 2, hiddenSize: 3 } }).rnn.convention).toBeNull();
  });

  it('accepts dropout, which inference ignores', () => {
    expect(resolveDescription('exportOnnx', { rnn: { kind: 'LSTM', inputSize: 2, hiddenSize: 3, numLayers: 2, dropout: 0.2 } }).rnn.dropout).toBe(0.2);
  });

  it('survives JSON: the codec takes what JSON.parse gives back', () => {
    const d = { embed: { vocabSize: 5, dim: 2 }, rnn: { kind: 'LSTM', inputSize: 2, hiddenSize: 3 }, head: { outputSize: 5 }, batchFirst: false };
    expect(OnnxDescriptionCodec.is(JSON.parse(JSON.stringify(d)))).toBe(true);
    expect(OnnxDescriptionCodec.is({ ...d, extra: 1 })).toBe(false);
    expect(OnnxDescriptionCodec.is({ ...d, rnn: { ...d.rnn, kind: 'lstm' } })).toBe(false);
    const gruBefore = { rnn: { kind: 'GRU', inputSize: 2, hiddenSize: 3, convention: 'reset-before' } };
    expect(OnnxDescriptionCodec.is(JSON.parse(JSON.stringify(gruBefore)))).toBe(true);
    expect(OnnxDescriptionCodec.is({ rnn: { ...gruBefore.rnn, convention: 'before' } })).toBe(false);
  });
});

describe('bad descriptions are named by field', () => {
  const rnn = { kind: 'RNN', inputSize: 2, hiddenSize: 3 };
  it.each([
    ['not an object', null, 'exportOnnx: description: (root): expected an ONNX model description { rnn, embed?, head?, batchFirst? }, got null'],
    ['no rnn', {}, 'description: rnn: expected a recurrent module { kind, inputSize, hiddenSize, ... }, got nothing (field missing)'],
    ['an unknown kind', { rnn: { ...rnn, kind: 'Elman' } }, 'description: rnn.kind: expected "RNN" | "LSTM" | "GRU", got "Elman"'],
    ['a fractional size', { rnn: { ...rnn, hiddenSize: 2.5 } }, 'description: rnn.hiddenSize: expected a positive integer, got 2.5'],
    ['a missing size', { rnn: { kind: 'GRU', inputSize: 2 } }, 'description: rnn.hiddenSize: expected a positive integer, got nothing (field missing)'],
    ['a misspelt key', { rnn: { ...rnn, batch_first: true } }, 'description: rnn.batch_first: expected no such field (known: kind, inputSize'],
    ['an unknown part', { rnn, dense: { outputSize: 2 } }, 'description: dense: expected no such field (known: rnn, embed, head, batchFirst)'],
    ['a bad nonlinearity', { rnn: { ...rnn, nonlinearity: 'gelu' } }, 'description: rnn.nonlinearity: expected "tanh" | "relu", got "gelu"'],
    ['a non-boolean batchFirst', { rnn, batchFirst: 'yes' }, 'description: batchFirst: expected boolean, got "yes"'],
    ['a bad embedding', { rnn, embed: { vocabSize: 0, dim: 2 } }, 'description: embed.vocabSize: expected a positive integer, got 0'],
    ['a bad head', { rnn, head: { outputSize: 2, bias: 1 } }, 'description: head.bias: expected boolean, got 1'],
    ['a nonlinearity on a GRU', { rnn: { ...rnn, kind: 'GRU', nonlinearity: 'relu' } }, 'exportOnnx: description.rnn: torch.gru: nonlinearity applies to rnn only'],
    ['dropout of 1', { rnn: { ...rnn, dropout: 1 } }, 'description.rnn: torch.rnn: dropout must lie in [0, 1), got 1'],
    ['an unknown GRU convention', { rnn: { ...rnn, kind: 'GRU', convention: 'reset_before' } }, 'description: rnn.convention: expected "reset-after" | "reset-before", got "reset_before"'],
    ['a convention on an RNN', { rnn: { ...rnn, convention: 'reset-after' } }, 'exportOnnx: description.rnn.convention applies to GRU only (where the reset gate acts), but rnn.kind is RNN'],
    ['a convention on an LSTM', { rnn: { ...rnn, kind: 'LSTM', convention: 'reset-before' } }, 'description.rnn.convention applies to GRU only (where the reset gate acts), but rnn.kind is LSTM'],
    ['an embedding of the wrong width', { rnn, embed: { vocabSize: 5, dim: 4 } }, 'description.embed.dim 4 must equal description.rnn.inputSize 2'],
  ])('%s', (_title, value, message) => {
    expect(refusal(value)).toContain(message);
  });

  it('refuses an LSTM projection, saying that ONNX has none and that PyTorch refuses it too', () => {
    const message = refusal({ rnn: { kind: 'LSTM', inputSize: 2, hiddenSize: 4, projSize: 2 } });
    expect(message).toMatch(/^exportOnnx: description\.rnn\.projSize 2 cannot be exported: ONNX's LSTM operator has no projection/);
    expect(message).toContain("PyTorch's own ONNX exporter refuses proj_size too");
  });
});
