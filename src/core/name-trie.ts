/**
 * Strings within a bounded edit distance of a query, found by walking a trie of them with one row of
 * the Levenshtein table per trie node (the row of the query against the node's prefix). Strings sharing
 * a prefix share its rows, and a branch is left as soon as no cell of its row is within the bound, or no
 * string below it has a length within the bound of the query's. The distances found are exact.
 */

/**
 * Per node, in one array so that a visit reads one cache line: the code unit on the edge into it, its
 * first child (a node's children are numbered consecutively, level by level), how many children, the
 * shortest and longest string ending at or below it, and the string ending at it (-1: none).
 */
const UNIT = 0;
const CHILD = 1;
const CHILDREN = 2;
const LENGTHS = 3;
const END = 4;
const STRIDE = 5;
/** Lengths are kept in 16 bits each; a longer string counts as this long, which only keeps its branch. */
const LONGEST = 0xffff;

export class NameTrie {
  private readonly node: Int32Array;
  private rows = new Int32Array(0);
  private stack = new Int32Array(0);
  private valid = new Int32Array(0);
  private matches = new Int32Array(0);
  /** Per code unit: its number among the current target's distinct units (0: not in the target). */
  private readonly slotOf = new Uint16Array(65536);

  /** @param strings distinct strings in ascending order (of code units, as `Array.prototype.sort` leaves them). */
  constructor(strings: readonly string[]) {
    let node = new Int32Array(STRIDE * Math.max(16, strings.length * 2));
    // Level by level: a node covers the strings [from, to) of its prefix, at `depth`.
    let from = new Int32Array(node.length / STRIDE);
    let to = new Int32Array(node.length / STRIDE);
    let depthOf = new Int32Array(node.length / STRIDE);
    to[0] = strings.length;
    let nodes = 1;
    for (let n = 0; n < nodes; n++) {
      const depth = depthOf[n] as number;
      let i = from[n] as number;
      const end = to[n] as number;
      const o = n * STRIDE;
      let shortest = LONGEST;
      let longest = 0;
      for (let k = i; k < end; k++) {
        const length = Math.min((strings[k] as string).length, LONGEST);
        if (length < shortest) shortest = length;
        if (length > longest) longest = length;
      }
      // Sorted, a string comes before the strings it is a prefix of.
      node[o + END] = i < end && (strings[i] as string).length === depth ? i++ : -1;
      node[o + LENGTHS] = (shortest << 16) | longest;
      node[o + CHILD] = nodes;
      while (i < end) {
        const u = (strings[i] as string).charCodeAt(depth);
        let j = i + 1;
        while (j < end && (strings[j] as string).charCodeAt(depth) === u) j++;
        if (nodes * STRIDE === node.length) {
          node = grow(node, 2 * node.length);
          from = grow(from, 2 * from.length);
          to = grow(to, 2 * to.length);
          depthOf = grow(depthOf, 2 * depthOf.length);
        }
        node[nodes * STRIDE + UNIT] = u;
        from[nodes] = i;
        to[nodes] = j;
        depthOf[nodes] = depth + 1;
        nodes++;
        i = j;
      }
      node[o + CHILDREN] = nodes - (node[o + CHILD] as number);
    }
    this.node = node.slice(0, nodes * STRIDE);
  }

  /**
   * Calls `found(i, distance)` for every string `strings[i]` within `bound` edits of `target` (bound at most
   * 15); returns how many trie nodes it computed a row for, the work of the lookup.
   *
   * The row of a node at depth r is kept as bound+1 bit sets over the band of columns r-bound..r+bound
   * (bit i: column r-bound+i; no other cell of the row can be within the bound): set e holds the columns
   * whose cell is at most e. A cell is within e of the parent's row by a match on the diagonal (same bit
   * of the parent's set e), a substitution (same bit, set e-1), a deletion (the cell above: the next bit
   * of the parent's set e-1) or an insertion (the cell to the left: the previous bit of the new set e-1).
   */
  near(target: string, bound: number, found: (i: number, distance: number) => void): number {
    const t = target.length;
    const sets = bound + 1;
    const width = 2 * bound + 1;
    // A row deeper than t + bound has no column within the band.
    const depths = t + bound + 1;
    if (this.rows.length < depths * sets) this.rows = new Int32Array(depths * sets);
    if (this.valid.length < depths) this.valid = new Int32Array(depths);
    const { rows, valid, node, slotOf } = this;
    let stack = this.stack;
    // Per distinct code unit of the target and depth r: the band bits of the columns j with target[j-1] that unit.
    const units: number[] = [];
    for (let j = 0; j < t; j++) {
      const u = target.charCodeAt(j);
      if (slotOf[u] === 0) {
        units.push(u);
        slotOf[u] = units.length;
      }
    }
    const tableSize = (units.length + 1) * depths;
    if (this.matches.length < tableSize) this.matches = new Int32Array(tableSize);
    const matches = this.matches;
    matches.fill(0, 0, tableSize);
    for (let j = 1; j <= t; j++) {
      const base = (slotOf[target.charCodeAt(j - 1)] as number) * depths;
      for (let i = 0; i < width; i++) {
        const r = j + bound - i;
        if (r >= 1 && r < depths) matches[base + r] = (matches[base + r] as number) | (1 << i);
      }
    }
    // Bits of columns 0..t only.
    for (let r = 0; r < depths; r++) {
      let m = 0;
      for (let i = 0; i < width; i++) if (r - bound + i >= 0 && r - bound + i <= t) m |= 1 << i;
      valid[r] = m;
    }
    // Row 0: column j costs j.
    for (let e = 0; e < sets; e++) rows[e] = (((1 << (e + 1)) - 1) << bound) & (valid[0] as number);
    if (t <= bound && (node[END] as number) >= 0) found(node[END] as number, t);
    const shortest = t - bound;
    const longest = t + bound;
    let top = 0;
    let visits = 0;
    let at = 0;
    let depth = 0;
    for (;;) {
      // Children whose strings all have lengths out of reach are never entered.
      if (depth + 1 < depths)
        for (let c = node[at * STRIDE + CHILD] as number, end = c + (node[at * STRIDE + CHILDREN] as number); c < end; c++) {
          const lengths = node[c * STRIDE + LENGTHS] as number;
          if ((lengths & LONGEST) >= shortest && lengths >>> 16 <= longest) {
            if (top === stack.length) stack = this.stack = grow(stack, 2 * stack.length + 64);
            stack[top++] = c;
            stack[top++] = depth + 1;
          }
        }
      let alive = false;
      while (top > 0 && !alive) {
        depth = stack[--top] as number;
        at = stack[--top] as number;
        visits++;
        const m = matches[(slotOf[node[at * STRIDE + UNIT] as number] as number) * depths + depth] as number;
        const mask = valid[depth] as number;
        const prev = (depth - 1) * sets;
        const cur = depth * sets;
        let below = (rows[prev] as number) & m & mask;
        rows[cur] = below;
        for (let e = 1; e < sets; e++) {
          const above = rows[prev + e - 1] as number;
          below = (((rows[prev + e] as number) & m) | above | (above >>> 1) | (below << 1)) & mask;
          rows[cur + e] = below;
        }
        if (below === 0) continue;
        alive = true;
        const i = t - depth + bound;
        if (i < width && (below >>> i) & 1 && (node[at * STRIDE + END] as number) >= 0) {
          let e = 0;
          while ((((rows[cur + e] as number) >>> i) & 1) === 0) e++;
          found(node[at * STRIDE + END] as number, e);
        }
      }
      if (!alive) break;
    }
    for (const u of units) slotOf[u] = 0;
    return visits;
  }

  /** Bytes held by the trie's arrays. */
  get bytes(): number {
    return this.node.byteLength + this.slotOf.byteLength + this.rows.byteLength + this.stack.byteLength + this.matches.byteLength;
  }
}

function grow(a: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
