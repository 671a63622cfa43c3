/** L2-regularised logistic regression by Newton's method: a handful of features, tens of thousands of rows. */

export interface LogisticFit {
  w: number[];
  b: number;
}

/** Fits P(y = 1 | x) = σ(b + w·x); the intercept is not penalised. `fixedZero` features keep weight 0. */
export function fitLogistic(
  x: readonly (readonly number[])[],
  y: readonly number[],
  l2 = 1e-3,
  fixedZero: ReadonlySet<number> = new Set(),
  iterations = 50,
): LogisticFit {
  const d = x[0]?.length ?? 0;
  const p = d + 1;
  const beta = new Float64Array(p);
  for (let it = 0; it < iterations; it++) {
    const g = new Float64Array(p);
    const h = Array.from({ length: p }, () => new Float64Array(p));
    for (let r = 0; r < x.length; r++) {
      const xr = x[r]!;
      let z = beta[d]!;
      for (let f = 0; f < d; f++) z += beta[f]! * xr[f]!;
      const mu = 1 / (1 + Math.exp(-z));
      const err = mu - y[r]!;
      const v = Math.max(mu * (1 - mu), 1e-9);
      for (let a = 0; a < p; a++) {
        const xa = a === d ? 1 : xr[a]!;
        if (xa === 0) continue;
        g[a]! += err * xa;
        const ha = h[a]!;
        for (let c = 0; c < p; c++) {
          const xc = c === d ? 1 : xr[c]!;
          if (xc !== 0) ha[c]! += v * xa * xc;
        }
      }
    }
    for (let a = 0; a < d; a++) {
      g[a]! += l2 * x.length * beta[a]!;
      h[a]![a]! += l2 * x.length;
    }
    for (const f of fixedZero) {
      // a fixed feature: no gradient, an identity row, so its step is zero
      g[f] = 0;
      for (let c = 0; c < p; c++) h[f]![c] = h[c]![f] = 0;
      h[f]![f] = 1;
    }
    h[d]![d]! += 1e-9;
    const step = solve(h, g);
    let max = 0;
    for (let a = 0; a < p; a++) {
      beta[a]! -= step[a]!;
      max = Math.max(max, Math.abs(step[a]!));
    }
    if (max < 1e-8) break;
  }
  return { w: Array.from(beta.subarray(0, d)), b: beta[d]! };
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Solves h · s = g (Gaussian elimination with partial pivoting; h is small and positive definite). */
function solve(h: Float64Array[], g: Float64Array): Float64Array {
  const n = g.length;
  const a = h.map((row, i) => [...row, g[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[piv]![c]!)) piv = r;
    [a[c], a[piv]] = [a[piv]!, a[c]!];
    const pv = a[c]![c]! || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / pv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  const s = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let v = a[r]![n]!;
    for (let k = r + 1; k < n; k++) v -= a[r]![k]! * s[k]!;
    s[r] = v / (a[r]![r]! || 1e-12);
  }
  return s;
}
