/** Sweep compute: files in, garden report out. Pure (no clock, no I/O). */
import { FileSelector, type GardenerConfig } from '../core/config.js';
import { CorpusIndex } from '../core/corpus.js';
import type { CalendarDate } from '../core/dates.js';
import { parseDocument, type ParsedDocument } from '../core/document.js';
import { evaluateGarden, type GardenReport, type SignalThresholds } from './signals.js';

export interface ComputeOptions {
  config: GardenerConfig;
  today: CalendarDate;
  lastChange?: ReadonlyMap<string, string>;
  firstSeen?: ReadonlyMap<string, string>;
  thresholds?: Partial<SignalThresholds>;
  /** The tree's other files (attachments, files the config leaves out): note links may name them. */
  otherFiles?: Iterable<string>;
}

export interface Garden {
  docs: ParsedDocument[];
  corpus: CorpusIndex;
  report: GardenReport;
}

/** Parses the selected files of a tree (path -> bytes) the way `gardener check` would. */
export function parseFiles(files: ReadonlyMap<string, Uint8Array | string>, config: GardenerConfig): ParsedDocument[] {
  const selector = new FileSelector(config);
  const docs: ParsedDocument[] = [];
  for (const [file, bytes] of [...files].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!selector.selects(file)) continue;
    docs.push(parseDocument(file, bytes, { limits: config.limits, kind: selector.kindOf(file) }));
  }
  return docs;
}

export function computeGarden(docs: ParsedDocument[], opts: ComputeOptions): Garden {
  const corpus = CorpusIndex.fromDocuments(docs, opts.otherFiles);
  const report = evaluateGarden(docs, corpus, {
    config: opts.config,
    today: opts.today,
    lastChange: opts.lastChange,
    firstSeen: opts.firstSeen,
    thresholds: opts.thresholds,
  });
  return { docs, corpus, report };
}

/** Slugs a push touched plus the patterns that link to them (their links may now dangle or resolve). */
export function affectedSlugs(corpus: CorpusIndex, changedFiles: Iterable<string>, removedSlugs: Iterable<string> = []): Set<string> {
  const out = new Set<string>();
  const touched = new Set<string>(removedSlugs);
  for (const f of changedFiles) {
    const e = corpus.entries.get(f);
    if (e) touched.add(e.slug);
  }
  for (const s of touched) {
    out.add(s);
    for (const i of corpus.inbound(s)) out.add(i.slug);
  }
  return out;
}
