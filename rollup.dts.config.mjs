// One bundled declaration file per entry and format: .d.mts for import, .d.cts for require.
// Members tagged @internal are left out (scripts/strip-internal.mjs).
import { existsSync } from 'node:fs';
import { dts } from 'rollup-plugin-dts';
import { stripInternal } from './scripts/strip-internal.mjs';

const names = ['index', 'testing', 'lowlevel', 'node', 'browser'].filter((name) => existsSync(`dist/types/${name === 'index' || name === 'testing' || name === 'lowlevel' ? name : `${name}/index`}.d.ts`));

// giambio/worker: one declaration file per flavour (the same API; the API report shows both).
const workers = ['node', 'web'].filter((flavour) => existsSync(`dist/types/worker/${flavour}.d.ts`)).flatMap((flavour) => {
  const input = `dist/types/worker/${flavour}.d.ts`;
  const external = (id) => id.startsWith('node:');
  return [
    { input, external, output: { file: `dist/worker-${flavour}.d.mts`, format: 'es' }, plugins: [stripInternal(), dts()] },
    { input, external, output: { file: `dist/worker-${flavour}.d.cts`, format: 'es' }, plugins: [stripInternal(), dts()] },
  ];
});

export default [...workers, ...names.flatMap((name) => {
  const input = `dist/types/${name === 'index' || name === 'testing' || name === 'lowlevel' ? name : `${name}/index`}.d.ts`;
  // node: built-ins are the consumer's @types/node, referenced, not bundled.
  const external = (id) => id.startsWith('node:');
  return [
    { input, external, output: { file: `dist/${name}.d.mts`, format: 'es' }, plugins: [stripInternal(), dts()] },
    { input, external, output: { file: `dist/${name}.d.cts`, format: 'es' }, plugins: [stripInternal(), dts()] },
  ];
})];
