// npm run docs: the API reference (typedoc) for every public entry of package.json "exports",
// with the guide (docs/guide/*.md) as project documents, into docs-site/ (gitignored).
// Validation warnings (undocumented or unexported types, broken links) are errors.
//
// Entries come from package.json: "./x" → src/x.ts or src/x/index.ts ("." → src/index.ts). Each
// entry file starts with a doc comment carrying `@module giambio/x`, the name users import.
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** package.json exports → entry source files. */
export function entryPoints() {
  const entries = [];
  for (const key of Object.keys(pkg.exports)) {
    if (key === './package.json') continue;
    const name = key === '.' ? 'index' : key.slice(2);
    const file = [`src/${name}.ts`, `src/${name}/index.ts`].find((f) => existsSync(new URL(`./${f}`, import.meta.url)));
    if (file === undefined) throw new Error(`typedoc.config.mjs: no source for export "${key}" (looked for src/${name}.ts and src/${name}/index.ts)`);
    const module = key === '.' ? pkg.name : `${pkg.name}/${name}`;
    if (!readFileSync(new URL(`./${file}`, import.meta.url), 'utf8').includes(`@module ${module}`)) {
      throw new Error(`typedoc.config.mjs: ${file} must start with a doc comment that says \`@module ${module}\``);
    }
    entries.push(file);
  }
  return entries;
}

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'giambio',
  entryPoints: entryPoints(),
  tsconfig: 'tsconfig.json',
  out: 'docs-site',
  readme: 'README.md',
  projectDocuments: ['docs/guide/*.md'],
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
