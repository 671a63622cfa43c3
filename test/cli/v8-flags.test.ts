/** The CLI's entry runs under any `env` and sets its V8 flags itself. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_V8_FLAGS } from '../../src/cli/v8-flags.js';

describe('CLI V8 flags', () => {
  it('the shebang of the gardener entry is a plain `env node` (BusyBox env has no -S)', () => {
    const first = readFileSync(new URL('../../src/cli/main.ts', import.meta.url), 'utf8').split('\n')[0] as string;
    expect(first).toBe('#!/usr/bin/env node');
  });

  it('the built entry keeps that shebang and is run by the plain shebang', async () => {
    const { execFileSync } = await import('node:child_process');
    const entry = new URL('../../dist/cli/main.js', import.meta.url);
    expect(readFileSync(entry, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const out = execFileSync(process.execPath, [entry.pathname, '--version'], { encoding: 'utf8' });
    expect(out.trim()).toMatch(/\d+\.\d+\.\d+/);
  });

  it('every flag is one V8 accepts', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, [...CLI_V8_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect(out).toBe('ok');
  });
});
