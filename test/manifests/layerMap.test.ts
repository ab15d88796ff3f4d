// The README's map of src/ is the layer list dependency-cruiser enforces, in its order, with the
// same one-line descriptions: the map cannot drift from the rules (it had: `hono` was missing).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from '../helpers/tools.js';

it("README's layer table is .dependency-cruiser.cjs's LAYERS, and every src/ folder is a layer", () => {
  const rules = readFileSync(join(REPO, '.dependency-cruiser.cjs'), 'utf8');
  const list = /const LAYERS = \[([\s\S]*?)\];/.exec(rules)?.[1] ?? '';
  const layers = [...list.matchAll(/'([a-z]+)', \/\/ (.+)/g)].map(([, name, what]) => [name, what?.trim()]);
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Where things live'), readme.indexOf('## Development'));
  const rows = [...section.matchAll(/^\| `([a-z]+)` \| (.+) \|$/gm)].map(([, name, what]) => [
    name,
    what?.trim(),
  ]);
  expect(layers.length).toBeGreaterThan(10);
  expect(rows).toEqual(layers);
  const folders = readdirSync(join(REPO, 'src'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  expect(folders).toEqual(layers.map(([name]) => name).sort());
});
