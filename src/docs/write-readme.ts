/** `npm run docs`: regenerates the references in README.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderReadme } from './reference.js';

const path = fileURLToPath(new URL('../../README.md', import.meta.url));
const before = readFileSync(path, 'utf8');
const after = renderReadme(before);
if (after !== before) writeFileSync(path, after);
process.stdout.write(after !== before ? 'README.md references updated\n' : 'README.md references already up to date\n');
