// CancelScope.cancelledBy is a field kept up to date by cancel() (src/scope.ts), not a walk up the
// tree at every trap. Its invariant: for every open scope it equals the walk — the scope itself or
// the nearest cancelled ancestor, stopping at a shield. Checked on random trees and cancel orders.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CancelScope } from '../../src/scope.js';
import { virtualLoop } from '../helpers.js';

function walk(scope: CancelScope): CancelScope | null {
  for (let s: CancelScope | null = scope; s !== null; s = s.parent) {
    if (s.cancelCalled) return s;
    if (s.shield) return null;
  }
  return null;
}

describe('cancel status', () => {
  it('cancelledBy equals the walk up the tree after any sequence of new scopes and cancels', () => {
    const { loop } = virtualLoop();
    const kernel = loop.kernel;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('open' as const), parent: fc.nat(), shield: fc.boolean() }),
            fc.record({ op: fc.constant('cancel' as const), which: fc.nat() }),
          ),
          { maxLength: 60 },
        ),
        (ops) => {
          const scopes: CancelScope[] = [new CancelScope(kernel, null, null, false, null)];
          for (const step of ops) {
            if (step.op === 'open') {
              const parent = scopes[step.parent % scopes.length]!;
              scopes.push(new CancelScope(kernel, parent, null, step.shield, null));
            } else {
              scopes[step.which % scopes.length]!.cancel('test');
            }
            for (const scope of scopes) expect(scope.cancelledBy).toBe(walk(scope));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
