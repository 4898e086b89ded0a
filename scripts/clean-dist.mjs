// Removes dist/ before a build, or (with --types) the intermediate per-file declarations after it.
import { rmSync } from 'node:fs';
rmSync(process.argv.includes('--types') ? 'dist/types' : 'dist', { recursive: true, force: true });
