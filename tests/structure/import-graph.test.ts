// The runtime import graph of src/: one-way dependencies (issue 17 §4). Type-only imports are
// erased by the compiler and may point anywhere; the imports that remain at run time must form no
// cycle, and the kernel is imported (at run time) by the loop alone: everything else finds the
// running kernel through the leaf src/run-context.ts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Whether an import or export declaration survives compilation (is not type-only). */
function isRuntime(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return false;
    const clause = node.exportClause;
    if (clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0) {
      return clause.elements.some((e) => !e.isTypeOnly);
    }
    return true;
  }
  const clause = node.importClause;
  if (clause === undefined) return true; // `import './x.js'`: a side effect
  if (clause.isTypeOnly) return false;
  if (clause.name !== undefined) return true;
  const bindings = clause.namedBindings;
  if (bindings === undefined) return false;
  if (ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.length === 0 || bindings.elements.some((e) => !e.isTypeOnly);
}

/** Runtime imports of `file` that resolve to other files of src/ (relative to SRC, `/`-separated). */
export function runtimeImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    let specifier: ts.Expression | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && isRuntime(node)) specifier = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) specifier = node.arguments[0];
    if (specifier !== undefined && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      const target = path.resolve(path.dirname(file), specifier.text.replace(/\.js$/, '.ts'));
      out.push(path.relative(SRC, target).split(path.sep).join('/'));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) g.set(path.relative(SRC, file).split(path.sep).join('/'), runtimeImports(file));
  return g;
}

/** Every cycle's strongly connected component (Tarjan), each as a closed path for the message. */
export function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) { connect(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); component.push(w); } while (w !== v);
      const selfLoop = (g.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) found.push(component.reverse());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) connect(v);
  return found;
}

describe('the runtime import graph of src/', () => {
  const g = graph();

  it('has no cycle', () => {
    expect(cycles(g).map((c) => c.join(' → '))).toEqual([]);
  });

  it('lets only the loop import the kernel at run time', () => {
    const importers = [...g].filter(([, deps]) => deps.includes('kernel.ts')).map(([file]) => file);
    expect(importers).toEqual(['loop.ts']);
  });

  it('keeps the run context a leaf (it imports errors.ts alone, which imports nothing)', () => {
    expect(g.get('run-context.ts')).toEqual(['errors.ts']);
    expect(g.get('errors.ts')).toEqual([]);
  });

  it('sees a cycle when there is one, and not through type-only imports', () => {
    const a = path.join(SRC, 'a.ts');
    expect(runtimeImports(a, "import { b } from './b.js';\nimport type { C } from './c.js';\nimport { type D } from './d.js';\nexport { e } from './e.js';"))
      .toEqual(['b.ts', 'e.ts']);
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]])))
      .toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
  });
});
