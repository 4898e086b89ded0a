/** The debug build of the core (asserts abort with a message). Used by tests and giambio/testing. */
import type { CoreBuild } from './core.js';
import { CORE_DEBUG_WASM_BASE64 } from './generated/core-wasm-debug.js';

export const DEBUG_CORE: CoreBuild = { base64: CORE_DEBUG_WASM_BASE64, name: 'debug' };
