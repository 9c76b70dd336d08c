// Graph (graph.ts) → ONNX file bytes, through onnx-proto (the ONNX protobuf schema compiled for protobufjs).
import { onnx } from 'onnx-proto';
import type { Attribute, ConstantTensor, ElementType, Graph, GraphValue } from './graph';

/** IR version 7 is the one that goes with opset 13 (ONNX 1.8), so older runtimes read the file too. */
const IR_VERSION = 7;
export const OPSET = 13;
export const PRODUCER = 'textcat';

const DATA_TYPES: Record<ElementType, onnx.TensorProto.DataType> = {
  float: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  uint32: onnx.TensorProto.DataType.UINT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

export interface ModelInfo {
  producerVersion: string;
  doc: string;
  /** Key → value pairs of the model's metadata_props. */
  metadata: Record<string, string>;
}

export function encodeOnnx(graph: Graph, info: ModelInfo): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: PRODUCER,
    producerVersion: info.producerVersion,
    docString: info.doc,
    metadataProps: Object.entries(info.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'textcat',
      node: graph.nodes.map((n) => ({
        name: n.name,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes).map(([name, a]) => attribute(name, a)),
      })),
      initializer: graph.constants.map(tensor),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** True when `bytes` are an ONNX model that Textcat wrote (so exporting again may replace it). */
export function isTextcatOnnx(bytes: Uint8Array): boolean {
  try {
    return onnx.ModelProto.decode(bytes).producerName === PRODUCER;
  } catch {
    return false;
  }
}

function attribute(name: string, a: Attribute): onnx.IAttributeProto {
  const types = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: types.INT, i: a.value };
    case 'ints':
      return { name, type: types.INTS, ints: a.value };
    case 'float':
      return { name, type: types.FLOAT, f: a.value };
    case 'string':
      return { name, type: types.STRING, s: new TextEncoder().encode(a.value) };
  }
}

/** Raw bytes, the compact form for large weights: ONNX wants little-endian, the byte order of every platform
 *  Node and VS Code run on (tfjs's weights.bin is written the same way). */
function tensor(t: ConstantTensor): onnx.ITensorProto {
  const rawData = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { name: t.name, dataType: DATA_TYPES[t.type], dims: t.dims, rawData };
}

function valueInfo(v: GraphValue): onnx.IValueInfoProto {
  return {
    name: v.name,
    docString: v.doc,
    type: {
      tensorType: {
        elemType: DATA_TYPES[v.type],
        shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
