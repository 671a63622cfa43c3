/** The CLI's V8 flags are written twice (the shebang cannot import): they must not drift apart. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_V8_FLAGS } from '../../src/cli/v8-flags.js';

describe('CLI V8 flags', () => {
  it('the shebang of the gardener entry passes exactly CLI_V8_FLAGS', () => {
    const first = readFileSync(new URL('../../src/cli/main.ts', import.meta.url), 'utf8').split('\n')[0] as string;
    expect(first.startsWith('#!/usr/bin/env -S node ')).toBe(true);
    expect(first.slice('#!/usr/bin/env -S node '.length).split(' ')).toStrictEqual([...CLI_V8_FLAGS]);
  });

  it('every flag is one V8 accepts', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, [...CLI_V8_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect(out).toBe('ok');
  });
});
