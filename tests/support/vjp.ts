/**
 * Checks a host kernel's vector-Jacobian product against central differences of its own float64
 * forward: for upstream dy, the gradient of sum_j dy[b, j] out[b, j] in every input element of
 * every chain. Element j of every chain is perturbed at once (chains are independent).
 */
import { expect } from 'vitest';
import { hostKernelOffsets, type HostKernel } from '../../src/ppl/index.js';

export function expectKernelVjp(kernel: HostKernel, values: readonly Float64Array[], chains: number, dy: Float64Array): void {
  const width = kernel.outputWidth;
  const offsets = hostKernelOffsets(kernel);
  kernel.forward(values, chains);
  const gradient = Float64Array.from(kernel.backward(dy));
  const objective = (): Float64Array => {
    const out = kernel.forward(values, chains);
    return Float64Array.from({ length: chains }, (_, b) => {
      let total = 0;
      for (let j = 0; j < width; j++) total += dy[b * width + j] * out[b * width + j];
      return total;
    });
  };
  values.forEach((block, i) => {
    const size = kernel.inputSizes[i];
    for (let j = 0; j < size; j++) {
      const x = Array.from({ length: chains }, (_, b) => block[b * size + j]);
      const steps = x.map((v) => 1e-5 * Math.max(Math.abs(v), 0.1));
      x.forEach((v, b) => (block[b * size + j] = v + steps[b]));
      const up = objective();
      x.forEach((v, b) => (block[b * size + j] = v - steps[b]));
      const down = objective();
      x.forEach((v, b) => (block[b * size + j] = v));
      for (let b = 0; b < chains; b++) {
        const numeric = (up[b] - down[b]) / (2 * steps[b]);
        const analytic = gradient[chains * offsets[i] + b * size + j];
        // Both float64: truncation (step 1e-5 relative) and rounding (~1e-16 |f| / step) are ~1e-8 of the scale; allow 1e-6.
        expect(Math.abs(analytic - numeric), `${kernel.inputNames[i]}[${b},${j}] analytic ${analytic} numeric ${numeric}`).toBeLessThan(1e-6 * (Math.abs(numeric) + 1));
      }
    }
  });
}
