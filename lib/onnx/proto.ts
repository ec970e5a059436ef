/**
 * The plain graph as ONNX protobuf bytes, through the `onnx-proto` package (ONNX's
 * messages generated for protobufjs), which is an optional peer dependency: it is
 * imported on first use, so a program that never exports pulls none of it in, and a
 * missing install is reported with the package's name and the command that installs
 * it. The dynamic `import()` keeps this module free of Node built-ins, so it bundles
 * for a browser.
 *
 * @module
 */
import { SeqgradError } from '../tensor/errors.js';
import { isMissingModule } from '../tensor/missing-module.js';
import type { AttributeValue, Graph, Initializer, ValueInfo } from './graph.js';

/** The part of onnx-proto's generated messages the exporter uses (declared here so no onnx-proto type reaches the package's declarations). @internal */
export interface OnnxMessages {
  readonly ModelProto: {
    readonly fromObject: (object: Record<string, unknown>) => unknown;
    readonly encode: (message: unknown) => { finish: () => Uint8Array };
  };
}

/** Loads onnx-proto's messages. @internal */
export type ProtoLoader = () => Promise<unknown>;

/** The ONNX IR version each opset first appeared with (from ONNX's versioning table). */
const IR_VERSION: Readonly<Record<number, number>> = { 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/** onnx-proto's enum values (ONNX's TensorProto.DataType and AttributeProto.AttributeType). */
const DATA_TYPE = { float32: 1, int32: 6, int64: 7 } as const;
const ATTRIBUTE_TYPE = { INT: 2, STRING: 3, INTS: 7, STRINGS: 8 } as const;

// ---------------------------------------------------------------------------
// loading
// ---------------------------------------------------------------------------

const PACKAGE = 'onnx-proto';

/**
 * onnx-proto's `onnx` namespace; a missing package becomes a SeqgradError from `op`
 * naming it and its install command. `load` is replaceable so that the missing case
 * can be tested. @internal
 */
export const loadOnnxProto = async (op: string, load: ProtoLoader = () => import('onnx-proto')): Promise<OnnxMessages> => {
  let loaded: unknown;
  try {
    loaded = await load();
  } catch (error) {
    if (!isMissingModule(error, PACKAGE)) throw error;
    const e = new SeqgradError(op, `writing ONNX protobuf needs the optional package '${PACKAGE}', which is not installed; install it with: npm install ${PACKAGE}`);
    (e as { cause?: unknown }).cause = error;
    throw e;
  }
  // a CommonJS package: its exports arrive as the default export under Node's import()
  const module = loaded as { default?: { onnx?: OnnxMessages }; onnx?: OnnxMessages };
  const onnx = module.onnx ?? module.default?.onnx;
  if (onnx?.ModelProto?.encode === undefined) throw new SeqgradError(op, `the installed '${PACKAGE}' has no onnx.ModelProto; install version 8 with: npm install ${PACKAGE}@8`);
  return onnx;
};

// ---------------------------------------------------------------------------
// encoding
// ---------------------------------------------------------------------------

/** The ONNX IR version to write for `opset`. @internal */
export const irVersionOf = (opset: number): number => IR_VERSION[opset]!;

/** The graph as a ModelProto's bytes, declaring the default domain at `opset`. @internal */
export const encodeGraph = (onnx: OnnxMessages, graph: Graph, opset: number, name: string): Uint8Array => {
  const model = onnx.ModelProto.fromObject({
    irVersion: irVersionOf(opset),
    producerName: 'seqgrad',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name,
      node: graph.nodes.map((n) => ({
        opType: n.opType, name: n.name, input: n.inputs, output: n.outputs,
        attribute: Object.entries(n.attributes ?? {}).map(([key, value]) => attribute(key, value)),
      })),
      initializer: graph.initializers.map(initializer),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  });
  return onnx.ModelProto.encode(model).finish();
};

const attribute = (name: string, value: AttributeValue): Record<string, unknown> => {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  if (typeof value === 'number') return { name, type: ATTRIBUTE_TYPE.INT, i: value };
  if (typeof value === 'string') return { name, type: ATTRIBUTE_TYPE.STRING, s: text(value) };
  if (value.every((v) => typeof v === 'number')) return { name, type: ATTRIBUTE_TYPE.INTS, ints: value };
  return { name, type: ATTRIBUTE_TYPE.STRINGS, strings: (value as readonly string[]).map(text) };
};

/** ONNX's raw_data is little-endian whatever the machine's byte order, hence the DataView. */
const initializer = (t: Initializer): Record<string, unknown> => {
  const is64 = t.data instanceof BigInt64Array;
  const bytes = new Uint8Array(t.data.length * (is64 ? 8 : 4));
  const view = new DataView(bytes.buffer);
  t.data.forEach((v: number | bigint, i: number) => (is64 ? view.setBigInt64(i * 8, v as bigint, true) : view.setFloat32(i * 4, v as number, true)));
  return { name: t.name, dims: t.dims, dataType: is64 ? DATA_TYPE.int64 : DATA_TYPE.float32, rawData: bytes };
};

const valueInfo = (v: ValueInfo): Record<string, unknown> => ({
  name: v.name,
  type: { tensorType: { elemType: DATA_TYPE[v.elemType], shape: { dim: v.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
});
