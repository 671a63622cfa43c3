/**
 * A real, private redis-server for one test file: a free loopback port, a temp directory, no persistence,
 * stopped (and the directory removed) by `stop()`. When redis-server is missing or does not start,
 * `startRedis()` says why instead, and the caller skips saying so (.ci/run installs the Debian package).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export type StartedRedis = { ok: true; server: RedisServer } | { ok: false; reason: string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts redis-server and waits until it accepts connections (three ports tried, in case one is taken). */
export async function startRedis(binary = process.env.GARDENER_TEST_REDIS_SERVER ?? 'redis-server'): Promise<StartedRedis> {
  let reason = 'not tried';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'gardener-redis-'));
    const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const started = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      const onData = (b: Buffer) => {
        output += b.toString('utf8');
        if (/Ready to accept connections/.test(output)) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', (e: NodeJS.ErrnoException) => {
        output += e.code === 'ENOENT' ? `${binary} is not installed` : e.message;
        clearTimeout(timer);
        resolve(false);
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (started) {
      child.stdout!.removeAllListeners('data');
      child.stderr!.removeAllListeners('data');
      child.stdout!.resume();
      child.stderr!.resume();
      return {
        ok: true,
        server: {
          url: `redis://127.0.0.1:${port}`,
          port,
          stop: async () => {
            await stopChild(child);
            rmSync(dir, { recursive: true, force: true });
          },
        },
      };
    }
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    reason = output.trim().split('\n').slice(-3).join(' | ') || 'redis-server did not start';
    if (/not installed/.test(reason)) break;
  }
  return { ok: false, reason };
}

export function redisSkipMessage(what: string, reason: string): string {
  return `SKIPPED ${what}: cannot start redis-server (${reason}); on Debian: apt-get install redis-server (.ci/run does)`;
}
