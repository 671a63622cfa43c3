/** Runs the real engine over in-memory files: the same path the CLI takes, without the disk. */
import { DEFAULT_CONFIG, FileSelector, resolveConfig, type GardenerConfig } from '../../src/core/config.js';
import { CorpusIndex } from '../../src/core/corpus.js';
import { requireDate } from '../../src/core/dates.js';
import { parseDocument, type ParsedDocument } from '../../src/core/document.js';
import { Engine } from '../../src/core/engine.js';
import type { Finding } from '../../src/core/finding.js';
import { applyFixes } from '../../src/core/fixes.js';
import { DEFAULT_TODAY } from './pattern.js';

export interface CheckOptions {
  today?: string;
  /** Raw config data, validated and merged like a repository's config file. */
  config?: Record<string, unknown>;
  /** Only report findings for these files (the rest are corpus context). */
  only?: string[];
}

export function configFrom(raw?: Record<string, unknown>): GardenerConfig {
  if (!raw) return structuredClone(DEFAULT_CONFIG);
  const r = resolveConfig(raw);
  if (!r.ok) throw new Error(`bad test config: ${JSON.stringify(r.errors)}`);
  return r.config;
}

/** Parses like the CLI's disk adapter: the config's limits and kind globs apply. */
export function parseAll(files: Record<string, string | Uint8Array>, config: GardenerConfig = DEFAULT_CONFIG): ParsedDocument[] {
  const selector = new FileSelector(config);
  return Object.entries(files).map(([f, t]) => parseDocument(f, t, { limits: config.limits, kind: selector.kindOf(f) }));
}

export function checkFiles(files: Record<string, string | Uint8Array>, opts: CheckOptions = {}): Finding[] {
  const config = configFrom(opts.config);
  const engine = new Engine({ config, today: requireDate(opts.today ?? DEFAULT_TODAY) });
  const docs = parseAll(files, config);
  const corpus = CorpusIndex.fromDocuments(docs);
  const only = opts.only ? new Set(opts.only) : undefined;
  return engine.checkDocuments(
    docs.filter((d) => !only || only.has(d.file)),
    corpus,
  );
}

export function rulesOf(findings: readonly Finding[], file?: string): string[] {
  return findings.filter((f) => !file || f.file === file).map((f) => f.rule);
}

export function byRule(findings: readonly Finding[], rule: string, file?: string): Finding[] {
  return findings.filter((f) => f.rule === rule && (!file || f.file === file));
}

/**
 * Applies every fix reported for `file` and returns the new files map (the file replaced).
 * Also returns the fixes that were skipped because they collided.
 */
export function fixFile(
  files: Record<string, string>,
  findings: readonly Finding[],
  file: string,
  rule?: string,
): { files: Record<string, string>; text: string; skipped: number; applied: number } {
  const fixes = findings.filter((f) => f.file === file && f.fix && (!rule || f.rule === rule)).map((f) => f.fix!);
  const res = applyFixes(files[file] as string, fixes);
  return { files: { ...files, [file]: res.text }, text: res.text, skipped: res.skipped.length, applied: res.applied.length };
}
