import { parse } from 'yaml';
import { parseDocument } from '../../src/core/document.js';
import { LinkIndex } from '../../src/links/index.js';
import { planInferredLinks, type PrunePlan } from '../../src/links/prune.js';
import { recordFromDocument } from '../../src/links/record.js';
import type { Tree } from '../doubles/fake-github.js';

export const BASE = 'b'.repeat(40);
export const HEAD = 'a'.repeat(40);
export const HEAD2 = 'c'.repeat(40);
export const TODAY = '2026-02-10';
export const NEW_FILE = 'patterns/groundwater-monitoring.md';

/** Low threshold: these tests are about the machinery, not the ranking (the synthetic bodies share their words). */
export const CONFIG = 'links:\n  minConfidence: 0.01\n';
export const CONFIG_APPLY = 'links:\n  minConfidence: 0.01\n  applyCommand: true\n';

/** The core plan for a file of a tree, computed independently of the app (index of every pattern of the tree). */
export function corePlan(tree: Tree, file: string, extra: { max?: number; minConfidence?: number } = {}): PrunePlan {
  const docs = [...tree].filter(([p]) => p.startsWith('patterns/')).map(([p, t]) => parseDocument(p, t));
  const index = new LinkIndex(docs.map((d) => recordFromDocument(d)));
  return planInferredLinks(docs.find((d) => d.file === file)!, index, { max: extra.max ?? 12, minConfidence: extra.minConfidence ?? 0.01 });
}

export function frontmatterOf(text: string): Record<string, any> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) throw new Error('no frontmatter');
  return parse(m[1]!) as Record<string, any>;
}

export interface PostedComment {
  path: string;
  line: number;
  start_line?: number;
  body: string;
}

export function suggestionOf(body: string): string | undefined {
  return /(`{3,})suggestion\n([\s\S]*?)\1/.exec(body)?.[2];
}
