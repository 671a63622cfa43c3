/**
 * Integration on the real corpus (../shared/corpus/commons-os-patterns.tar.gz, extracted once to a
 * temp dir). Skips, and says so on the console, when the tarball is not there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/document.js';
import type { JsonReport } from '../../src/cli/format/json.js';
import { corpusFiles, realCorpus, skipMessage } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';

const dir = realCorpus();
if (!dir) console.warn(skipMessage('corpus integration tests (test/cli/corpus.integration.test.ts)'));

type JsonFinding = JsonReport['findings'][number];

describe.skipIf(!dir)('gardener check on the real corpus', () => {
  let report: JsonReport;
  let code: number;
  let files: string[];
  /** Kind and slug of every file, parsed once. */
  const meta = new Map<string, { kind: string; slug: string }>();
  const findingsOf = (file: string) => report.findings.filter((f) => f.file === file);

  beforeAll(async () => {
    files = corpusFiles(dir!);
    for (const f of files) {
      const d = parseDocument(f, readFileSync(join(dir!, f)));
      meta.set(f, { kind: d.kind, slug: d.slug });
    }
    const r = await runCli(['check', dir!, '--format', 'json', '--today', '2026-11-21']);
    expect(r.stderr).toBe('');
    code = r.code;
    report = JSON.parse(r.stdout) as JsonReport;
  }, 300_000);

  it('checks all 3,616 files without a crash', () => {
    expect(files.length).toBe(3616);
    expect(report.files).toBe(3616);
    expect(code).toBe(1); // the corpus has real errors
    for (const f of report.findings) {
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.endLine).toBeGreaterThanOrEqual(f.line);
    }
  });

  it.each(['animal-communication-practice.md', 'animal-relationship-ethics.md'])('%s is yaml/syntax at its real line', (file) => {
    const text = readFileSync(join(dir!, file), 'utf8');
    const lines = text.split('\n');
    // Independently: a flow mapping `ontology: {` that does not close on its line, and the next line
    // starts a block key inside it, which is where a parser must fail (no `,` or `}`).
    const open = lines.findIndex((l) => /^ontology: \{/.test(l) && !l.includes('}'));
    expect(open).toBeGreaterThan(0);
    expect(lines[open + 1]).toMatch(/^\s+[a-z_]+:\s*$/);
    const offending = open + 2; // 1-based file line of the line after the opening
    const f = findingsOf(file);
    expect(f.map((x) => x.rule)).toEqual(['yaml/syntax']);
    expect(f[0]!.severity).toBe('error');
    expect(f[0]!.line).toBe(offending);
  });

  it('abundant-vs-scarcity-mindset gets a did-you-mean fix to abundance-vs-scarcity-mindset', () => {
    const hits = report.findings.filter((f) => f.rule === 'links/unknown-target' && f.message.includes('`abundant-vs-scarcity-mindset`'));
    expect(hits.length).toBeGreaterThanOrEqual(5);
    for (const h of hits) {
      expect(h.message).toContain('Did you mean `abundance-vs-scarcity-mindset`?');
      const line = readFileSync(join(dir!, h.file), 'utf8').split('\n')[h.line - 1]!;
      expect(line).toContain('abundant-vs-scarcity-mindset');
      expect(h.fix!.edits).toEqual([
        { line: h.line, endLine: h.line, text: `${line.replace('abundant-vs-scarcity-mindset', 'abundance-vs-scarcity-mindset')}\n` },
      ]);
    }
  });

  it('every did-you-mean fix replaces the target by an existing slug', () => {
    const slugs = new Set([...meta.values()].map((m) => m.slug));
    const dym = report.findings.filter(
      (f): f is JsonFinding & { fix: NonNullable<JsonFinding['fix']> } => f.rule === 'links/unknown-target' && f.fix !== undefined,
    );
    expect(dym.length).toBeGreaterThan(0);
    for (const f of dym) {
      const m = /Did you mean `([^`]+)`\?/.exec(f.message);
      expect(m, f.message).not.toBeNull();
      expect(slugs.has(m![1]!), `${f.file}: ${m![1]}`).toBe(true);
      expect(f.fix.edits[0]!.text).toContain(m![1]!);
    }
  });

  it('legacy files get exactly one legacy/predates-v7 and no body/* or assessment/* findings but paste artifacts', () => {
    const legacy = files.filter((f) => meta.get(f)!.kind === 'commons-pattern-legacy');
    expect(legacy.length).toBeGreaterThan(1000);
    const byFile = new Map<string, JsonFinding[]>();
    for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const file of legacy) {
      const f = byFile.get(file) ?? [];
      expect(
        f.filter((x) => x.rule === 'legacy/predates-v7'),
        file,
      ).toHaveLength(1);
      // A stray fence line is damage in any kind of file; the v7.1 body and score rules are not for legacy files.
      expect(
        f.filter((x) => /^(body|assessment)\//.test(x.rule) && x.rule !== 'body/stray-fence'),
        file,
      ).toEqual([]);
    }
  });

  it('applying every fix of every file yields files that still parse', async () => {
    const { applyFixes } = await import('../../src/core/fixes.js');
    const byFile = new Map<string, NonNullable<JsonFinding['fix']>[]>();
    for (const f of report.findings) if (f.fix) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.fix]);
    expect(byFile.size).toBeGreaterThan(0);
    const broken: string[] = [];
    for (const [file, fixes] of byFile) {
      const before = parseDocument(file, readFileSync(join(dir!, file)));
      const text = applyFixes(readFileSync(join(dir!, file), 'utf8'), fixes).text;
      const after = parseDocument(file, text);
      const bad = after.problems.filter((p) => p.code.startsWith('yaml/') && !before.problems.some((q) => q.code === p.code));
      if (bad.length > 0) broken.push(`${file}: ${bad.map((p) => `${p.code}@${p.line}`).join(', ')}`);
    }
    expect(broken).toEqual([]);
  });
});
