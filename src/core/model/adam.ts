// Adam (Keras defaults: β1 0.9, β2 0.999, ε 1e-7) with clipping by global norm: without clipping a late loss
// spike was seen on this model (shared/notes). The embedding is updated lazily, only on the rows a batch used
// (TensorFlow's LazyAdam): a dense update would touch vocab × dim values per batch for nothing.
import type { BatchGradients } from './network';
import { zerosLike, type NetworkParams } from './params';

export interface AdamOptions {
  learningRate: number;
  clipNorm: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class Adam {
  private readonly m: NetworkParams;
  private readonly v: NetworkParams;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private step = 0;

  constructor(params: NetworkParams, private readonly options: AdamOptions) {
    this.m = zerosLike(params);
    this.v = zerosLike(params);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
  }

  apply(params: NetworkParams, g: BatchGradients): void {
    this.step++;
    const dense = denseGradients(g);
    const norm = Math.sqrt([...dense, g.embedding].reduce((sum, a) => sum + squaredSum(a), 0));
    const scale = norm > this.options.clipNorm ? this.options.clipNorm / norm : 1;
    const lr = (this.options.learningRate * Math.sqrt(1 - this.beta2 ** this.step)) / (1 - this.beta1 ** this.step);
    const targets = [
      ...params.directions.flatMap((d, i) => [
        [d.kernel, this.m.directions[i].kernel, this.v.directions[i].kernel],
        [d.recurrent, this.m.directions[i].recurrent, this.v.directions[i].recurrent],
        [d.bias, this.m.directions[i].bias, this.v.directions[i].bias],
      ]),
      [params.denseKernel, this.m.denseKernel, this.v.denseKernel],
      [params.denseBias, this.m.denseBias, this.v.denseBias],
    ];
    targets.forEach(([p, m, v], i) => this.update(p, m, v, dense[i], 0, 0, p.length, scale, lr));
    const D = g.embedding.length / Math.max(1, g.embeddingRows.length);
    g.embeddingRows.forEach((row, r) =>
      this.update(params.embedding, this.m.embedding, this.v.embedding, g.embedding, row * D, r * D, D, scale, lr),
    );
  }

  private update(p: Float32Array, m: Float32Array, v: Float32Array, grad: Float32Array, at: number, gradAt: number, n: number, scale: number, lr: number): void {
    const { beta1, beta2, epsilon } = this;
    // ε applies to the bias-corrected second moment, as in the Adam paper and PyTorch.
    const eps = epsilon * Math.sqrt(1 - beta2 ** this.step);
    const [a1, a2] = [1 - beta1, 1 - beta2];
    for (let i = 0; i < n; i++) {
      const gi = grad[gradAt + i] * scale;
      const k = at + i;
      const mk = beta1 * m[k] + a1 * gi;
      const vk = beta2 * v[k] + a2 * gi * gi;
      m[k] = mk;
      v[k] = vk;
      p[k] -= (lr * mk) / (Math.sqrt(vk) + eps);
    }
  }
}

function denseGradients(g: BatchGradients): Float32Array[] {
  return [...g.directions.flatMap((d) => [d.kernel, d.recurrent, d.bias]), g.denseKernel, g.denseBias];
}

function squaredSum(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}
