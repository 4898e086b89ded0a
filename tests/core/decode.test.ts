// The embedded core is base64 (src/generated/core-wasm.ts) and core.ts decodes it with whatever the
// platform offers natively, else atob and a loop. Every path must give the same bytes: a valid wasm
// module that instantiates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeBase64Portably } from '../../src/core.js';
import { CORE_WASM_BASE64 } from '../../src/generated/core-wasm.js';

describe('decoding the embedded core', () => {
  it('the native and the portable decoder give the same bytes, a valid wasm module', () => {
    const native = decodeBase64(CORE_WASM_BASE64);
    const portable = decodeBase64Portably(CORE_WASM_BASE64);
    expect(Array.from(native)).toEqual(Array.from(portable));
    expect(Array.from(portable.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    expect(WebAssembly.validate(native as BufferSource)).toBe(true);
  });

  it('both decoders agree on any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const text = btoa(String.fromCharCode(...bytes));
      expect(Array.from(decodeBase64(text))).toEqual(Array.from(bytes));
      expect(Array.from(decodeBase64Portably(text))).toEqual(Array.from(bytes));
    }));
  });
});
