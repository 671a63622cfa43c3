/**
 * Just enough of GraphQL's syntax for the stand-in to answer what a query asks for and nothing more:
 * parses a document's selection sets (fields with aliases, arguments, directives, inline fragments and
 * named fragments) and shapes a full answer to them, as GitHub does. No dependencies.
 */

export interface FieldSelection {
  kind: 'field';
  name: string;
  /** Response key: the alias, else the name. */
  key: string;
  /** Raw argument text between the parentheses ('' when none), e.g. `first: 100, after: $cursor`. */
  args: string;
  selections: Selection[];
}
export interface FragmentSelection {
  kind: 'fragment';
  /** Type condition (`... on Bot`), undefined for a plain inline fragment. */
  on: string | undefined;
  selections: Selection[];
}
export type Selection = FieldSelection | FragmentSelection;

export interface GraphqlOperation {
  type: 'query' | 'mutation' | 'subscription';
  selections: Selection[];
}

type Token = { t: 'name' | 'punct' | 'string' | 'number'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (/[\s,\uFEFF]/.test(c)) {
      i++;
    } else if (src.startsWith('...', i)) {
      out.push({ t: 'punct', v: '...' });
      i += 3;
    } else if ('{}()[]:=!$@|&'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
    } else if (c === '"') {
      const block = src.startsWith('"""', i);
      const start = i;
      i += block ? 3 : 1;
      while (i < src.length) {
        if (!block && src[i] === '\\') i += 2;
        else if (block ? src.startsWith('"""', i) : src[i] === '"') {
          i += block ? 3 : 1;
          break;
        } else i++;
      }
      out.push({ t: 'string', v: src.slice(start, i) });
    } else if (/[-\d]/.test(c)) {
      const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(src.slice(i));
      const v = m ? m[0] : c;
      out.push({ t: 'number', v });
      i += v.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_]\w*/.exec(src.slice(i))!;
      out.push({ t: 'name', v: m[0] });
      i += m[0].length;
    } else {
      throw new Error(`unexpected character ${JSON.stringify(c)} in GraphQL document`);
    }
  }
  return out;
}

/** Parses a document into its operations; named fragments are inlined. Throws on syntax it cannot read. */
export function parseOperations(src: string): GraphqlOperation[] {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Token | undefined => toks[p];
  const isPunct = (v: string): boolean => peek()?.t === 'punct' && peek()!.v === v;
  const expect = (v: string): void => {
    if (!isPunct(v)) throw new Error(`expected "${v}" in GraphQL document, got ${peek()?.v ?? 'the end'}`);
    p++;
  };
  const name = (): string => {
    const t = peek();
    if (t?.t !== 'name') throw new Error(`expected a name in GraphQL document, got ${t?.v ?? 'the end'}`);
    p++;
    return t.v;
  };
  /** Skips a balanced (...) and returns its text, tokens joined by spaces. */
  const balanced = (open: string, close: string): string => {
    expect(open);
    const parts: string[] = [];
    let depth = 1;
    while (p < toks.length) {
      const t = toks[p++]!;
      if (t.t === 'punct' && t.v === open) depth++;
      if (t.t === 'punct' && t.v === close && --depth === 0) return parts.join(' ');
      parts.push(t.v);
    }
    throw new Error(`unclosed "${open}" in GraphQL document`);
  };
  const directives = (): void => {
    while (isPunct('@')) {
      p++;
      name();
      if (isPunct('(')) balanced('(', ')');
    }
  };
  const spreads: { at: FragmentSelection; name: string }[] = [];
  const selectionSet = (): Selection[] => {
    expect('{');
    const out: Selection[] = [];
    while (!isPunct('}')) {
      if (p >= toks.length) throw new Error('unclosed "{" in GraphQL document');
      if (isPunct('...')) {
        p++;
        if (peek()?.t === 'name' && peek()!.v === 'on') {
          p++;
          const on = name();
          directives();
          out.push({ kind: 'fragment', on, selections: selectionSet() });
        } else if (peek()?.t === 'name') {
          const frag: FragmentSelection = { kind: 'fragment', on: undefined, selections: [] };
          spreads.push({ at: frag, name: name() });
          directives();
          out.push(frag);
        } else {
          directives();
          out.push({ kind: 'fragment', on: undefined, selections: selectionSet() });
        }
        continue;
      }
      const key = name();
      let field = key;
      if (isPunct(':')) {
        p++;
        field = name();
      }
      const args = isPunct('(') ? balanced('(', ')') : '';
      directives();
      const selections = isPunct('{') ? selectionSet() : [];
      out.push({ kind: 'field', name: field, key, args, selections });
    }
    p++;
    return out;
  };

  const operations: GraphqlOperation[] = [];
  const fragments = new Map<string, FragmentSelection>();
  while (p < toks.length) {
    if (isPunct('{')) {
      operations.push({ type: 'query', selections: selectionSet() });
      continue;
    }
    const word = name();
    if (word === 'fragment') {
      const fragName = name();
      if (name() !== 'on') throw new Error('expected "on" after a fragment name');
      const on = name();
      directives();
      fragments.set(fragName, { kind: 'fragment', on, selections: selectionSet() });
      continue;
    }
    if (word !== 'query' && word !== 'mutation' && word !== 'subscription') throw new Error(`unexpected "${word}" in GraphQL document`);
    if (peek()?.t === 'name') name();
    if (isPunct('(')) balanced('(', ')');
    directives();
    operations.push({ type: word, selections: selectionSet() });
  }
  for (const s of spreads) {
    const f = fragments.get(s.name);
    if (!f) throw new Error(`unknown fragment "${s.name}"`);
    s.at.on = f.on;
    s.at.selections = f.selections;
  }
  return operations;
}

/**
 * A value the stand-in can answer: plain data, or a function of the field's raw argument text
 * (e.g. `reactions` that counts only the `content:` asked for).
 */
export type Answer = unknown;

/**
 * Shapes `full` (an object keyed by field name, holding every field the stand-in knows) to
 * `selections`: response keys are aliases, only selected fields appear, lists are shaped item by item,
 * `__typename` comes from the object's own `__typename`. A fragment on a type applies when the
 * object's `__typename` is that type or the object has none. Fields the stand-in does not know are
 * left out, so a test comparing the answer to the query sees them missing.
 */
export function selectAnswer(full: Answer, selections: readonly Selection[]): unknown {
  if (full === null || full === undefined) return null;
  if (Array.isArray(full)) return full.map((item) => selectAnswer(item, selections));
  if (typeof full !== 'object') return full;
  const src = full as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const visit = (list: readonly Selection[]): void => {
    for (const s of list) {
      if (s.kind === 'fragment') {
        if (s.on === undefined || src.__typename === undefined || src.__typename === s.on) visit(s.selections);
        continue;
      }
      if (!(s.name in src)) continue;
      let v = src[s.name];
      if (typeof v === 'function') v = (v as (args: string) => unknown)(s.args);
      out[s.key] = s.selections.length > 0 ? selectAnswer(v, s.selections) : v;
    }
  };
  visit(selections);
  return out;
}
