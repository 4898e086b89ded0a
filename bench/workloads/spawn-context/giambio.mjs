// spawn-context × giambio: spawn with no task-local context set (the baseline; see lib/spawn-context.mjs).
import { spawnWithContexts } from "../../lib/spawn-context.mjs";

spawnWithContexts("giambio", 0);
