/**
 * Tokenising for the link engine: lower-cased words, stop words removed, a light
 * plural-folding stemmer (so that the surface form shown in a reason is almost always
 * a word that really occurs in both documents).
 */

const STOP = new Set(
  (
    'a about above across after again against all almost also although always am among an and another any are around as at be ' +
    'because been before being below between both but by can cannot could did do does doing done down during each either else ' +
    'enough even ever every few for from further had has have having he her here hers herself him himself his how however i if ' +
    'in into is it its itself just least less like made make makes making many may me might more most much must my myself near ' +
    'need needs neither never no nor not now of off often on once one only onto or other others our ours ourselves out over own ' +
    'per perhaps rather same seem seems several shall she should since so some still such than that the their theirs them ' +
    'themselves then there these they this those though through thus to together too toward towards under until up upon us ' +
    'use used uses using very via was we well were what when where whether which while who whom whose why will with within ' +
    'without would yet you your yours yourself yourselves e g eg ie etc vs s t re ve ll d m isn aren wasn weren don doesn ' +
    'didn won wouldn shouldn couldn can t new two three first second third also become becomes becoming across instead already ' +
    'get gets got given give gives way ways thing things something anything everything nothing within upon whose whereby'
  ).split(/\s+/),
);

/** Plural folding only: "patterns" → "pattern", "policies" → "policy", "analyses" kept. */
export function stem(w: string): string {
  const n = w.length;
  if (n <= 3) return w;
  if (w.endsWith('ies') && n > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses') || w.endsWith('xes') || w.endsWith('ches') || w.endsWith('shes')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is') && !w.endsWith('ics')) return w.slice(0, -1);
  return w;
}

const stemCache = new Map<string, string>();

const NON_WORD = /[^a-z0-9\u00df-\u024f\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u3040-\u9fff\uac00-\ud7af]+/;

/** Calls `fn(term, surface)` for every indexable word of `text` (apostrophe suffixes drop out as 1-letter words). */
export function forEachTerm(text: string, fn: (term: string, surface: string) => void): void {
  const parts = text.toLowerCase().split(NON_WORD);
  for (let i = 0; i < parts.length; i++) {
    const w = parts[i]!;
    const len = w.length;
    if (len < 2 || len > 40) continue;
    if (STOP.has(w)) continue;
    if (len < 4) {
      const d0 = w.charCodeAt(0);
      if (d0 >= 48 && d0 <= 57 && /^\d+$/.test(w)) continue;
    }
    let st = stemCache.get(w);
    if (st === undefined) {
      st = stem(w);
      if (stemCache.size > 500_000) stemCache.clear();
      stemCache.set(w, st);
    }
    fn(st, w);
  }
}

export function terms(text: string): string[] {
  const out: string[] = [];
  forEachTerm(text, (t) => out.push(t));
  return out;
}

/** Normalised label for exact comparisons of entities, keywords and communities. */
export function normLabel(s: string): string {
  return s
    .toLowerCase()
    .replace(/[_\s]+/g, '-')
    .replace(/[^\p{L}\p{N}-]+/gu, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}
