/** Vault signals: orphans, notes that link nowhere, empty notes, missing targets grouped by name; a bounded dashboard. */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { CorpusIndex } from '../../src/core/corpus.js';
import { parseDocument } from '../../src/core/document.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { requireDate } from '../../src/core/dates.js';
import { DASHBOARD_MAX_CHARS, firstSweepDashboard } from '../../src/garden/dashboard.js';
import { computeGarden } from '../../src/garden/compute.js';
import { evaluateVault } from '../../src/garden/vault.js';
import { runRemoteSweep } from '../../src/garden/remote.js';
import { DASHBOARD_MARKER } from '../../src/garden/dashboard.js';
import { FakeGitHub, OWNER, REPO } from './fake-github.js';

const note = (body: string) => `---\ntags: [x]\n---\n\n${body}\n`;

function index(files: Record<string, string>, other: string[] = []): CorpusIndex {
  return CorpusIndex.fromDocuments(
    Object.entries(files).map(([f, t]) => parseDocument(f, t)),
    other,
  );
}

describe('evaluateVault', () => {
  it('finds orphans, notes that link nowhere, empty notes (templates are none of those), and groups missing targets by name', () => {
    const v = evaluateVault(
      index(
        {
          'Hub.md': note('[[Leaf]] [[Missing]] ![[pic.png]]'),
          'Leaf.md': note('Links nowhere, but [[#Self]] is fine.\n\n## Self'),
          'Alone.md': note('Nothing links here.'),
          'Empty.md': '---\ntags: [x]\n---\n\n',
          'A.md': note('[[missing]] and [[Missing]] and [[Hub]]'),
          'B.md': note('[[Missing.md]] [[Other Missing]] [[Hub]]'),
          'Templates/Daily.md': note('[[{{yesterday}}]] [[Mood Log]] {{date}}'),
          'Templates/Empty.md': '---\ntags:\n  - \n---\n\n',
        },
        ['pic.png'],
      ),
    )!;
    expect(v.notes).toBe(8);
    expect(v.orphans).toEqual(['Alone.md']);
    expect(v.noOutgoing).toEqual(['Leaf.md']);
    expect(v.empty).toEqual(['Empty.md']);
    expect(v.unresolved).toEqual([
      { target: 'missing', links: 4, files: ['A.md', 'B.md', 'Hub.md'] },
      { target: 'Other Missing', links: 1, files: ['B.md'] },
    ]);
  });

  it('a numbered template folder is a template folder; a folder that only ends in the word is not', () => {
    const v = evaluateVault(
      index({
        'Hub.md': note('[[Guide]]'),
        'Guide.md': note('[[Hub]]'),
        '00 - Meta/01 Templates/T - Person.md': note('%% [[Hub]] %%'),
        '99 - Templates/Weekly.md': note('Week.'),
        '_templates/Daily.md': note('Day.'),
        '03 - Showcases & Templates/Lonely Showcase.md': note('Nothing links here.'),
      }),
    )!;
    expect(v.orphans).toEqual(['03 - Showcases & Templates/Lonely Showcase.md']);
  });

  it('is absent for a garden without notes', () => {
    expect(evaluateVault(index({}))).toBeUndefined();
  });

  it('a missing note that forty notes link to is one dashboard line, and the dashboard stays bounded', () => {
    const files = new Map<string, string>();
    for (let i = 0; i < 40; i++) files.set(`n${i}.md`, note(`[[Compost Tea]] and [[Gone ${i}]]`));
    const docs = [...files].map(([f, t]) => parseDocument(f, t));
    const garden = computeGarden(docs, { config: DEFAULT_CONFIG, today: requireDate('2026-12-02') });
    const body = firstSweepDashboard(garden.report, DEFAULT_CONFIG, '2026-12-02');
    expect(body.split('\n').filter((l) => l.includes('`Compost Tea`'))).toHaveLength(1);
    expect(body).toContain('`Compost Tea`: 40 links from 40 notes');
    expect(body).toContain('… and 31 more');
    expect(body.length).toBeLessThanOrEqual(DASHBOARD_MAX_CHARS);
    expect(body).not.toContain('| signal |');
  });
});

describe('the GitHub sweep of a vault', () => {
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('knows the attachments by name (their bytes are not read): an embed of one is not a missing note', async () => {
    nock.disableNetConnect();
    const fake = new FakeGitHub();
    fake.files.set('Home.md', note('![[diagram.png]] [[notes.pdf]] ![[Board.canvas]] [[Gone]] [[Leaf]]'));
    fake.files.set('Leaf.md', note('[[Home]]'));
    fake.files.set('Attachments/diagram.png', '\x89PNG not really');
    fake.files.set('Attachments/notes.pdf', '%PDF-1.7');
    fake.files.set('Board.canvas', '{}');
    fake.install();
    const res = await runRemoteSweep({ octokit: fake.octokit(), owner: OWNER, repo: REPO, today: requireDate('2026-12-02'), historyCap: 0 });
    expect(res.garden.report.vault!.unresolved.map((u) => u.target)).toEqual(['Gone']);
    // The names only: the archive's bytes are kept for Markdown and the config.
    expect([...res.files.keys()].sort()).toEqual(['Home.md', 'Leaf.md']);
    const dash = fake.issues.find((i) => i.body.includes(DASHBOARD_MARKER))!;
    expect(dash.body).toContain('`Gone`');
    expect(dash.body).not.toContain('diagram.png');
    expect(dash.body).not.toContain('notes.pdf');
    expect(dash.body).toContain('1 missing link target');
  });
});
