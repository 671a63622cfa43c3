/** The fault-injecting proxy (src/standin/faults.ts): reproducible faults, writes applied or not as the fault says. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadSampleRepo, startFaultProxy, startStandin, type FaultProxy, type Standin } from '../../src/standin/index.js';

let standin: Standin | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await standin?.close();
  proxy = standin = undefined;
});

async function setup(
  opts: Parameters<typeof startFaultProxy>[0] extends infer O ? Omit<O & object, 'target'> : never,
): Promise<{ standin: Standin; proxy: FaultProxy }> {
  const sample = loadSampleRepo();
  standin = await startStandin({ repo: sample.repo, pulls: sample.pulls });
  proxy = await startFaultProxy({ ...opts, target: standin.url });
  return { standin, proxy };
}

const repo = '/repos/garden-commons/sample-patterns';
const json = { 'content-type': 'application/json', authorization: 'token x' };
const createIssue = (url: string, title: string) => fetch(`${url}${repo}/issues`, { method: 'POST', headers: json, body: JSON.stringify({ title }) });

describe('fault proxy', () => {
  it('the same seed faults the same requests whatever the order they arrive in', async () => {
    const paths = Array.from({ length: 24 }, (_, i) => `${repo}/issues?page=${i + 1}`);
    const run = async (order: string[]) => {
      const { proxy } = await setup({ seed: 42, probability: 0.3, kinds: ['status-500', 'status-502', 'secondary-limit', 'rate-limit-429'] });
      for (const p of order) await fetch(`${proxy.url}${p}`, { headers: json });
      const out = proxy.injected.map((f) => `${f.kind} ${f.url}`).sort();
      await proxy.close();
      await standin!.close();
      return out;
    };
    const forward = await run(paths);
    const backward = await run([...paths].reverse());
    expect(forward.length).toBeGreaterThan(2);
    expect(forward.length).toBeLessThan(20);
    expect(backward).toEqual(forward);
    const other = await (async () => {
      const { proxy } = await setup({ seed: 43, probability: 0.3, kinds: ['status-500'] });
      for (const p of paths) await fetch(`${proxy.url}${p}`, { headers: json });
      return proxy.injected.map((f) => f.url);
    })();
    expect(other).not.toEqual(forward.map((f) => f.split(' ')[1]));
  });

  it('"answer-lost" applies the write and drops the connection; "drop" applies nothing', async () => {
    const lost = await setup({ seed: 1, probability: 1, kinds: ['answer-lost'] });
    await expect(createIssue(lost.proxy.url, 'applied')).rejects.toThrow();
    expect(lost.standin.state.issues.map((i) => i.title)).toEqual(['applied']);
    await proxy!.close();
    await standin!.close();
    const dropped = await setup({ seed: 1, probability: 1, kinds: ['drop'] });
    await expect(createIssue(dropped.proxy.url, 'not applied')).rejects.toThrow();
    expect(dropped.standin.state.issues).toEqual([]);
  });

  it('limits carry Retry-After; a stall lasts until the client gives up', async () => {
    const { proxy } = await setup({ seed: 1, probability: 1, kinds: ['secondary-limit'], retryAfterS: 3 });
    const res = await fetch(`${proxy.url}${repo}`, { headers: json });
    expect(res.status).toBe(403);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(((await res.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    proxy.setEnabled(false);
    expect((await fetch(`${proxy.url}${repo}`, { headers: json })).status).toBe(200);
    await proxy.close();
    await standin!.close();
    const stalled = await setup({ seed: 1, probability: 1, kinds: ['stall'] });
    await expect(fetch(`${stalled.proxy.url}${repo}`, { headers: json, signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(stalled.proxy.injected.map((f) => f.kind)).toEqual(['stall']);
  });

  it('redirects and pagination links point at the proxy, so every hop meets the faults', async () => {
    const { proxy, standin } = await setup({ seed: 1, probability: 0 });
    const sha = standin.model.pulls.get(1)!.head.sha;
    const tar = await fetch(`${proxy.url}${repo}/tarball/${sha}`, { headers: json, redirect: 'manual' });
    expect(tar.status).toBe(302);
    expect(tar.headers.get('location')).toMatch(new RegExp(`^${proxy.url}/_codeload/`));
    const page = await fetch(`${proxy.url}${repo}/pulls/1/files?per_page=1`, { headers: json });
    expect(page.headers.get('link')).toContain(`${proxy.url}${repo}/pulls/1/files?`);
    expect(page.headers.get('link')).not.toContain(standin.url);
  });
});
