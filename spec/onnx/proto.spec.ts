/**
 * The plain graph as protobuf: the bytes decode back (with onnx-proto's own decoder)
 * to the model written, attributes, initializers and dynamic axes included; and a
 * missing onnx-proto is named with its install command.
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { SeqgradError } from '../../lib/index.js';
import { graphBuilder, type Graph } from '../../lib/onnx/graph.js';
import { encodeGraph, irVersionOf, loadOnnxProto } from '../../lib/onnx/proto.js';

const { onnx } = onnxProto;

/** A one-node graph (encoded, never run) with every kind of attribute the exporter writes and both initializer types. */
const tinyGraph = (): Graph => {
  const g = graphBuilder();
  g.constant('w', [2, 2], Float32Array.of(1.5, -2, 0.25, 3));
  g.node('LSTM', ['x', 'w', g.int64s('starts', [-1, 2 ** 40])], ['y'], { hidden_size: 3, direction: 'bidirectional', activations: ['Tanh', 'Relu'], perm: [1, 0, 2] });
  return {
    nodes: g.nodes, initializers: g.initializers,
    inputs: [{ name: 'x', elemType: 'int32', dims: ['batch', 4] }],
    outputs: [{ name: 'y', elemType: 'float32', dims: ['time', 'batch', 3] }],
  };
};

describe('encodeGraph', () => {
  it('writes bytes that decode to the same model', async () => {
    const bytes = encodeGraph(await loadOnnxProto('exportOnnx'), tinyGraph(), 17, 'tiny');
    const model = onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { longs: Number, bytes: String }) as Record<string, any>;
    expect(model.irVersion).toBe(8);
    expect(model.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(model.graph.name).toBe('tiny');
    const [node] = model.graph.node;
    expect(node).toMatchObject({ opType: 'LSTM', input: ['x', 'w', 'starts'], output: ['y'] });
    const attribute = Object.fromEntries(node.attribute.map((a: any) => [a.name, a]));
    expect(attribute.hidden_size).toMatchObject({ type: 2, i: 3 });
    expect(Buffer.from(attribute.direction.s, 'base64').toString()).toBe('bidirectional');
    expect(attribute.activations.strings.map((s: string) => Buffer.from(s, 'base64').toString())).toEqual(['Tanh', 'Relu']);
    expect(attribute.perm).toMatchObject({ type: 7, ints: [1, 0, 2] });
    expect(model.graph.input[0].type.tensorType).toEqual({ elemType: 6, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 4 }] } });
    expect(model.graph.output[0].type.tensorType.shape.dim).toEqual([{ dimParam: 'time' }, { dimParam: 'batch' }, { dimValue: 3 }]);
  });

  it('stores initializers as little-endian raw data', async () => {
    const bytes = encodeGraph(await loadOnnxProto('exportOnnx'), tinyGraph(), 14, 'tiny');
    const [w, starts] = onnx.ModelProto.decode(bytes).graph!.initializer!;
    expect(w).toMatchObject({ name: 'w', dataType: 1 });
    expect(Array.from(w!.dims!, Number)).toEqual([2, 2]);
    const raw = w!.rawData!;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    expect([0, 4, 8, 12].map((at) => view.getFloat32(at, true))).toEqual([1.5, -2, 0.25, 3]);
    expect(starts).toMatchObject({ name: 'starts', dataType: 7 });
    const longs = new DataView(starts!.rawData!.buffer, starts!.rawData!.byteOffset, 16);
    expect([longs.getBigInt64(0, true), longs.getBigInt64(8, true)]).toEqual([-1n, 2n ** 40n]);
  });

  it('pairs each opset with the IR version ONNX introduced it with', () => {
    expect([14, 15, 17, 18, 19, 20, 21].map(irVersionOf)).toEqual([7, 8, 8, 8, 9, 9, 10]);
  });
});

describe('loadOnnxProto', () => {
  const notFound = (name: string) => Object.assign(new Error(`Cannot find package '${name}' imported from somewhere`), { code: 'ERR_MODULE_NOT_FOUND' });

  it('names the missing package and the command that installs it', async () => {
    const loading = loadOnnxProto('exportOnnx', () => Promise.reject(notFound('onnx-proto')));
    await expect(loading).rejects.toBeInstanceOf(SeqgradError);
    await expect(loading).rejects.toThrow("exportOnnx: writing ONNX protobuf needs the optional package 'onnx-proto', which is not installed; install it with: npm install onnx-proto");
  });

  it("passes other failures through: a missing dependency of onnx-proto's is not onnx-proto missing", async () => {
    await expect(loadOnnxProto('exportOnnx', () => Promise.reject(notFound('protobufjs')))).rejects.toThrow("Cannot find package 'protobufjs'");
  });

  it('refuses a package without ModelProto, naming the version to install', async () => {
    await expect(loadOnnxProto('exportOnnx', () => Promise.resolve({ default: {} }))).rejects.toThrow("exportOnnx: the installed 'onnx-proto' has no onnx.ModelProto; install version 8 with: npm install onnx-proto@8");
  });
});
