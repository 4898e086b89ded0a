// The worker module of the giambio runtimes of cpu-offload and worker-calls (giambio/worker).
import { expose } from "../../dist/worker-node.mjs";
import { job, tiny } from "./cpu-work.mjs";

expose({ job, tiny });
