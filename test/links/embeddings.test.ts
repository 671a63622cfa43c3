import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EmbeddingBlend, OpenAIEmbeddings, embeddingsFromEnv } from '../../src/links/embeddings.js';
import { LinkIndex } from '../../src/links/index.js';
import { loadRecords } from '../../src/links/corpus.js';

const MINI = fileURLToPath(new URL('../../fixtures/links/mini', import.meta.url));

describe('embeddings provider (local stub, no network)', () => {
  let server: Server;
  let url = '';
  const seen: { auth?: string; model?: string; n: number }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const j = JSON.parse(body) as { model: string; input: string[] };
        seen.push({ auth: req.headers.authorization, model: j.model, n: j.input.length });
        if (req.url !== '/v1/embeddings') {
          res.writeHead(404).end();
          return;
        }
        // a toy embedding: does the text talk about water or money?
        const data = j.input.map((t, index) => ({ index, embedding: [/water|rain|drought/i.test(t) ? 1 : 0, /money|loan|bank|budget/i.test(t) ? 1 : 0, 0.1] }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: data.reverse() }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('is off unless configured', () => {
    expect(embeddingsFromEnv({})).toBeNull();
    expect(embeddingsFromEnv({ GARDENER_EMBEDDINGS_URL: 'http://127.0.0.1:1', GARDENER_EMBEDDINGS_MODEL: 'm' })?.name).toBe('openai-compatible:m');
  });

  it('calls /v1/embeddings with model and key, in batches, keeping input order', async () => {
    const p = embeddingsFromEnv({ GARDENER_EMBEDDINGS_URL: url, GARDENER_EMBEDDINGS_MODEL: 'stub-model', GARDENER_EMBEDDINGS_KEY: 'k123' })!;
    const v = await p.embed(['water', 'money', 'water and money']);
    expect(v).toEqual([
      [1, 0, 0.1],
      [0, 1, 0.1],
      [1, 1, 0.1],
    ]);
    expect(seen.at(-1)).toEqual({ auth: 'Bearer k123', model: 'stub-model', n: 3 });
    const small = new OpenAIEmbeddings({ url, model: 'm', batchSize: 2 });
    expect(await small.embed(['a', 'b', 'c'])).toHaveLength(3);
    await expect(new OpenAIEmbeddings({ url: `${url}/wrong`, model: 'm' }).embed(['a'])).rejects.toThrow(/404/);
  });

  it('blends into proposal confidences', async () => {
    const recs = loadRecords(MINI);
    const idx = new LinkIndex(recs);
    const blend = new EmbeddingBlend(new OpenAIEmbeddings({ url, model: 'm' }), 0.5);
    await blend.add(recs);
    expect(blend.similarity('rain-harvesting', 'drought-rationing')).toBeCloseTo(1, 1);
    const props = blend.propose(idx, 'drought-rationing', 3);
    expect(props.length).toBeGreaterThan(0);
    for (const p of props) expect(p.confidence).toBeLessThanOrEqual(1);
    expect(props[0]!.target).not.toBe('participatory-budget');
  });
});
