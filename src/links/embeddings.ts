/**
 * Optional embeddings behind an interface. Off by default: the offline engine is what is
 * measured. `embeddingsFromEnv()` returns an OpenAI-compatible provider when
 * GARDENER_EMBEDDINGS_URL is set (POST {url}/v1/embeddings, or the URL itself when it
 * already ends in /embeddings), with GARDENER_EMBEDDINGS_MODEL and GARDENER_EMBEDDINGS_KEY.
 */
import type { LinkIndex, Proposal } from './index.js';
import type { LinkRecord } from './record.js';

export interface EmbeddingsProvider {
  readonly name: string;
  embed(texts: string[]): Promise<number[][]>;
}

export interface OpenAIEmbeddingsOptions {
  url: string;
  model: string;
  key?: string;
  batchSize?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class OpenAIEmbeddings implements EmbeddingsProvider {
  readonly name: string;
  private readonly endpoint: string;
  constructor(private readonly opts: OpenAIEmbeddingsOptions) {
    const u = opts.url.replace(/\/+$/, '');
    this.endpoint = /\/embeddings$/.test(u) ? u : /\/v1$/.test(u) ? `${u}/embeddings` : `${u}/v1/embeddings`;
    this.name = `openai-compatible:${opts.model}`;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    const size = this.opts.batchSize ?? 64;
    const f = this.opts.fetch ?? fetch;
    for (let i = 0; i < texts.length; i += size) {
      const batch = texts.slice(i, i + size);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.opts.key) headers.authorization = `Bearer ${this.opts.key}`;
      const res = await f(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.opts.model, input: batch }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
      if (!res.ok) throw new Error(`embeddings endpoint answered ${res.status}`);
      const body = (await res.json()) as { data?: { embedding?: unknown; index?: number }[] };
      if (!Array.isArray(body.data) || body.data.length !== batch.length) throw new Error('embeddings endpoint returned a malformed body');
      const sorted = [...body.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      for (const d of sorted) {
        if (!Array.isArray(d.embedding) || !d.embedding.every((x) => typeof x === 'number'))
          throw new Error('embeddings endpoint returned a non-numeric vector');
        out.push(d.embedding as number[]);
      }
    }
    return out;
  }
}

/** The provider configured by environment variables, or null (the default: off). */
export function embeddingsFromEnv(env: NodeJS.ProcessEnv = process.env): EmbeddingsProvider | null {
  const url = env.GARDENER_EMBEDDINGS_URL;
  if (!url) return null;
  const opts: OpenAIEmbeddingsOptions = { url, model: env.GARDENER_EMBEDDINGS_MODEL || 'text-embedding-3-small' };
  if (env.GARDENER_EMBEDDINGS_KEY) opts.key = env.GARDENER_EMBEDDINGS_KEY;
  return new OpenAIEmbeddings(opts);
}

/** The text embedded for a pattern: title, aliases, summary, keywords, tension. */
export function embeddingText(r: LinkRecord): string {
  return [r.title, r.aliases.join(', '), r.summary, r.keywords.join(', '), r.tension].filter(Boolean).join('\n').slice(0, 4000);
}

function cosine(a: number[], b: number[]): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    s += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? s / Math.sqrt(na * nb) : 0;
}

/** Embedding vectors per slug, used to re-rank the offline engine's candidates. */
export class EmbeddingBlend {
  private vectors = new Map<string, number[]>();
  constructor(
    private readonly provider: EmbeddingsProvider,
    /** Share of the embedding cosine in the blended confidence (0..1, default 0.3). */
    readonly weight = 0.3,
  ) {}

  async add(records: Iterable<LinkRecord>): Promise<void> {
    const rs = [...records];
    const vecs = await this.provider.embed(rs.map(embeddingText));
    rs.forEach((r, i) => this.vectors.set(r.slug, vecs[i]!));
  }

  similarity(a: string, b: string): number | undefined {
    const va = this.vectors.get(a);
    const vb = this.vectors.get(b);
    return va && vb ? cosine(va, vb) : undefined;
  }

  /** Top-k from the offline engine's top 3k, re-ranked by the blended confidence. */
  propose(index: LinkIndex, slug: string, k: number): Proposal[] {
    const pool = index.propose(slug, k * 3);
    return pool
      .map((p) => {
        const e = this.similarity(slug, p.target);
        const c = e === undefined ? p.confidence : (1 - this.weight) * p.confidence + this.weight * Math.max(0, e);
        return { ...p, confidence: Math.round(c * 100) / 100 };
      })
      .sort((a, b) => b.confidence - a.confidence || (a.target < b.target ? -1 : 1))
      .slice(0, k);
  }
}
