/** The json format written in pieces is exactly the one JSON document it always was. */
import { describe, expect, it } from 'vitest';
import { formatJson, formatJsonChunks, toJsonReport } from '../../src/cli/format/json.js';
import type { Finding } from '../../src/core/finding.js';

function finding(i: number): Finding {
  const f: Finding = {
    rule: i % 3 === 0 ? 'links/reciprocal' : 'schema/invalid',
    severity: i % 2 === 0 ? 'warning' : 'error',
    file: `dir/p-${i}.md`,
    line: i + 1,
    column: 3,
    endLine: i + 2,
    message: `says "x"\\ \u2028 ${'\ud800'} line\nbreak ${i}`,
    target: `t${i}`,
  };
  if (i % 4 === 0) f.fix = { description: 'Add it', edits: i % 8 === 0 ? [] : [{ line: 1, endLine: 2, text: '  a: 1\n  b: [x]\n' }] };
  return f;
}

describe('json format in chunks', () => {
  it('joins to JSON.stringify of the report, empty or long', () => {
    for (const n of [0, 1, 7, 2500]) {
      const findings = Array.from({ length: n }, (_, i) => finding(i));
      const chunks = [...formatJsonChunks(n + 1, findings)];
      expect(chunks.join('')).toBe(`${JSON.stringify(toJsonReport(n + 1, findings), null, 2)}\n`);
      expect(formatJson(n + 1, findings)).toBe(chunks.join(''));
      // Long reports come in several pieces, never as one string.
      expect(chunks.length).toBe(Math.floor(n / 1000) + 1);
    }
  });
});
