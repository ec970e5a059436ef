/**
 * PyTorch state_dicts both ways. Out: `encodeModel` of every `torch.*` fixture module
 * writes exactly the keys and shapes PyTorch's module has (read back from the header by
 * hand, not by the decoder). In: files laid out as `safetensors.torch.save_file` writes
 * them (no seqgrad metadata), built here by hand from the fixtures' PyTorch tensors,
 * load into `torch.*` templates and reproduce PyTorch's outputs; `prefix` picks a module
 * out of a whole model's file; `strict` as in `load_state_dict`; every missing,
 * unexpected and mismatched key is listed under its file name.
 */
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, key, torch, type Tensor } from '../../lib/index.js';
import { expectClose } from '../support/close.js';
import { fixtureFiles, readFixture, toTensor, type RawTensor } from '../support/fixtures.js';

type Config = Parameters<typeof torch.lstm>[0];
const BUILD = { RNN: torch.rnn, LSTM: torch.lstm, GRU: torch.gru } as const;
const configOf = (c: Record<string, any>): Config => ({
  inputSize: c.input_size, hiddenSize: c.hidden_size, numLayers: c.num_layers, bidirectional: c.bidirectional, bias: c.bias,
  projSize: c.proj_size ?? 0, ...(c.kind === 'RNN' ? { nonlinearity: c.nonlinearity } : {}),
});

/** A tensor as a hand-built file stores it: dtype code, shape and little-endian bytes. */
interface RawEntry { readonly dtype: string; readonly shape: readonly number[]; readonly bytes: readonly number[] }

/** Little-endian bytes of `values` written with a DataView setter of `width` bytes. */
const le = (values: readonly number[], width: number, set: (v: DataView, at: number, x: number) => void): number[] => {
  const view = new DataView(new ArrayBuffer(values.length * width));
  values.forEach((x, i) => set(view, i * width, x));
  return Array.from(new Uint8Array(view.buffer));
};
const f64 = (raw: RawTensor): RawEntry => ({ dtype: 'F64', shape: raw.shape, bytes: le(raw.data, 8, (v, at, x) => v.setFloat64(at, x, true)) });
const f32 = (shape: number[], values: number[]): RawEntry => ({ dtype: 'F32', shape, bytes: le(values, 4, (v, at, x) => v.setFloat32(at, x, true)) });

/**
 * A safetensors file as the format lays it out: u64 little-endian header length, the
 * JSON header (entries in the given order, offsets back to back) padded with spaces to
 * a multiple of 8, then the data. No `__metadata__`, as `save_file(model.state_dict())`.
 */
const savedByTorch = (entries: Readonly<Record<string, RawEntry>>): Uint8Array => {
  const header: Record<string, unknown> = {};
  let end = 0;
  for (const [name, { dtype, shape, bytes }] of Object.entries(entries)) {
    header[name] = { dtype, shape, data_offsets: [end, end + bytes.length] };
    end += bytes.length;
  }
  const json = Array.from(new TextEncoder().encode(JSON.stringify(header)));
  while (json.length % 8 !== 0) json.push(0x20);
  const length = le([json.length], 8, (v, at, x) => v.setBigUint64(at, BigInt(x), true));
  return Uint8Array.from([...length, ...json, ...Object.values(entries).flatMap((e) => e.bytes)]);
};

/** The header of safetensors bytes, parsed by hand from the format's definition. */
const headerOf = (bytes: Uint8Array): Record<string, any> => {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
};

describe('PyTorch state_dicts, both ways, for every torch fixture module', () => {
  for (const file of fixtureFiles('rnn')) {
    const f = readFixture(file);
    const model = BUILD[f.config.kind as keyof typeof BUILD](configOf(f.config));

    it(`${file}: encodeModel writes exactly the module's state_dict keys and shapes`, () => {
      const header = headerOf(encodeModel({ params: model.init(key(0)) }));
      const { __metadata__: metadata, ...tensors } = header;
      expect(Object.keys(tensors).sort()).toEqual(Object.keys(f.params).sort());
      for (const [name, raw] of Object.entries<RawTensor>(f.params)) expect([tensors[name].dtype, tensors[name].shape], name).toEqual(['F32', raw.shape]);
      // safetensors' metadata is a map of strings to strings, which PyTorch's loader ignores
      expect(Object.values(metadata).every((v) => typeof v === 'string')).toBe(true);
    });

    it(`${file}: a state_dict saved by PyTorch loads into the module and gives PyTorch's outputs`, () => {
      const bytes = savedByTorch(Object.fromEntries(Object.entries<RawTensor>(f.params).map(([name, raw]) => [name, f64(raw)])));
      const loaded = decodeModel(bytes, { template: model.init(key(0), 'float64'), source: 'lstm.safetensors' });
      expect(loaded.checked).toBe(false);
      for (const [name, raw] of Object.entries<RawTensor>(f.params)) expect(Array.from(loaded.params[name]!.data), name).toEqual(raw.data);
      const out = model.apply(loaded.params, toTensor(f.inputs.x), { h0: toTensor(f.inputs.h0), c0: f.inputs.c0 && toTensor(f.inputs.c0), lengths: f.config.lengths });
      for (const [name, raw] of Object.entries<RawTensor>(f.outputs)) expectClose((out as any)[name], toTensor(raw), 1e-10, name);
    });
  }

  it('a module nested in a record gets its path as a prefix, as in a whole model\'s state_dict', () => {
    const params = { rnn: torch.gru({ inputSize: 2, hiddenSize: 3 }).init(key(0)) };
    const names = Object.keys(headerOf(encodeModel({ params }))).filter((n) => n !== '__metadata__').sort();
    expect(names).toEqual(['rnn.bias_hh_l0', 'rnn.bias_ih_l0', 'rnn.weight_hh_l0', 'rnn.weight_ih_l0']);
  });
});

describe('loading one module of a whole PyTorch model (prefix) and PyTorch\'s strict', () => {
  // model = Names(): embed = nn.Embedding(5, 4), rnn = nn.LSTM(4, 5, batch_first=True), head = nn.Linear(5, 5),
  // plus a BatchNorm's int64 counter; saved with save_file(model.state_dict(), "names.safetensors")
  const lstm = readFixture('rnn/lstm_1layer.json');
  const zerosOf = (shape: number[]): RawEntry => f32(shape, Array(shape.reduce((n, d) => n * d, 1)).fill(0));
  const rnnEntries = Object.fromEntries(Object.entries<RawTensor>(lstm.params).map(([name, raw]) => [`rnn.${name}`, f32(raw.shape, raw.data)]));
  const whole = savedByTorch({
    'embed.weight': zerosOf([5, 4]), ...rnnEntries, 'head.weight': zerosOf([5, 5]), 'head.bias': zerosOf([5]),
    'norm.num_batches_tracked': { dtype: 'I64', shape: [], bytes: [3, 0, 0, 0, 0, 0, 0, 0] },
  });
  const module = torch.lstm({ inputSize: 4, hiddenSize: 5 });

  it('loads the tensors under the prefix, without it, and leaves the rest of the file alone', () => {
    const { params, missingKeys, unexpectedKeys } = decodeModel(whole, { template: module.init(key(0)), prefix: 'rnn' });
    expect(Object.keys(params)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
    expect(Array.from(params.weight_ih_l0!.data)).toEqual(Array.from(Float32Array.from(lstm.params.weight_ih_l0.data)));
    expect([missingKeys, unexpectedKeys]).toEqual([[], []]);
  });

  it('lists every missing, unexpected and mismatched key by its name in the file', () => {
    const projected = torch.lstm({ inputSize: 4, hiddenSize: 5, projSize: 2 }).init(key(0));
    expect(() => decodeModel(whole, { template: projected, prefix: 'rnn', source: 'names.safetensors' })).toThrow(
      'decodeModel: names.safetensors: does not match the template (2 problems): missing from the file (1): rnn.weight_hr_l0 (float32 [2, 5]); '
      + 'wrong shape or dtype (1): rnn.weight_hh_l0 (the file has float32 [20, 5], the template wants float32 [20, 2])',
    );
    // without a prefix the whole model's other tensors are unexpected, as in model.rnn.load_state_dict(model.state_dict())
    expect(() => decodeModel(whole, { template: { rnn: module.init(key(0)) }, source: 'names.safetensors' })).toThrow(
      'decodeModel: names.safetensors: does not match the template (4 problems): in the file but not in the template (4): embed.weight, head.weight, head.bias, norm.num_batches_tracked',
    );
  });

  it('strict: false keeps the template\'s tensor for a missing key, skips unexpected ones and lists both', () => {
    const template = { rnn: module.init(key(1)), extra: { scale: module.init(key(2)).bias_ih_l0! } };
    const loaded = decodeModel(whole, { template, strict: false });
    expect(loaded.missingKeys).toEqual(['extra.scale']);
    expect(loaded.unexpectedKeys).toEqual(['embed.weight', 'head.weight', 'head.bias', 'norm.num_batches_tracked']);
    expect(loaded.params.extra.scale).toBe(template.extra.scale);
    expect(Array.from(loaded.params.rnn.bias_hh_l0!.data)).toEqual(Array.from(Float32Array.from(lstm.params.bias_hh_l0.data)));
  });

  it('strict: false still refuses a shape or dtype that differs', () => {
    const wide = torch.lstm({ inputSize: 4, hiddenSize: 6 }).init(key(0));
    expect(() => decodeModel(whole, { template: wide, prefix: 'rnn', strict: false })).toThrow(/wrong shape or dtype \(4\): rnn\.weight_ih_l0 \(the file has float32 \[20, 4\], the template wants float32 \[24, 4\]\)/);
  });

  it('a prefix that selects nothing says which names the file has', () => {
    expect(() => decodeModel(whole, { template: module.init(key(0)), prefix: 'encoder.rnn' })).toThrow(
      /; no tensor in the file is under "encoder\.rnn\." \(its names: embed\.weight, rnn\.weight_ih_l0, rnn\.weight_hh_l0, rnn\.bias_ih_l0, rnn\.bias_hh_l0, \.\.\.\)$/,
    );
    expect(() => decodeModel(whole, { prefix: 'rnn.' })).toThrow('decodeModel: options.prefix must be a module path such as "rnn" or "encoder.rnn" (no leading or trailing dot), got "rnn."');
  });

  it('int64 tensors load as int32 and, without a template, the tree comes back from the names', () => {
    const { params, dtypes } = decodeModel<Record<string, Record<string, Tensor>>>(whole);
    expect(dtypes.get('norm.num_batches_tracked')).toBe('I64');
    expect([params.norm!.num_batches_tracked!.dtype, Array.from(params.norm!.num_batches_tracked!.data)]).toEqual(['int32', [3]]);
    expect(Object.keys(params)).toEqual(['embed', 'rnn', 'head', 'norm']);
  });
});

describe('half-precision state_dicts', () => {
  // model.half(); save_file(model.state_dict(), ...) of nn.RNN(1, 1): 0x3C00 = 1, 0xC000 = -2, 0x3800 = 0.5, 0x0001 = 2^-24
  const half = (shape: number[], bits: number): RawEntry => ({ dtype: 'F16', shape, bytes: [bits & 0xff, bits >> 8] });
  const f16 = savedByTorch({ weight_ih_l0: half([1, 1], 0x3c00), weight_hh_l0: half([1, 1], 0xc000), bias_ih_l0: half([1], 0x3800), bias_hh_l0: half([1], 0x0001) });
  const module = torch.rnn({ inputSize: 1, hiddenSize: 1 });

  it('F16 tensors load into a float32 module, exactly', () => {
    const { params, dtypes } = decodeModel(f16, { template: module.init(key(0)) });
    expect(Object.values(params).map((t) => [t.dtype, t.data[0]])).toEqual([['float32', 1], ['float32', -2], ['float32', 0.5], ['float32', 2 ** -24]]);
    expect([...dtypes.values()]).toEqual(['F16', 'F16', 'F16', 'F16']);
  });

  it('a float64 template is refused, the message saying the tensor was stored as F16', () => {
    expect(() => decodeModel(f16, { template: module.init(key(0), 'float64'), source: 'rnn-half.safetensors' })).toThrow(
      /^decodeModel: rnn-half\.safetensors: does not match the template \(4 problems\): wrong shape or dtype \(4\): weight_ih_l0 \(the file has float32 \(stored as F16\) \[1, 1\], the template wants float64 \[1, 1\]\)/,
    );
  });

  it('BF16 tensors load too', () => {
    const bf16 = savedByTorch({ weight_ih_l0: { dtype: 'BF16', shape: [1, 1], bytes: [0x80, 0x3f] }, weight_hh_l0: { dtype: 'BF16', shape: [1, 1], bytes: [0x00, 0xc0] } });
    const { params } = decodeModel(bf16, { template: torch.rnn({ inputSize: 1, hiddenSize: 1, bias: false }).init(key(0)) });
    expect([params.weight_ih_l0!.data[0], params.weight_hh_l0!.data[0]]).toEqual([1, -2]);
  });
});
