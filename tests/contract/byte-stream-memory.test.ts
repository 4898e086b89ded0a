// The ByteStream contract (byte-stream-contract.ts) over the in-memory pairs of giambio/testing,
// on the virtual clock. Their own behaviour (backpressure, lockstep hand-over) is in
// tests/stream/memory-stream.test.ts.
import { lockstepStreamPair, memoryStreamPair } from '../../src/stream/memory-stream.js';
import type { Operation } from '../../src/types.js';
import { runChecked } from '../helpers.js';
import { byteStreamContract, type StreamPairFactory } from './byte-stream-contract.js';

function memory(name: string, make: () => ReturnType<typeof memoryStreamPair>, stuckSendBytes: number | null): StreamPairFactory {
  return {
    name,
    run: runChecked,
    // Made at once; an operation only to match the sockets' factories.
    *pair(): Operation<ReturnType<typeof memoryStreamPair>> { return make(); },
    stuckSendBytes,
    largeBytes: 1 << 20,
  };
}

byteStreamContract(memory('memoryStreamPair()', () => memoryStreamPair(), null));
byteStreamContract(memory('memoryStreamPair({ maxBufferedBytes: 1024 })', () => memoryStreamPair({ maxBufferedBytes: 1024 }), 4096));
byteStreamContract(memory('lockstepStreamPair()', lockstepStreamPair, 1));
