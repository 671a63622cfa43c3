import { compareFindings, type Finding } from '../core/finding.js';

/**
 * A check's findings while its corpus index is alive, as one JSON string per file: a Finding object
 * with its strings, fix and edits takes about twice the bytes of its JSON. They become objects again
 * only once the index can go, so index and finding objects never take memory at the same time.
 * JSON keeps every field a finding has (strings, whole numbers, lists); it drops `undefined` ones.
 */
export class PackedFindings {
  private chunks: string[] = [];
  /** The target root of each chunk (see CheckRun.roots). */
  private chunkRoots: string[] = [];
  private count = 0;

  /** Findings of one file, in output order. */
  add(findings: Finding[], root = ''): void {
    if (findings.length === 0) return;
    // Files come in path order: each file's findings sorted make the whole list sorted, or nearly so.
    findings.sort(compareFindings);
    this.chunks.push(JSON.stringify(findings));
    this.chunkRoots.push(root);
    this.count += findings.length;
  }

  /** Adds what another thread packed (see `transfer`). */
  addPacked(packed: { chunks: string[]; count: number }, root = ''): void {
    for (const c of packed.chunks) {
      this.chunks.push(c);
      this.chunkRoots.push(root);
    }
    this.count += packed.count;
  }

  /** The chunks and their count, to post to another thread. */
  transfer(): { chunks: string[]; count: number } {
    return { chunks: this.chunks, count: this.count };
  }

  get length(): number {
    return this.count;
  }

  /**
   * Every finding as an object, in the order added; `onRoot` hears each finding's root. Lets go of each
   * chunk as it is read, and of the whole list after.
   */
  unpack(onRoot?: (f: Finding, root: string) => void): Finding[] {
    const out: Finding[] = new Array(this.count);
    let n = 0;
    const { chunks, chunkRoots } = this;
    this.chunks = [];
    this.chunkRoots = [];
    this.count = 0;
    for (let i = 0; i < chunks.length; i++) {
      const list = JSON.parse(chunks[i] as string) as Finding[];
      chunks[i] = '';
      for (const f of list) {
        out[n++] = f;
        onRoot?.(f, chunkRoots[i] as string);
      }
    }
    out.length = n;
    return out;
  }
}
