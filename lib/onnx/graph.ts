/**
 * An ONNX graph as plain data: nodes, constant tensors (initializers) and the typed
 * graph inputs and outputs. The exporter builds this with no protobuf in sight, and
 * one small module (proto.ts) turns it into ONNX's messages; the graph can be read and
 * checked in a spec without encoding anything.
 *
 * @module
 */

/** An attribute value: an int, a string, or lists of them (the only kinds the exporter writes). @internal */
export type AttributeValue = number | string | readonly number[] | readonly string[];

/** One operator node. @internal */
export interface GraphNode {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

/** A constant tensor stored in the model. @internal */
export interface Initializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

/** The element types the graph's inputs and outputs use. @internal */
export type ElemType = 'float32' | 'int32';

/** A graph input or output: its name, element type and shape (a string is a dynamic axis). @internal */
export interface ValueInfo {
  readonly name: string;
  readonly elemType: ElemType;
  readonly dims: readonly (number | string)[];
}

/** A whole graph. @internal */
export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly initializers: readonly Initializer[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
}

/** A graph under construction: nodes and initializers are appended in order. @internal */
export interface GraphBuilder {
  readonly node: (opType: string, inputs: readonly string[], outputs: readonly string[], attributes?: Readonly<Record<string, AttributeValue>>) => void;
  readonly constant: (name: string, dims: readonly number[], data: Float32Array | BigInt64Array) => string;
  readonly int64s: (name: string, values: readonly number[]) => string;
  readonly nodes: GraphNode[];
  readonly initializers: Initializer[];
}

/** An empty graph builder; node names are the op type and a running count, which keeps them unique. @internal */
export const graphBuilder = (): GraphBuilder => {
  const nodes: GraphNode[] = [];
  const initializers: Initializer[] = [];
  const constant = (name: string, dims: readonly number[], data: Float32Array | BigInt64Array): string => {
    initializers.push({ name, dims, data });
    return name;
  };
  return {
    nodes,
    initializers,
    node: (opType, inputs, outputs, attributes) => {
      nodes.push({ opType, name: `${opType}_${nodes.length}`, inputs, outputs, ...(attributes ? { attributes } : {}) });
    },
    constant,
    int64s: (name, values) => constant(name, [values.length], BigInt64Array.from(values, (v) => BigInt(v))),
  };
};
