/**
 * `yaml/portability`: frontmatter this checker reads (YAML 1.2, js-yaml's core schema) that the
 * repository's other tools read differently or reject. PyYAML and Jekyll's Psych follow YAML 1.1:
 * `yes`/`no`/`on`/`off` are booleans, `1:30` is a base-60 number, `012` is octal; they do not read `1e3`
 * or `0o17` as numbers; PyYAML's `safe_load` also rejects a `?` inside an unquoted item of a flow list
 * and tabs as separators. Only plain (unquoted) scalars differ, so a cheap text test picks the few
 * frontmatters worth parsing again with positions.
 */
import { isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Scalar } from 'yaml';
import type { Fix } from '../core/finding.js';
import { formatPath } from '../core/path.js';
import { PATTERN_KINDS, type Rule } from './rule.js';

// Where a plain scalar can start: line start, after `: `, `- `, `? `, or inside a flow collection; and end.
const AT = String.raw`(?:^[ \t]*|[:?-][ \t]+|[,[{][ \t]*)`;
const END = String.raw`[ \t]*(?:$|[,\]}#]|:[ \t]|:$)`;
const NUMBERISH = String.raw`[-+]?(?:0[0-9_]+|0o[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+)`;
/** Text that may hold a scalar YAML 1.1 reads differently, for frontmatter the fast path did not read; the parse decides. */
const CANDIDATE = new RegExp(`${AT}(?:yes|no|on|off|${NUMBERISH}|=)${END}|[[{][^\\n]*\\?|^[ \\t]*(?:- )?<<[ \\t]*:|\\t`, 'im');

const BOOL_11 = /^(?:yes|no|on|off)$/i;
const SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const LEADING_ZERO = /^[-+]?0[0-9_]+$/;
const OCTAL_12 = /^[-+]?0o[0-7_]+$/;
const EXPONENT_12 = /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$/;
/** YAML 1.1's floats need a dot and a signed exponent. */
const EXPONENT_11 = /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)[eE][-+][0-9]+$/;

interface Difference {
  /** What YAML 1.1 tools read, or (with `rejected`) why PyYAML refuses it. */
  theirs: string;
  rejected?: boolean;
  /** What this checker reads. */
  ours: string;
  /** Replacement text that every reader takes as what this checker reads, if there is one. */
  portable?: string;
}

const quoted = (s: string) => JSON.stringify(s);

/** How YAML 1.1 tools read a plain scalar differently from YAML 1.2, or undefined when they agree. */
export function yaml11Difference(text: string, opts: { inFlow: boolean; isKey: boolean }): Difference | undefined {
  if (opts.inFlow && text.indexOf('?', 1) > 0)
    return { theirs: 'a `?` inside an unquoted item of a flow collection', rejected: true, ours: `the string ${quoted(text)}`, portable: quoted(text) };
  if (BOOL_11.test(text))
    return { theirs: `the boolean ${/^(?:yes|on)$/i.test(text) ? 'true' : 'false'}`, ours: `the string ${quoted(text)}`, portable: quoted(text) };
  if (SEXAGESIMAL.test(text)) return { theirs: `the base-60 number ${sexagesimal(text)}`, ours: `the string ${quoted(text)}`, portable: quoted(text) };
  if (LEADING_ZERO.test(text)) {
    const digits = text.replace(/[_+]/g, '');
    const decimal = Number(digits);
    if (/^-?0[0-7]+$/.test(digits)) {
      const octal = parseInt(digits, 8);
      if (octal === decimal) return undefined;
      return { theirs: `the octal number ${octal}`, ours: `the number ${decimal}`, portable: String(decimal) };
    }
    return { theirs: `the string ${quoted(text)}`, ours: `the number ${decimal}`, portable: String(decimal) };
  }
  if (OCTAL_12.test(text)) {
    const value = parseInt(text.replace(/[_+]|0o/g, ''), 8);
    return { theirs: `the string ${quoted(text)}`, ours: `the number ${value}`, portable: String(value) };
  }
  if (EXPONENT_12.test(text) && !EXPONENT_11.test(text)) {
    const value = Number(text.replace(/_/g, ''));
    const plain = String(value);
    return { theirs: `the string ${quoted(text)}`, ours: `the number ${plain}`, portable: /e/i.test(plain) ? undefined : plain };
  }
  if (opts.isKey && text === '<<') return { theirs: 'a merge of the mapping below into its parent', ours: 'a key named `<<`' };
  if (text === '=') return { theirs: '`=` alone is the YAML 1.1 value key', rejected: true, ours: 'the string "="', portable: '"="' };
  return undefined;
}

function sexagesimal(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  let value = 0;
  for (const part of text.replace(/^[-+]/, '').replace(/_/g, '').split(':')) value = value * 60 + Number(part);
  return sign * value;
}

export const portabilityRules: Rule[] = [
  {
    id: 'yaml/portability',
    defaultSeverity: 'warning',
    kinds: [...PATTERN_KINDS, 'obsidian-note'],
    description:
      'An unquoted frontmatter value that YAML 1.1 tools (PyYAML, Jekyll) read differently or reject: `yes`/`no`/`on`/`off` (booleans there), `1:30` (base 60), `012` (octal), `1e3` or `0o17` (strings there), a `?` inside an unquoted flow-list item, a `<<` key, a tab as separator.',
    fix: 'Quotes the value, or writes the number as every reader reads it.',
    check(doc, _ctx, report) {
      const fm = doc.frontmatter;
      if (!fm?.data || fm.yaml11Divergent === false || (fm.yaml11Divergent === undefined && !CANDIDATE.test(fm.yaml))) return;
      const lc = new LineCounter();
      const parsed = parseDocument(fm.yaml, { lineCounter: lc, version: '1.2', prettyErrors: false });
      if (parsed.errors.length > 0) return;
      const firstLine = fm.openLine + 1;
      const verbatim: [number, number][] = [];
      visit(parsed, {
        Scalar(key, node, path) {
          const range = node.range;
          if (!range) return;
          if (node.type !== 'PLAIN') {
            verbatim.push([range[0], range[1]]);
            return;
          }
          const raw = fm.yaml.slice(range[0], range[1]);
          const inFlow = path.some((p) => (p as { flow?: boolean }).flow === true);
          const diff = yaml11Difference(raw, { inFlow, isKey: key === 'key' });
          if (!diff) return;
          const pos = lc.linePos(range[0]);
          const line = firstLine + pos.line - 1;
          const keyPath = keyPathOf(path, node, key);
          let fix: Fix | undefined;
          const current = doc.line(line);
          if (diff.portable !== undefined && !raw.includes('\n') && current.slice(pos.col - 1, pos.col - 1 + raw.length) === raw) {
            const text = `${current.slice(0, pos.col - 1)}${diff.portable}${current.slice(pos.col - 1 + raw.length)}\n`;
            fix = { description: `Write ${diff.portable}`, edits: [{ line, endLine: line, text }] };
          }
          report({
            target: `${formatPath(keyPath)}=${raw}`,
            line,
            column: pos.col,
            message: `\`${raw.slice(0, 40)}\`${keyPath.length > 0 ? ` at \`${formatPath(keyPath)}\`` : ''} is ${diff.ours} here, but ${diff.rejected ? `PyYAML rejects it: ${diff.theirs}` : `YAML 1.1 tools (PyYAML, Jekyll) read ${diff.theirs}`}.${diff.portable ? ` Write ${diff.portable}${BOOL_11.test(raw) ? ' (or true/false for a boolean)' : ''}.` : ''}`,
            fix,
          });
        },
      });
      if (!fm.yaml.includes('\t')) return;
      // Tabs outside quoted and block scalars and comments: PyYAML accepts only spaces between tokens.
      for (let at = fm.yaml.indexOf('\t'); at >= 0; at = fm.yaml.indexOf('\t', at + 1)) {
        if (verbatim.some(([a, b]) => at >= a && at < b)) continue;
        const pos = lc.linePos(at);
        const lineStart = at - (pos.col - 1);
        if (/(?:^|\s)#/.test(fm.yaml.slice(lineStart, at))) continue;
        const line = firstLine + pos.line - 1;
        report({
          target: `tab@${fm.yaml.slice(lineStart, at).trim().slice(0, 40)}`,
          line,
          column: pos.col,
          message: `Line ${line} has a tab between YAML tokens: this checker accepts it, PyYAML rejects it ("found character '\\t' that cannot start any token"). Use spaces.`,
          fix: {
            description: 'Replace the tabs between tokens with spaces',
            edits: [{ line, endLine: line, text: `${spacedLine(doc.line(line), lineStart, verbatim)}\n` }],
          },
        });
        return;
      }
    },
  },
];

/** The key path of a scalar from the visitor's ancestors. */
function keyPathOf(path: readonly unknown[], node: Scalar, key: number | 'key' | 'value' | null): (string | number)[] {
  const out: (string | number)[] = [];
  for (let i = 1; i < path.length; i++) {
    const p = path[i];
    const child = i + 1 < path.length ? path[i + 1] : node;
    if (isPair(p) && isScalar(p.key)) out.push(String(p.key.value));
    else if (isSeq(p)) {
      const index = p.items.indexOf(child as never);
      if (index >= 0) out.push(index);
    }
  }
  return out;
}

/** A frontmatter line (starting at `offset` in the YAML) with its tabs outside quoted and block scalars made spaces. */
function spacedLine(line: string, offset: number, verbatim: readonly [number, number][]): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const at = offset + i;
    out += line[i] === '\t' && !verbatim.some(([a, b]) => at >= a && at < b) ? ' ' : line[i];
  }
  return out;
}
