// The door into the wasm core is one list: the functions assembly/index.ts exports must be exactly
// the ones src/core.ts declares in CoreExports (issue 17 §4), in both builds, so an export cannot be
// added, renamed or dropped on one side only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { RELEASE_CORE } from '../../src/core.js';
import { DEBUG_CORE } from '../../src/core-debug.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The method names of `interface CoreExports` in src/core.ts (the constants are checked elsewhere). */
function declaredFunctions(): string[] {
  const file = path.join(ROOT, 'src/core.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const names: string[] = [];
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === 'CoreExports') {
      for (const member of node.members) if (ts.isMethodSignature(member)) names.push((member.name as ts.Identifier).text);
    }
  });
  return names.sort();
}

/** The function exports of a wasm build, minus the AssemblyScript runtime's own. */
function wasmFunctions(base64: string): string[] {
  const module = new WebAssembly.Module(Buffer.from(base64, 'base64'));
  return WebAssembly.Module.exports(module)
    .filter((e) => e.kind === 'function' && !e.name.startsWith('__'))
    .map((e) => e.name)
    .sort();
}

describe('the wasm core\'s exports', () => {
  it('src/core.ts declares some', () => {
    expect(declaredFunctions().length).toBeGreaterThan(10);
  });

  for (const build of [RELEASE_CORE, DEBUG_CORE]) {
    it(`are exactly the functions CoreExports declares (${build.name} build)`, () => {
      expect(wasmFunctions(build.base64)).toEqual(declaredFunctions());
    });
  }

  it('name timerTakeExpired for what it does (it takes one expired timer)', () => {
    expect(declaredFunctions()).toContain('timerTakeExpired');
    expect(declaredFunctions()).not.toContain('timerExpired');
  });
});
