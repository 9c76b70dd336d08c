// Central differences against the analytic gradients, element by element: the check the network's and the wide
// path's back-propagation both pass.
import assert from 'node:assert/strict';

/**
 * Perturbs every `stride(array)`-th element of each array by ±h, compares (loss⁺ − loss⁻)/2h with the analytic
 * gradient at the same place, restores the element, and returns how many elements were checked.
 */
export function checkGradients(
  arrays: Float32Array[],
  analytic: ArrayLike<number>[],
  loss: () => number,
  stride: (array: Float32Array) => number = () => 3,
  tolerance = { absolute: 2e-3, relative: 2e-2 },
): number {
  assert.equal(arrays.length, analytic.length);
  const h = 1e-2;
  let checked = 0;
  arrays.forEach((a, which) => {
    for (let i = 0; i < a.length; i += stride(a)) {
      const saved = a[i];
      a[i] = saved + h;
      const up = loss();
      a[i] = saved - h;
      const down = loss();
      a[i] = saved;
      const numeric = (up - down) / (2 * h);
      const diff = Math.abs(numeric - analytic[which][i]);
      assert.ok(
        diff <= tolerance.absolute + tolerance.relative * Math.abs(numeric),
        `param ${which}[${i}]: numeric ${numeric} analytic ${analytic[which][i]}`,
      );
      checked++;
    }
  });
  return checked;
}
