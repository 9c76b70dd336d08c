// A computation graph as plain data (operators, named values, constant tensors), built one operator at a
// time. Kept apart from the file format (onnxFile.ts) so each layer's piece of the graph reads as the math.

export type ElementType = 'float' | 'int32' | 'uint32' | 'int64' | 'bool';

export interface ConstantTensor {
  name: string;
  type: ElementType;
  dims: number[];
  data: Float32Array | Int32Array | Uint32Array | BigInt64Array;
}

export type Attribute =
  { kind: 'int'; value: number } | { kind: 'ints'; value: number[] } | { kind: 'float'; value: number } | { kind: 'string'; value: string };

export interface GraphNode {
  name: string;
  op: string;
  /** Value names; '' leaves an optional input out. */
  inputs: string[];
  /** Value names; '' leaves an optional output out. */
  outputs: string[];
  attributes: Record<string, Attribute>;
}

/** A graph input or output: its element type and dims, a string naming a dimension given at run time. */
export interface GraphValue {
  name: string;
  type: ElementType;
  dims: (number | string)[];
  doc: string;
}

export interface Graph {
  nodes: GraphNode[];
  constants: ConstantTensor[];
  inputs: GraphValue[];
  outputs: GraphValue[];
}

export const attr = {
  int: (value: number): Attribute => ({ kind: 'int', value }),
  ints: (value: number[]): Attribute => ({ kind: 'ints', value }),
  float: (value: number): Attribute => ({ kind: 'float', value }),
  string: (value: string): Attribute => ({ kind: 'string', value }),
};

export class GraphBuilder {
  private readonly graph: Graph = { nodes: [], constants: [], inputs: [], outputs: [] };
  private readonly names = new Set<string>();

  /** `base`, or `base_2`, `base_3`... so every value and node name is unique. */
  private fresh(base: string): string {
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}_${n}`;
    this.names.add(name);
    return name;
  }

  input(value: GraphValue): string {
    this.names.add(value.name);
    this.graph.inputs.push(value);
    return value.name;
  }

  output(value: GraphValue): void {
    this.graph.outputs.push(value);
  }

  constant(base: string, type: ElementType, dims: number[], data: ConstantTensor['data']): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`constant ${base}: ${data.length} values for dims [${dims.join(', ')}]`);
    const name = this.fresh(base);
    this.graph.constants.push({ name, type, dims, data });
    return name;
  }

  int64s(base: string, values: (number | bigint)[]): string {
    return this.constant(
      base,
      'int64',
      [values.length],
      BigInt64Array.from(values, (v) => BigInt(v)),
    );
  }

  /** One operator with one output, whose name is returned (`outputName` when the output is a graph output). */
  op(op: string, inputs: string[], attributes: Record<string, Attribute> = {}, outputName?: string): string {
    return this.opWithOutputs(op, inputs, [outputName ?? op.toLowerCase()], attributes)[0];
  }

  /** One operator with several outputs; a '' output is left out. Returns the output names. */
  opWithOutputs(op: string, inputs: string[], outputs: string[], attributes: Record<string, Attribute> = {}): string[] {
    const named = outputs.map((o) => (o === '' ? '' : this.fresh(o)));
    this.graph.nodes.push({ name: this.fresh(`${op}_node`), op, inputs, outputs: named, attributes });
    return named;
  }

  build(): Graph {
    return this.graph;
  }
}
