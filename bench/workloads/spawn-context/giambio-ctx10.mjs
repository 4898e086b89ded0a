// spawn-context × giambio-ctx10: spawn with 10 task-local contexts set in the parent.
import { spawnWithContexts } from "../../lib/spawn-context.mjs";

spawnWithContexts("giambio-ctx10", 10);
