/**
 * Deterministic synthetic pattern corpus (seeded PRNG): v7.1 frontmatter in the seed
 * pattern's layout, eight body sections with plausible word counts, topical vocabulary
 * clusters so that link proposals are meaningful, hard links, inferred links, some
 * dangling links and some stale `last_pruned` dates. All text is generated here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SynthOptions {
  /** Corpus size (link targets are drawn from 0..count-1). */
  count: number;
  seed?: number;
  /** Share of hard links pointing to patterns that do not exist (default 0.03). */
  danglingRate?: number;
  /** Share of patterns with a stale last_pruned date (default 0.2). */
  staleRate?: number;
  /** Scale body word counts (default 1). */
  bodyScale?: number;
  /** Share of hard links to an existing pattern whose slug carries a one-letter typo (default 0). */
  typoRate?: number;
}

/** mulberry32 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS: { name: string; domain: string; words: string[] }[] = [
  {
    name: 'water',
    domain: 'ecology',
    words: 'watershed river aquifer irrigation rainfall drought wetland basin runoff reservoir groundwater estuary catchment'.split(' '),
  },
  {
    name: 'soil',
    domain: 'ecology',
    words: 'compost humus mulch fertility tillage cover-crop microbes erosion nutrients orchard seedbank rotation'.split(' '),
  },
  {
    name: 'energy',
    domain: 'infrastructure',
    words: 'solar microgrid battery turbine inverter load demand storage feeder kilowatt heatpump retrofit'.split(' '),
  },
  { name: 'money', domain: 'finance', words: 'ledger budget credit dividend surplus invoice treasury capital lending reserve tariff payroll'.split(' ') },
  {
    name: 'governance',
    domain: 'governance',
    words: 'charter quorum mandate consent veto council bylaws delegate election assembly proposal ballot'.split(' '),
  },
  { name: 'care', domain: 'life', words: 'caregiver respite elder childcare wellbeing nursing hospice grief household kinship neighbour meals'.split(' ') },
  {
    name: 'learning',
    domain: 'education',
    words: 'curriculum mentor apprentice cohort syllabus tutoring literacy workshop rubric feedback portfolio lecture'.split(' '),
  },
  {
    name: 'software',
    domain: 'technology',
    words: 'repository deployment pipeline container latency schema endpoint rollback telemetry cache compiler refactor'.split(' '),
  },
  { name: 'housing', domain: 'urban', words: 'tenant landlord lease cooperative zoning rent dwelling mortgage eviction density courtyard housing'.split(' ') },
  { name: 'food', domain: 'life', words: 'harvest pantry kitchen grocer ferment preserve menu farmer market supply-chain bakery grain'.split(' ') },
  {
    name: 'conflict',
    domain: 'social',
    words: 'mediation grievance dispute apology restorative circle facilitator harm repair dialogue trust accountability'.split(' '),
  },
  {
    name: 'health',
    domain: 'life',
    words: 'clinic diagnosis patient therapy vaccine prevention triage symptom recovery pharmacy nutrition fitness'.split(' '),
  },
  { name: 'mobility', domain: 'urban', words: 'transit bicycle commute route timetable station freight sidewalk traffic carpool depot corridor'.split(' ') },
  {
    name: 'data',
    domain: 'technology',
    words: 'dataset consent provenance anonymise steward catalogue metadata archive retention audit privacy sovereignty'.split(' '),
  },
  { name: 'work', domain: 'business', words: 'shift wage workload roster union contract overtime hiring onboarding burnout promotion craft'.split(' ') },
  {
    name: 'forest',
    domain: 'ecology',
    words: 'canopy timber understory wildfire seedling biodiversity habitat logging reforestation fungi grove ranger'.split(' '),
  },
];
const COMMON =
  'system community practice people shared process value change group decision resource rhythm boundary signal pattern steward commons structure relationship'.split(
    ' ',
  );
const FILLER = 'the a of and to in that with for as on by from this each when their which can will more through into'.split(' ');
const ADJ = 'adaptive shared local living open distributed resilient fair seasonal participatory transparent regenerative collective nested'.split(' ');
const NOUN = 'ledger circle protocol cycle map charter commons loop council garden ritual network audit compact'.split(' ');
const SECTIONS: [string, number, number][] = [
  ['Context', 100, 200],
  ['Problem', 100, 200],
  ['Solution', 200, 400],
  ['Implementation', 300, 500],
  ['Consequences', 200, 300],
  ['Known Uses', 200, 300],
  ['Cognitive Era', 150, 250],
  ['Vitality', 200, 300],
];
const REL_KEYS = ['generalizes_from', 'specializes_to', 'enables', 'requires', 'alternatives', 'complementary', 'tools'] as const;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Topic of pattern i (stable for a given seed and count). */
export function topicOf(i: number, seed = 1): number {
  return Math.floor(prng(seed * 7919 + i * 104729)() * TOPICS.length);
}

function slugOf(i: number, seed: number): string {
  const r = prng(seed * 31 + i * 977);
  const t = TOPICS[topicOf(i, seed)]!;
  return `${pick(r, ADJ)}-${pick(r, t.words).replace(/[^a-z-]/g, '')}-${pick(r, NOUN)}-${i.toString(36)}`;
}

function typeid(r: () => number): string {
  const a = '0123456789abcdefghjkmnpqrstvwxyz';
  let s = 'pat_01';
  for (let i = 0; i < 24; i++) s += a[Math.floor(r() * 32)];
  return s;
}

function sentence(r: () => number, topic: string[], other: string[], n: number): string {
  const ws: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    ws.push(x < 0.35 ? pick(r, topic) : x < 0.45 ? pick(r, other) : x < 0.6 ? pick(r, COMMON) : pick(r, FILLER));
  }
  return cap(ws.join(' ')) + '.';
}

function paragraph(r: () => number, topic: string[], other: string[], words: number): string {
  const out: string[] = [];
  let left = words;
  while (left > 0) {
    const n = Math.min(left, 8 + Math.floor(r() * 14));
    out.push(sentence(r, topic, other, n));
    left -= n;
  }
  return out.join(' ');
}

function date(r: () => number, stale: boolean): string {
  const y = stale ? 2024 + Math.floor(r() * 2) : 2026;
  const m = 1 + Math.floor(r() * (stale ? 12 : 3));
  const d = 1 + Math.floor(r() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Index of a pattern near i with the same topic (deterministic search in a window). */
function sameTopicNeighbour(r: () => number, i: number, count: number, seed: number): number {
  const t = topicOf(i, seed);
  for (let tries = 0; tries < 40; tries++) {
    const j = Math.floor(r() * count);
    if (j !== i && topicOf(j, seed) === t) return j;
  }
  return (i + 1) % count;
}

/**
 * `slug` with one letter substituted, dropped, doubled or swapped with its neighbour, inside its words
 * (not its trailing number, so the typo rarely lands on another pattern's slug).
 */
export function misspell(slug: string, r: () => number): string {
  const end = slug.lastIndexOf('-');
  const letters: number[] = [];
  for (let i = 0; i < end; i++) if (slug[i] !== '-') letters.push(i);
  const at = letters[Math.floor(r() * letters.length)] ?? 0;
  const ch = slug[at] as string;
  const other = String.fromCharCode(97 + ((ch.charCodeAt(0) - 97 + 1 + Math.floor(r() * 25)) % 26));
  switch (Math.floor(r() * 4)) {
    case 0:
      return slug.slice(0, at) + other + slug.slice(at + 1);
    case 1:
      return slug.slice(0, at) + slug.slice(at + 1);
    case 2:
      return slug.slice(0, at) + ch + slug.slice(at);
    default: {
      const next = slug[at + 1];
      if (next === undefined || next === '-' || next === ch) return slug.slice(0, at) + other + slug.slice(at + 1);
      return slug.slice(0, at) + next + ch + slug.slice(at + 2);
    }
  }
}

/** One pattern file: `{file, text}`. */
export function generatePattern(i: number, opts: SynthOptions): { file: string; text: string } {
  const seed = opts.seed ?? 1;
  const count = Math.max(2, opts.count);
  const r = prng(seed * 1_000_003 + i * 7_919 + 17);
  // Typos draw from their own stream: a corpus without them is the same as before the option existed.
  const typoRate = opts.typoRate ?? 0;
  const typos = prng(seed * 4_999_999 + i * 6_151 + 29);
  const t = topicOf(i, seed);
  const topic = TOPICS[t]!;
  const second = TOPICS[(t + 1 + Math.floor(r() * (TOPICS.length - 1))) % TOPICS.length]!;
  const slug = slugOf(i, seed);
  const kw = [...new Set([pick(r, topic.words), pick(r, topic.words), pick(r, topic.words), pick(r, second.words), pick(r, COMMON)])];
  const titleWords = slug.split('-').slice(0, 3).map(cap).join(' ');
  const title = `${titleWords} ${i}`;
  const tension = `${cap(pick(r, topic.words))} vs. ${cap(pick(r, second.words))}`;
  const summary = paragraph(r, topic.words, second.words, 18 + Math.floor(r() * 14));
  const score = (): string => (2 + Math.floor(r() * 7) / 2).toFixed(1);
  const rels: Record<string, string[]> = {};
  for (const k of REL_KEYS) {
    rels[k] = [];
    const n = k === 'complementary' || k === 'enables' ? Math.floor(r() * 4) : r() < 0.25 ? 1 : 0;
    for (let x = 0; x < n; x++) {
      if (r() < (opts.danglingRate ?? 0.03)) rels[k]!.push(`- slug: missing-${pick(r, topic.words)}-${Math.floor(r() * 1e6).toString(36)}\n      weight: 0.7`);
      else {
        const j = r() < 0.8 ? sameTopicNeighbour(r, i, count, seed) : Math.floor(r() * count);
        if (j === i) continue;
        const target = typoRate > 0 && typos() < typoRate ? misspell(slugOf(j, seed), typos) : slugOf(j, seed);
        rels[k]!.push(`- slug: ${target}\n      weight: ${(0.6 + r() * 0.35).toFixed(2)}`);
      }
    }
  }
  const relYaml = REL_KEYS.map((k) => (rels[k]!.length ? `  ${k}:\n${rels[k]!.map((e) => `    ${e}`).join('\n')}` : `  ${k}: []`)).join('\n');
  const ents = [...new Set([pick(r, topic.words), pick(r, topic.words), pick(r, second.words)])];
  const entYaml = ents
    .map((e, x) => `    - id: ${e}\n      type: concept\n      label: "${e.split('-').map(cap).join(' ')}"\n      relevance: ${(1 - x * 0.1).toFixed(2)}`)
    .join('\n');
  const inferred: string[] = [];
  const ni = Math.floor(r() * 3);
  for (let x = 0; x < ni; x++) {
    const dangling = r() < 0.1;
    const target = dangling ? `gone-${Math.floor(r() * 1e6).toString(36)}` : slugOf(sameTopicNeighbour(r, i, count, seed), seed);
    inferred.push(
      `    - target: ${target}\n      type: complementary\n      confidence: ${(0.5 + r() * 0.45).toFixed(2)}\n      reason: "Shared keywords: ${pick(r, topic.words)}"`,
    );
  }
  const stale = r() < (opts.staleRate ?? 0.2);
  const bar = '# ═══════════════════════════════════════════════════════════════════';
  const group = (n: number, name: string): string => `${bar}\n# GROUP ${n}: ${name}\n${bar}`;
  const fm = `---
${group(1, 'CORE IDENTITY')}
id: ${typeid(r)}
slug: ${slug}
title: "${title}"
aliases: []
summary: >-
  ${summary}

${group(2, 'CONTEXTUAL TRANSLATION (The Navigator Engine)')}
context_labels:
  corporate: "${title} for Organizations"
  government: "${title} in Public Service"
  activist: "${title} for Movements"
  tech: "${title} for Products"

${group(3, 'ONTOLOGY & SEARCH OPTIMIZATION (The RAG Fuel)')}
ontology:
  domain: ${topic.domain}
  cross_domains: [${second.domain}]
  search_hints:
    primary_tension: "${tension}"
    vector_keywords: [${kw.map((k) => `"${k}"`).join(', ')}]
  commons_assessment:
    stakeholder_architecture: ${score()}
    value_creation: ${score()}
    resilience: ${score()}
    ownership: ${score()}
    autonomy: ${score()}
    composability: ${score()}
    fractal_value: ${score()}
    vitality: ${score()}
    vitality_reasoning: >-
      ${paragraph(r, topic.words, COMMON, 20)}
    overall_score: ${score()}

${group(4, 'LIFECYCLE & CONFIDENCE')}
lifecycle:
  usage_stage: ${pick(r, ['design', 'application', 'evaluation'])}
  adoption_stage: ${pick(r, ['emerging', 'growth', 'mature'])}
  status: ${pick(r, ['draft', 'stable'])}
  version: 0.${1 + Math.floor(r() * 9)}
  confidence: ${1 + Math.floor(r() * 5)}

${group(5, 'HARD RELATIONSHIPS (Human-Curated Graph)')}
relationships:
${relYaml}
${group(6, 'GRAPH GARDEN (Machine-Written Graph)')}
graph_garden:
  last_pruned: ${date(r, stale)}
  entities:
${entYaml}
  communities:
    - id: ${topic.name}-commons
      label: "${cap(topic.name)} Commons"
      source: inferred
      confidence: 0.9
  inferred_links:${inferred.length ? '\n' + inferred.join('\n') : ' []'}

${group(7, 'PROVENANCE')}
contributors: ["synth"]
sources: []
license: CC0-1.0
attribution: "synthetic pattern generated by pattern-gardener"
---
`;
  const scale = opts.bodyScale ?? 1;
  const body: string[] = [`> ${summary}`, '', '---', ''];
  SECTIONS.forEach(([name, lo, hi], x) => {
    const words = Math.max(20, Math.round((lo + r() * (hi - lo)) * scale));
    body.push(`### Section ${x + 1}: ${name}`, '');
    if (name === 'Problem') body.push(`> **The core conflict is ${tension}.**`, '');
    if (name === 'Solution') body.push(`> **Therefore, ${sentence(r, topic.words, COMMON, 12).toLowerCase()}**`, '');
    let left = words;
    while (left > 0) {
      const n = Math.min(left, 60 + Math.floor(r() * 60));
      body.push(paragraph(r, topic.words, second.words, n), '');
      left -= n;
    }
    body.push('---', '');
  });
  return { file: `${slug}.md`, text: fm + '\n' + body.join('\n') };
}

/** Every pattern of a synthetic corpus, lazily. */
export function* generateCorpus(opts: SynthOptions): Generator<{ file: string; text: string }> {
  for (let i = 0; i < opts.count; i++) yield generatePattern(i, opts);
}

/** Writes the corpus to `dir` (created); returns the number of files. */
export function writeCorpus(dir: string, opts: SynthOptions): number {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  for (const { file, text } of generateCorpus(opts)) {
    writeFileSync(join(dir, file), text);
    n++;
  }
  return n;
}
