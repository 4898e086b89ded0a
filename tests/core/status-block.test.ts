// The status block (assembly/status.ts): the READY count and the earliest deadline, kept by the core
// in its own memory so the shell reads them without a call. After every export returns it must
// equal what readyCount() and nextDeadline() say, also after memory growth detached the old views;
// between calls the shell's READY count adds the wakes it posted (posted-wakes.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_NEXT, OK, STATE_PARKED, slotOfHandle } from '../../src/core-constants.js';
import { BUILDS } from './helpers.js';

describe.each(BUILDS)('status block ($build build)', ({ make }) => {
  it('a fresh core reports no READY task and no deadline', () => {
    const core = make();
    expect(core.readyNow()).toBe(0);
    expect(core.nextDeadlineNow()).toBe(Infinity);
  });

  it('reading it makes no crossing', () => {
    const core = make();
    core.taskSpawn();
    const before = core.crossings;
    expect(core.readyNow()).toBe(1);
    expect(core.nextDeadlineNow()).toBe(Infinity);
    expect(core.crossings).toBe(before);
  });

  it('matches readyCount() and nextDeadline() after any sequence of transitions, across memory growth', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('spawn' as const), n: fc.integer({ min: 1, max: 3000 }) }),
            fc.record({ op: fc.constant('sleep' as const), at: fc.integer({ min: -5, max: 50 }) }),
            fc.record({ op: fc.constant('park' as const) }),
            fc.record({ op: fc.constant('exit' as const) }),
            fc.record({ op: fc.constant('wakeAll' as const) }),
            fc.record({ op: fc.constant('postAll' as const) }),
            fc.record({ op: fc.constant('parkNext' as const) }),
            fc.record({ op: fc.constant('advance' as const), now: fc.integer({ min: 0, max: 60 }) }),
            fc.record({ op: fc.constant('scopeTimer' as const), at: fc.integer({ min: 0, max: 50 }) }),
          ),
          { maxLength: 40 },
        ),
        (ops) => {
          const core = make();
          const parked: number[] = [];
          const handles = new Map<number, number>(); // slot → handle of its live task
          const check = (): void => {
            expect(core.readyNow()).toBe(core.readyCount());
            expect(core.nextDeadlineNow()).toBe(core.nextDeadline());
          };
          for (const step of ops) {
            switch (step.op) {
              case 'spawn':
                for (let i = 0; i < step.n; i++) {
                  const handle = core.taskSpawn();
                  handles.set(slotOfHandle(handle), handle);
                }
                break;
              case 'sleep':
              case 'park':
              case 'exit': {
                const slot = core.runNext();
                if (slot < 0) break;
                const handle = handles.get(slot)!;
                if (step.op === 'sleep') expect(core.taskSleep(slot, step.at)).toBe(OK);
                else if (step.op === 'park') expect(core.taskPark(slot)).toBe(OK);
                else expect(core.taskExit(slot)).toBe(OK);
                if (step.op !== 'exit') parked.push(handle);
                break;
              }
              case 'wakeAll':
                for (const handle of parked.splice(0)) {
                  if (core.taskState(handle) === STATE_PARKED) expect(core.taskWake(handle)).toBe(OK); // not woken by its timer
                }
                break;
              case 'postAll': // posted, not called: applied by the next call (check's readyCount)
                for (const handle of parked.splice(0)) {
                  if (core.taskState(handle) === STATE_PARKED) core.postWake(slotOfHandle(handle));
                }
                break;
              case 'parkNext': { // park the next task and take the one after it, which parks too
                const slot = core.runNext();
                if (slot < 0) break;
                parked.push(handles.get(slot)!);
                const next = core.taskParkNext(slot, 1);
                if (next === NO_NEXT) break;
                expect(core.taskPark(next)).toBe(OK);
                parked.push(handles.get(next)!);
                break;
              }
              case 'advance':
                core.advance(step.now);
                while (core.timerTakeExpired() >= 0) { /* take them all */ }
                break;
              case 'scopeTimer':
                core.timerArm(core.timerCreate(), step.at);
                break;
            }
            check();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
