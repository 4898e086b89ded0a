// npm run docs: the API reference (typedoc) for every public entry of package.json "exports",
// with the guide (docs/guide/*.md, in the index's reading order) as project documents, into
// docs-site/ (gitignored).
// Validation warnings (undocumented or unexported types, broken links) are errors.
//
// Entries come from package.json "exports" (for conditional ones, the `node` condition), mapped to
// their sources by rollup.config.mjs's `entries`. Each entry file starts with a doc comment carrying
// `@module giambio/x`, the name users import.
import { readdirSync, readFileSync } from 'node:fs';
import { entries } from './rollup.config.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** The built file an export resolves to (the `node` condition first, then `import`, then `default`). */
function builtFile(target) {
  if (typeof target === 'string') return target;
  for (const condition of ['node', 'import', 'default']) {
    if (target[condition] !== undefined) {
      const file = builtFile(target[condition]);
      if (file !== null) return file;
    }
  }
  return null;
}

/** package.json exports → entry source files, through rollup.config.mjs's `entries` (dist name → source). */
export function entryPoints() {
  const result = [];
  for (const [key, target] of Object.entries(pkg.exports)) {
    if (key === './package.json') continue;
    const file = builtFile(target);
    const name = /^\.\/dist\/([^/]+)\.(?:mjs|cjs|js)$/.exec(file ?? '')?.[1];
    const source = name === undefined ? undefined : entries[name];
    if (source === undefined) throw new Error(`typedoc.config.mjs: no rollup entry for export "${key}" (${file})`);
    const module = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    if (!readFileSync(new URL(`./${source}`, import.meta.url), 'utf8').includes(`@module ${module}`)) {
      throw new Error(`typedoc.config.mjs: ${source} must start with a doc comment that says \`@module ${module}\``);
    }
    result.push(source);
  }
  return result;
}

/**
 * The guide pages in reading order: the index (docs/guide/README.md) first, then the pages in the
 * order it links them, then any page it does not link (alphabetically), so none is left out.
 */
export function guideInReadingOrder() {
  const dir = new URL('./docs/guide/', import.meta.url);
  const pages = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md');
  const index = readFileSync(new URL('README.md', dir), 'utf8');
  const linked = [...index.matchAll(/\]\(([a-z0-9-]+\.md)(?:#[^)]*)?\)/g)].map((m) => m[1]);
  const order = [...new Set(linked.filter((f) => pages.includes(f)))];
  const rest = pages.filter((f) => !order.includes(f)).sort();
  return ['README.md', ...order, ...rest].map((f) => `docs/guide/${f}`);
}

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'giambio',
  entryPoints: entryPoints(),
  tsconfig: 'tsconfig.json',
  out: 'docs-site',
  readme: 'README.md',
  projectDocuments: guideInReadingOrder(),
  // Helper types of public signatures that are deliberately not exported (their shape is shown inline).
  intentionallyNotExported: ['Results', 'SettledResults'],
  excludeInternal: true,
  excludePrivate: true,
  includeVersion: true,
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true, rewrittenLink: true, unusedMergeModuleWith: true },
  requiredToBeDocumented: [
    'Enum', 'EnumMember', 'Variable', 'Function', 'Class', 'Interface', 'Property', 'Method', 'Accessor', 'TypeAlias',
  ],
  sort: ['kind', 'instance-first', 'alphabetical-ignoring-documents'],
  navigation: { includeCategories: false, includeGroups: false },
  githubPages: false,
  plugin: ['./scripts/typedoc-titles.mjs'],
};
