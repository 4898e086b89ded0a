// One home for argument checks (issue 17 §4): every argument error — "Expected `x` to be …, got …"
// or "f() expects …, got …" — is built in src/check.ts, so the messages keep one shape and a new
// check reuses an old one. This test fails when a module outside src/check.ts writes "Expected "
// in a string (comments do not count) or throws a TypeError/RangeError whose message calls
// `describe` by hand; and it keeps src/check.ts a leaf.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const HOME = 'check.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function callsDescribe(node: ts.Node): boolean {
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'describe') return true;
  return ts.forEachChild(node, (child) => callsDescribe(child) || undefined) ?? false;
}

/** "file:line: text" for each argument error `text` builds by hand. */
export function handBuiltArgumentErrors(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const report = (node: ts.Node): void => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${file}:${line + 1}: ${node.getText(source).slice(0, 80)}`);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) && /\bExpected /.test(node.text)) {
      report(node);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) &&
        (node.expression.text === 'TypeError' || node.expression.text === 'RangeError') &&
        (node.arguments ?? []).some(callsDescribe)) {
      report(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('argument checks', () => {
  it('are built in src/check.ts alone', () => {
    const found = sourceFiles(SRC)
      .map((file) => path.relative(SRC, file).split(path.sep).join('/'))
      .filter((file) => file !== HOME && !file.startsWith('generated/'))
      .flatMap((file) => handBuiltArgumentErrors(file, readFileSync(path.join(SRC, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('live in a leaf: src/check.ts imports nothing', () => {
    const source = ts.createSourceFile(HOME, readFileSync(path.join(SRC, HOME), 'utf8'), ts.ScriptTarget.ES2022);
    expect(source.statements.filter((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s))).toEqual([]);
  });

  it('sees a hand-built message, and not one in a comment or built by check.ts', () => {
    expect(handBuiltArgumentErrors('a.ts', 'throw new TypeError(`Expected \\`x\\` to be a string, got ${describe(x)}`);')).toHaveLength(1);
    expect(handBuiltArgumentErrors('a.ts', "throw new RangeError('Expected `n` to be ≥ 1');")).toHaveLength(1);
    expect(handBuiltArgumentErrors('a.ts', 'throw new TypeError(`f() expects a function, got ${describe(f)}`);')).toHaveLength(1);
    expect(handBuiltArgumentErrors('a.ts', "// Expected `x` to be a string\nthrow typeError('x', 'a string', x);")).toEqual([]);
  });
});
