/**
 * Logical task traces for `debug: true` loops: where each task was spawned, and the chain of
 * enclosing tasks with what they wait on, appended to a failing task's error.
 * @internal
 */
import type { TaskImpl } from './task.js';

const traced = new WeakSet<object>();
/**
 * Stack frames of giambio's own spawning path, Promise plumbing and generator resumption
 * (`x.next (<anonymous>)`), recognised by name: skipped to find the caller.
 */
const LIBRARY_FRAME = /^\s*at (?:new Promise|(?:Kernel|TaskPool|EventLoop)\.|#spawn|#startRoot|spawnWith |spawn |run |runVirtual |start )|^\s*at <anonymous>$|\.next \(<anonymous>\)$|[\\/]dist[\\/]chunks[\\/]/;

/**
 * Where giambio's own files are (`…/giambio/src/`, `…/giambio/dist/`), read from this module's
 * own stack frame, so a frame of the library is recognised by its file too — also under source maps,
 * where a library frame reads `at <anonymous> (…/src/loop.ts:…)` and an anonymous user function
 * reads `at <anonymous> (app.ts:…)`. Empty when giambio was bundled into one file with the program:
 * then only names tell them apart.
 * Discussion: the directory is read once, at load; `--enable-source-maps`, tsx and vitest map the
 * frame to the source file, so the prefixes cover both the built chunks and the sources they map to.
 */
const LIBRARY_DIRS: string[] = (() => {
  const frame = new Error().stack?.split('\n').find((line) => /^\s+at /.test(line)) ?? '';
  const file = /\(?((?:file:\/\/)?[^()]*?[\\/](?:src|dist)[\\/])[^()]*?:\d+:\d+\)?$/.exec(frame);
  if (file === null) return [];
  const root = file[1]!.replace(/(?:src|dist)[\\/]$/, '');
  return [`${root}src`, `${root}dist`];
})();

/** Whether a stack line is one of giambio's own frames (by name or by file). */
function isLibraryFrame(line: string): boolean {
  if (LIBRARY_FRAME.test(line)) return true;
  for (const dir of LIBRARY_DIRS) {
    const at = line.indexOf(dir);
    if (at >= 0 && (line[at + dir.length] === '/' || line[at + dir.length] === '\\')) return true;
  }
  return false;
}

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
    const site = t.spawnSite?.split('\n').find((line) => !isLibraryFrame(line));
    if (site !== undefined) lines.push(`        spawned ${site.trim()}`);
  }
  try {
    error.stack = `${error.stack ?? String(error)}${lines.join('\n')}`;
  } catch { /* a frozen error keeps its own stack */ }
}
