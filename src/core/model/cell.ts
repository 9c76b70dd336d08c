// The LSTM cell, described once. Every gate array holds the gates side by side in GATES order, each a section
// of H units: the input kernel [D, 4H], the recurrent kernel [H, 4H], the bias [4H] and the pre-activations
// z [B, 4H]. The kernel generator (kernels/lstm.wat.mjs), the parameter layout (params.ts), the layers export
// (layers.ts), the ONNX export (export/classifierGraph.ts), the reference kernels (kernels/lstm.reference.ts) and
// prediction (predict.ts) read this file.
//
//   i = σ(z_input)   f = σ(z_forget)   g = tanh(z_candidate)   o = σ(z_output)
//   c' = f·c + i·g   h' = o·tanh(c')
//
// σ is the true logistic sigmoid (tfjs's LSTM defaults to hardSigmoid: the export says so explicitly).

export type GateName = 'input' | 'forget' | 'candidate' | 'output';
export type Activation = 'sigmoid' | 'tanh';

export interface Gate {
  name: GateName;
  activation: Activation;
  /** Initial bias of every unit of the gate (Keras' unit_forget_bias: 1 for the forget gate). */
  initialBias: number;
}

export const GATES: readonly Gate[] = [
  { name: 'input', activation: 'sigmoid', initialBias: 0 },
  { name: 'forget', activation: 'sigmoid', initialBias: 1 },
  { name: 'candidate', activation: 'tanh', initialBias: 0 },
  { name: 'output', activation: 'sigmoid', initialBias: 0 },
];

/** The order of the gate sections in Textcat's own arrays (params.ts). */
export const CELL_GATE_ORDER: readonly GateName[] = GATES.map((g) => g.name);

/** Keras' and tfjs's order of the gate sections in an LSTM's weights (i, f, c, o). */
export const KERAS_GATE_ORDER: readonly GateName[] = ['input', 'forget', 'candidate', 'output'];

/** The ONNX LSTM operator's order of the gate blocks in W, R and B (i, o, f, c). */
export const ONNX_GATE_ORDER: readonly GateName[] = ['input', 'output', 'forget', 'candidate'];

/** tfjs LSTM settings that make its cell this one. */
export const LAYERS_CELL = { activation: 'tanh', recurrentActivation: 'sigmoid' } as const;

export const GATE_COUNT = GATES.length;

/** Width of a gate array's rows: every gate's section side by side. */
export function gateWidth(hidden: number): number {
  return GATE_COUNT * hidden;
}

/** Index of a gate's section. */
export function gateIndex(name: GateName): number {
  const index = GATES.findIndex((g) => g.name === name);
  if (index < 0) throw new Error(`the cell has no ${name} gate`);
  return index;
}

/** The initial bias [4H]: each gate's initialBias over its section. */
export function initialBias(hidden: number): Float32Array {
  const bias = new Float32Array(gateWidth(hidden));
  GATES.forEach((g, i) => bias.fill(g.initialBias, i * hidden, (i + 1) * hidden));
  return bias;
}

/**
 * A gate array ([rows, 4H], row-major) with its sections moved from the order `from` to the order `to`; the
 * same array when the orders agree (they do today: GATES is in Keras' order).
 */
export function reorderGates(values: Float32Array, hidden: number, from: readonly GateName[], to: readonly GateName[]): Float32Array {
  if (from.every((name, i) => name === to[i])) return values;
  const width = gateWidth(hidden);
  const out = new Float32Array(values.length);
  for (let row = 0; row < values.length / width; row++) {
    to.forEach((name, target) => {
      const source = from.indexOf(name);
      out.set(values.subarray(row * width + source * hidden, row * width + (source + 1) * hidden), row * width + target * hidden);
    });
  }
  return out;
}
