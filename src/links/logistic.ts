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

/**
 * Conditional logit (softmax over each group): P(candidate i is the true one | its group) ∝ exp(w·x_i),
 * fitted by Newton's method on every positive of every group. Only differences within a group count, so
 * it learns how to order one query's candidates, not how similar queries are on average. Weights ≥ 0
 * (a feature that comes out negative is fixed at zero and the rest refitted).
 */
export function fitListwise(groups: readonly { x: readonly (readonly number[])[]; y: readonly number[] }[], l2 = 1e-2, iterations = 50): number[] {
  const d = groups.find((g) => g.x.length > 0)?.x[0]?.length ?? 0;
  const zero = new Set<number>();
  for (;;) {
    const w = new Float64Array(d);
    for (let it = 0; it < iterations; it++) {
      const g = new Float64Array(d);
      const h = Array.from({ length: d }, () => new Float64Array(d));
      for (const grp of groups) {
        let npos = 0;
        for (const v of grp.y) npos += v;
        if (npos === 0 || grp.x.length === 0) continue;
        let max = -Infinity;
        const z = grp.x.map((xr) => {
          let s = 0;
          for (let f = 0; f < d; f++) s += w[f]! * xr[f]!;
          if (s > max) max = s;
          return s;
        });
        let sum = 0;
        const p = z.map((s) => {
          const e = Math.exp(s - max);
          sum += e;
          return e;
        });
        const mean = new Float64Array(d);
        for (let r = 0; r < p.length; r++) {
          p[r] = p[r]! / sum;
          for (let f = 0; f < d; f++) mean[f]! += p[r]! * grp.x[r]![f]!;
        }
        for (let r = 0; r < p.length; r++) {
          const xr = grp.x[r]!;
          if (grp.y[r]) for (let f = 0; f < d; f++) g[f]! -= xr[f]!;
          for (let a = 0; a < d; a++) {
            const da = xr[a]! - mean[a]!;
            if (da === 0) continue;
            for (let c = 0; c < d; c++) h[a]![c]! += npos * p[r]! * da * (xr[c]! - mean[c]!);
          }
        }
        for (let f = 0; f < d; f++) g[f]! += npos * mean[f]!;
      }
      for (let f = 0; f < d; f++) {
        g[f]! += l2 * w[f]!;
        h[f]![f]! += l2;
      }
      for (const f of zero) {
        g[f] = 0;
        for (let c = 0; c < d; c++) h[f]![c] = h[c]![f] = 0;
        h[f]![f] = 1;
      }
      const step = solve(h, g);
      let mx = 0;
      for (let f = 0; f < d; f++) {
        w[f]! -= step[f]!;
        mx = Math.max(mx, Math.abs(step[f]!));
      }
      if (mx < 1e-8) break;
    }
    let worst = -1;
    for (let f = 0; f < d; f++) if (!zero.has(f) && w[f]! < 0 && (worst < 0 || w[f]! < w[worst]!)) worst = f;
    if (worst < 0) return Array.from(w, (v, f) => (zero.has(f) ? 0 : v));
    zero.add(worst);
  }
}
