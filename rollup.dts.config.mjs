// One bundled declaration file per entry and format: .d.mts for import, .d.cts for require.
import { dts } from 'rollup-plugin-dts';

const entries = ['index', 'testing'];

export default entries.flatMap((name) => [
  { input: `dist/types/${name}.d.ts`, output: { file: `dist/${name}.d.mts`, format: 'es' }, plugins: [dts()] },
  { input: `dist/types/${name}.d.ts`, output: { file: `dist/${name}.d.cts`, format: 'es' }, plugins: [dts()] },
]);
