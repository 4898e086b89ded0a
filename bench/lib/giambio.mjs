// What the giambio scripts share: the loop they run on. The `giambio-hooks` runtime is the same
// scripts with every Debugger hook set to a no-op (giambio-hooks.mjs sets BENCH_GIAMBIO_HOOKS), to
// show what hooks cost when set and that a loop with no debugger pays nothing for them.
import { EventLoop } from "../../dist/index.mjs";

const noop = () => {};
const NOOP_HOOKS = Object.fromEntries([
  "onStart", "onExit", "onTaskSpawn", "onTaskExit", "beforeTaskStep", "afterTaskStep", "beforeSleep",
  "afterSleep", "beforeIo", "afterIo", "beforeCancel", "afterCancel", "onExceptionRaised",
].map((hook) => [hook, noop]));

const hooks = process.env.BENCH_GIAMBIO_HOOKS === "1";

/** The runtime name to report: `giambio` or `giambio-hooks`. */
export const RUNTIME = hooks ? "giambio-hooks" : "giambio";

/** A new loop (with no-op hooks for giambio-hooks); `extra` adds options such as a host. */
export function giambioLoop(extra = {}) {
  return new EventLoop(hooks ? { ...extra, debugger: NOOP_HOOKS } : extra);
}
