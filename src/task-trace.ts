/**
 * Logical task traces for `debug: true` loops: where each task was spawned, and the chain of
 * enclosing tasks with what they wait on, appended to a failing task's error.
 * @internal
 */
import type { TaskImpl } from './task.js';

const traced = new WeakSet<object>();
/** Stack frames of giambio's own spawning path (and Promise plumbing), skipped to find the caller. */
const LIBRARY_FRAME = /^\s*at (?:new Promise|(?:Kernel|TaskPool|EventLoop)\.|#spawn|#startRoot|spawnWith |spawn |run |runVirtual |start )|^\s*at <anonymous>|[\\/]dist[\\/]chunks[\\/]/;

/**
 * With `debug: true`, a failing task's error gets a logical trace appended to its stack: the task,
 * where it was spawned, and each enclosing task up to the root with what it was waiting on —
 * instead of only the scheduler's frames. Added once, by the task where the error started.
 */
export function addTaskTrace(task: TaskImpl, error: unknown): void {
  if (!(error instanceof Error) || traced.has(error)) return;
  traced.add(error);
  const lines = ['', '    giambio task trace (innermost first):'];
  for (let t: TaskImpl | null = task; t !== null; t = t.pool?.owner ?? null) {
    const doing = t === task ? 'failed' : t.abort !== null ? `waiting on ${t.waitReason}` : t.state;
    lines.push(`      task ${t.name} #${t.id} ${doing}`);
    const site = t.spawnSite?.split('\n').find((line) => !LIBRARY_FRAME.test(line));
    if (site !== undefined) lines.push(`        spawned ${site.trim()}`);
  }
  try {
    error.stack = `${error.stack ?? String(error)}${lines.join('\n')}`;
  } catch { /* a frozen error keeps its own stack */ }
}
