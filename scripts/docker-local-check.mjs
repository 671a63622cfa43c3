#!/usr/bin/env node
/**
 * The Dockerfile's stages, built and run where no base image can be pulled (no Docker daemon, no registry
 * access), with buildah (Debian: `apt-get install buildah crun`), as root:
 *
 *  - every stage but the last runs the Dockerfile's own COPY and RUN lines in a folder of its own, with this
 *    machine's Node and npm standing in for the base image (npm ci reads the local npm cache first);
 *  - the last stage is a root filesystem made with `buildah from scratch`: this machine's node binary and the
 *    shared libraries it links, /etc/passwd with the base image's `node` user (uid 1000), CA certificates;
 *    then the stage's COPY lines, and its ENV, WORKDIR, USER, EXPOSE, HEALTHCHECK, STOPSIGNAL and CMD as
 *    image configuration; committed as an image;
 *  - a container of that image runs the server (chroot isolation, the host's network) with a throwaway app
 *    key; /healthz must answer 200, and the image's HEALTHCHECK command, run inside the container, must
 *    exit 0; the server must run as uid 1000.
 *
 *   node scripts/docker-local-check.mjs [--keep]     --keep leaves the image and the work folder
 *
 * What differs from `docker build`: the Node version is this machine's, not the pinned image's, and the
 * base image's Debian files other than those above are absent. It prints what it ran and measured.
 */
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const IMAGE = 'localhost/pattern-gardener:local-check';
// Docker's image format: OCI's has no HEALTHCHECK.
const buildahEnv = { ...process.env, STORAGE_DRIVER: process.env.STORAGE_DRIVER ?? 'vfs', BUILDAH_ISOLATION: 'chroot', BUILDAH_FORMAT: 'docker' };
const log = (s) => process.stdout.write(`${s}\n`);
const buildah = (...args) => execFileSync('buildah', args, { env: buildahEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

// ── the Dockerfile, as instructions (continuation lines joined, comments dropped) ──────────────────
const lines = readFileSync(join(root, 'Dockerfile'), 'utf8').split('\n');
const instructions = [];
for (let i = 0; i < lines.length; i++) {
  let line = lines[i] ?? '';
  if (/^\s*(#|$)/.test(line)) continue;
  while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${(lines[++i] ?? '').trim()}`;
  const m = /^\s*(\w+)\s+(.*)$/.exec(line);
  if (m) instructions.push({ op: m[1].toUpperCase(), rest: m[2].trim() });
}
const args = Object.fromEntries(instructions.filter((x) => x.op === 'ARG').map((x) => x.rest.split('=')));
const stages = [];
for (const x of instructions) {
  if (x.op === 'FROM') {
    const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(x.rest);
    stages.push({ from: m[1].replace(/\$\{(\w+)\}/g, (_, n) => args[n] ?? ''), name: m[2] ?? String(stages.length), steps: [] });
  } else if (stages.length > 0) stages.at(-1).steps.push(x);
}
log(`Dockerfile: ${stages.length} stages (${stages.map((s) => `${s.name} FROM ${s.from}`).join('; ')})`);

const work = mkdtempSync(join(tmpdir(), 'gardener-docker-'));
const stageRoots = new Map();
const started = Date.now();

/** COPY [--from=stage] src... dest, inside a stage whose filesystem root is `into` and working directory `wd`. */
function copy(rest, into, wd) {
  const parts = rest.split(/\s+/);
  let from;
  if (parts[0]?.startsWith('--from=')) from = parts.shift().slice('--from='.length);
  if (parts.some((p) => p.startsWith('--'))) throw new Error(`COPY option not supported here: ${rest}`);
  const dest = parts.pop();
  const destAbs = join(into, dest.startsWith('/') ? dest : join(wd, dest));
  for (const src of parts) {
    const srcAbs = from ? join(stageRoots.get(from), src) : join(root, src);
    if (!existsSync(srcAbs)) throw new Error(`COPY: ${src} does not exist${from ? ` in stage ${from}` : ' in the build context'}`);
    const target = dest.endsWith('/') || parts.length > 1 ? join(destAbs, basename(src)) : destAbs;
    mkdirSync(dirname(target), { recursive: true });
    cpSync(srcAbs, target, { recursive: true, dereference: false });
  }
}

// ── stages before the last: COPY and RUN in a folder, this machine's Node as the base ──────────────
for (const stage of stages.slice(0, -1)) {
  const dir = join(work, stage.name);
  mkdirSync(dir);
  stageRoots.set(stage.name, dir);
  let wd = '/';
  const env = { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' };
  for (const step of stage.steps) {
    if (step.op === 'WORKDIR') {
      wd = step.rest;
      mkdirSync(join(dir, wd), { recursive: true });
    } else if (step.op === 'COPY') copy(step.rest, dir, wd);
    else if (step.op === 'RUN') {
      const t = Date.now();
      execFileSync('sh', ['-c', step.rest], { cwd: join(dir, wd), env, stdio: ['ignore', 'ignore', 'inherit'] });
      log(`[${stage.name}] RUN ${step.rest}  (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    } else if (step.op === 'ENV') Object.assign(env, parseEnv(step.rest));
    else throw new Error(`[${stage.name}] ${step.op} is not supported in a build stage here`);
  }
}

function parseEnv(rest) {
  const out = {};
  for (const m of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) out[m[1]] = m[2].replace(/^"|"$/g, '');
  return out;
}

// ── the last stage: a root filesystem from scratch ─────────────────────────────────────────────────
const final = stages.at(-1);
const ctr = buildah('from', '--name', `gardener-local-check-${process.pid}`, 'scratch');
let runCtr;
let server;
try {
  const mnt = buildah('mount', ctr);
  stageRoots.set(final.name, mnt);
  // What the base image provides that the app needs: node, its libraries, the `node` user, CA certificates.
  const node = execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).trim();
  mkdirSync(join(mnt, 'usr/local/bin'), { recursive: true });
  cpSync(node, join(mnt, 'usr/local/bin/node'), { dereference: true });
  for (const lib of execFileSync('ldd', [node], { encoding: 'utf8' }).match(/\/\S+/g) ?? []) {
    mkdirSync(dirname(join(mnt, lib)), { recursive: true });
    cpSync(lib, join(mnt, lib), { dereference: true });
  }
  mkdirSync(join(mnt, 'etc/ssl/certs'), { recursive: true });
  if (existsSync('/etc/ssl/certs/ca-certificates.crt')) cpSync('/etc/ssl/certs/ca-certificates.crt', join(mnt, 'etc/ssl/certs/ca-certificates.crt'));
  writeFileSync(join(mnt, 'etc/passwd'), 'root:x:0:0:root:/root:/usr/sbin/nologin\nnode:x:1000:1000::/home/node:/usr/sbin/nologin\n');
  writeFileSync(join(mnt, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
  mkdirSync(join(mnt, 'home/node'), { recursive: true });
  execFileSync('chown', ['1000:1000', join(mnt, 'home/node')]);
  mkdirSync(join(mnt, 'tmp'), { recursive: true });
  chmodSync(join(mnt, 'tmp'), 0o1777);
  const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

  let wd = '/';
  const config = [];
  let healthcheck;
  for (const step of final.steps) {
    if (step.op === 'WORKDIR') {
      wd = step.rest;
      mkdirSync(join(mnt, wd), { recursive: true });
      config.push('--workingdir', wd);
    } else if (step.op === 'COPY') copy(step.rest, mnt, wd);
    else if (step.op === 'ENV') for (const [k, v] of Object.entries(parseEnv(step.rest))) config.push('--env', `${k}=${v}`);
    else if (step.op === 'USER') config.push('--user', step.rest);
    else if (step.op === 'EXPOSE') config.push('--port', step.rest);
    else if (step.op === 'STOPSIGNAL') config.push('--stop-signal', step.rest);
    else if (step.op === 'CMD') config.push('--cmd', step.rest);
    else if (step.op === 'HEALTHCHECK') {
      const m = /^(.*?)\bCMD\s+(\[.*\])$/.exec(step.rest);
      healthcheck = JSON.parse(m[2]);
      // buildah takes the command as one shell-like string (no JSON form): quote each word; the image's
      // configuration is compared with the Dockerfile's words below.
      const word = (w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `"${w.replace(/[\\"$`]/g, '\\$&')}"`);
      config.push('--healthcheck', `CMD ${healthcheck.map(word).join(' ')}`);
      for (const o of m[1].matchAll(/--([\w-]+)=(\S+)/g)) config.push(`--healthcheck-${o[1]}`, o[2]);
    } else throw new Error(`[${final.name}] ${step.op} is not supported in the last stage here`);
  }
  buildah('umount', ctr);
  buildah('config', ...config, ctr);
  buildah('commit', '--quiet', '--format', 'docker', ctr, IMAGE);
  const inspect = JSON.parse(buildah('inspect', '--type', 'image', IMAGE));
  const dockerConfig = inspect.Docker?.config ?? {};
  if (JSON.stringify(dockerConfig.Healthcheck?.Test) !== JSON.stringify(['CMD', ...healthcheck]))
    throw new Error(`the image's healthcheck is ${JSON.stringify(dockerConfig.Healthcheck?.Test)}`);
  log(
    `[${final.name}] rootfs from scratch + node ${nodeVersion} (${node}) → ${IMAGE}: user ${dockerConfig.User}, cmd ${JSON.stringify(dockerConfig.Cmd)}, healthcheck ${JSON.stringify(dockerConfig.Healthcheck?.Test)}`,
  );

  // ── run it: the server with a throwaway key, /healthz from outside, the HEALTHCHECK from inside ───
  const port = await new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' });
  runCtr = buildah('from', '--name', `gardener-local-run-${process.pid}`, IMAGE);
  const runEnv = ['APP_ID=1', `PRIVATE_KEY=${key}`, 'WEBHOOK_SECRET=local-check', `PORT=${port}`];
  const t0 = Date.now();
  server = spawn('buildah', ['run', '--isolation', 'chroot', ...runEnv.flatMap((e) => ['--env', e]), runCtr, '--', ...dockerConfig.Cmd], {
    env: buildahEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let serverOut = '';
  server.stdout.on('data', (d) => (serverOut += d));
  server.stderr.on('data', (d) => (serverOut += d));
  let health;
  for (let i = 0; i < 120 && !health; i++) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      health = { status: r.status, body: await r.json() };
    } catch {
      /* not listening yet */
    }
  }
  if (!health) throw new Error(`the server did not answer /healthz within 60 s:\n${serverOut.slice(-2000)}`);
  log(`container: GET /healthz → ${health.status} ${JSON.stringify(health.body)} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const check = execFileSync('buildah', ['run', '--isolation', 'chroot', '--env', `PORT=${port}`, runCtr, '--', ...healthcheck], {
    env: buildahEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  log(`container: HEALTHCHECK ${JSON.stringify(healthcheck).slice(0, 60)}… → exit 0${check.length ? ` (${check})` : ''}`);
  const uid = execFileSync(
    'buildah',
    ['run', '--isolation', 'chroot', runCtr, '--', 'node', '-e', 'process.stdout.write(process.getuid()+":"+require("node:os").userInfo().username)'],
    { env: buildahEnv, encoding: 'utf8' },
  ).trim();
  log(`container: runs as ${uid}`);
  if (health.status !== 200 || !uid.startsWith('1000:')) throw new Error('unexpected health status or user');
  log(`docker-local-check: ok in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  if (server && server.exitCode === null) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  for (const c of [runCtr, ctr]) {
    if (c) {
      try {
        buildah('rm', c);
      } catch {
        /* already removed */
      }
    }
  }
  if (!keep) {
    try {
      buildah('rmi', IMAGE);
    } catch {
      /* not committed */
    }
    rmSync(work, { recursive: true, force: true });
  } else log(`kept: image ${IMAGE}, stage folders in ${work}`);
}
