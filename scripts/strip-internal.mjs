// A rollup plugin for the declaration bundles (rollup.dts.config.mjs): removes the class and
// interface members whose doc comment says `@internal` (pool.run, pool.live, …) from each .d.ts
// before rollup-plugin-dts bundles it; declarations no public one refers to then drop out of the
// bundle by themselves.
// Discussion: TypeScript's `stripInternal` also strips top-level declarations, and a file header
// carrying `@internal` strips the file's first import: one tag on a module-private class that
// another module's fields name broke the whole declaration build. Members only is what we mean.
import ts from 'typescript';

/** `text` without the members of classes and interfaces tagged `@internal`. */
export function stripInternalMembers(text, fileName = 'input.d.ts') {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const cuts = [];
  const visit = (node) => {
    if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) {
      for (const member of node.members) {
        if (ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'internal')) cuts.push([member.getFullStart(), member.end]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = text;
  for (const [start, end] of cuts.reverse()) out = out.slice(0, start) + out.slice(end);
  return out;
}

export function stripInternal() {
  return {
    name: 'strip-internal-members',
    transform(code, id) {
      return id.endsWith('.d.ts') ? { code: stripInternalMembers(code, id), map: null } : null;
    },
  };
}
