/** A small synthetic corpus in two themes (water commons, software stewardship) where the link engine has something to say. */
import { makePattern } from '../doubles/patterns.js';
import type { Tree } from '../doubles/fake-github.js';

export interface ThemedSpec {
  slug: string;
  title: string;
  tags: string[];
  entities: string[];
  relationships?: Record<string, string[]>;
}

export function themedPattern(s: ThemedSpec): string {
  return makePattern({
    slug: s.slug,
    title: s.title,
    relationships: s.relationships,
    extra: ['  entities:', ...s.entities.map((e) => `    - label: ${e}`), `tags: [${s.tags.join(', ')}]`],
  });
}

export const WATER: ThemedSpec[] = [
  {
    slug: 'watershed-council',
    title: 'Watershed Council',
    tags: ['watershed', 'water', 'river', 'basin'],
    entities: ['Watershed', 'River Basin', 'Water Board'],
    relationships: { complementary: ['irrigation-commons'] },
  },
  {
    slug: 'irrigation-commons',
    title: 'Irrigation Commons',
    tags: ['irrigation', 'water', 'canal', 'farmers'],
    entities: ['Irrigation Canal', 'Water Board', 'Farmers'],
    relationships: { complementary: ['watershed-council'] },
  },
  { slug: 'water-rights-ledger', title: 'Water Rights Ledger', tags: ['water', 'rights', 'ledger', 'basin'], entities: ['Water Board', 'River Basin'] },
  {
    slug: 'rainwater-harvest-circle',
    title: 'Rainwater Harvest Circle',
    tags: ['rainwater', 'water', 'harvest', 'cistern'],
    entities: ['Cistern', 'Watershed'],
  },
];

export const SOFTWARE: ThemedSpec[] = [
  {
    slug: 'maintainer-rotation',
    title: 'Maintainer Rotation',
    tags: ['maintainers', 'rotation', 'burnout', 'software'],
    entities: ['Maintainers', 'Release Team'],
  },
  {
    slug: 'open-source-stewardship',
    title: 'Open Source Stewardship',
    tags: ['software', 'license', 'maintainers', 'foundation'],
    entities: ['Foundation', 'Maintainers'],
    relationships: { complementary: ['maintainer-rotation'] },
  },
  { slug: 'code-review-guild', title: 'Code Review Guild', tags: ['review', 'software', 'quality', 'mentoring'], entities: ['Reviewers', 'Maintainers'] },
  { slug: 'release-train', title: 'Release Train', tags: ['release', 'software', 'schedule', 'cadence'], entities: ['Release Team'] },
];

/** The new pattern of the pull request: clearly about water. */
export const NEW_WATER: ThemedSpec = {
  slug: 'groundwater-monitoring',
  title: 'Groundwater Monitoring',
  tags: ['groundwater', 'water', 'basin', 'wells'],
  entities: ['Water Board', 'River Basin', 'Watershed'],
};

export function baseCorpus(): Tree {
  const t: Tree = new Map();
  for (const s of [...WATER, ...SOFTWARE]) t.set(`patterns/${s.slug}.md`, themedPattern(s));
  t.set('README.md', '# Patterns\n');
  return t;
}
