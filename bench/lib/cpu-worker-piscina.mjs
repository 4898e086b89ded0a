// The worker module of the piscina runtimes of cpu-offload and worker-calls: piscina calls the
// default export with the task object.
import { job, tiny } from "./cpu-work.mjs";

export default function run(task) {
  return task.op === "job" ? job(task.seed) : tiny(task.n);
}
