/**
 * The live tree of scopes and tasks, for `loop.dumpTasks()`, `formatTaskTree()` and deadlock
 * reports: who is inside which pool, in what state, waiting on what.
 */
import type { Kernel } from './kernel.js';
import type { CancelScope } from './scope.js';
import type { TaskImpl, TaskState } from './task.js';

/** A task in the tree `loop.dumpTasks()` returns. */
export interface TaskNode {
  /** Always `task`. */
  kind: 'task';
  /** The task id (never reused by the loop). */
  id: number;
  /** The task name (its function name, or `spawnWith({ name })`). */
  name: string;
  /** Its state: ready, running, parked, finished, failed or cancelled. */
  state: TaskState;
  /** What a parked task waits on ('sleep', 'Queue.get', 'children of a pool', …). */
  waitingOn: string | null;
  /** The scopes the task has open, innermost last. */
  children: ScopeNode[];
}

/** A pool, shield or cancel scope in the tree `loop.dumpTasks()` returns. */
export interface ScopeNode {
  /** What it is: a pool (`createPool`, `withTimeout`, …), a `shield`, or a bare cancel scope. */
  kind: 'pool' | 'shield' | 'scope';
  /** Absolute deadline on the loop clock, Infinity for none. */
  deadline: number;
  /** It was cancelled (`pool.cancel()`, a failing child, an expired deadline). */
  cancelled: boolean;
  /** Its deadline expired. */
  timedOut: boolean;
  /** Child tasks and nested scopes. */
  children: Array<TaskNode | ScopeNode>;
}

/** The tree below the root task, or null if the loop has no live root. */
export function taskTree(kernel: Kernel): TaskNode | null {
  const root = kernel.root;
  return root === null || root.done ? null : taskNode(root);
}

function taskNode(task: TaskImpl): TaskNode {
  const own = task.rootScope;
  return {
    kind: 'task', id: task.id, name: task.name, state: task.state,
    waitingOn: task.abort === null ? null : task.waitReason,
    children: own === null ? [] : nestedScopes(own, task),
  };
}

/** The scopes `owner` opened directly inside `scope` (its own root scope is left implicit). */
function nestedScopes(scope: CancelScope, owner: TaskImpl): ScopeNode[] {
  const out: ScopeNode[] = [];
  for (let c = scope.firstChild; c !== null; c = c.nextSibling) if (c.owner === owner) out.push(scopeNode(c, owner));
  return out;
}

function scopeNode(scope: CancelScope, owner: TaskImpl): ScopeNode {
  const children: Array<TaskNode | ScopeNode> = [];
  for (let t = scope.firstMember; t !== null; t = scope.nextMember(t)) if (t !== owner) children.push(taskNode(t));
  for (let c = scope.firstChild; c !== null; c = c.nextSibling) {
    if (c.owner === owner) children.push(scopeNode(c, owner));
    else if (c.owner !== null && c.owner.rootScope === c) children.push(taskNode(c.owner));
  }
  children.sort((a, b) => order(a) - order(b));
  const isPool = scope.pool !== null && scope.pool.scope === scope;
  return {
    kind: scope.shield ? 'shield' : isPool ? 'pool' : 'scope',
    deadline: scope.deadline, cancelled: scope.cancelCalled, timedOut: scope.timedOut, children,
  };
}

/** Tasks by id (spawn order), nested scopes after them. */
function order(node: TaskNode | ScopeNode): number {
  return node.kind === 'task' ? node.id % 2 ** 24 : Number.MAX_SAFE_INTEGER;
}

/** Renders a tree as indented text, one line per task or scope. */
export function formatTaskTree(tree: TaskNode | null): string {
  if (tree === null) return '(no live tasks)';
  const lines: string[] = [];
  const walk = (node: TaskNode | ScopeNode, prefix: string, last: boolean, top: boolean): void => {
    lines.push(`${top ? '' : prefix + (last ? '└─ ' : '├─ ')}${label(node)}`);
    const next = top ? '' : prefix + (last ? '   ' : '│  ');
    node.children.forEach((child, i) => walk(child, next, i === node.children.length - 1, false));
  };
  walk(tree, '', true, true);
  return lines.join('\n');
}

function label(node: TaskNode | ScopeNode): string {
  if (node.kind === 'task') {
    return `${node.name} #${node.id} ${node.state}${node.waitingOn !== null ? ` on ${node.waitingOn}` : ''}`;
  }
  const flags = [
    node.deadline !== Infinity ? `deadline ${node.deadline} ms` : '',
    node.cancelled ? 'cancelled' : '',
    node.timedOut ? 'timed out' : '',
  ].filter(Boolean);
  return `[${node.kind}]${flags.length > 0 ? ` ${flags.join(', ')}` : ''}`;
}
