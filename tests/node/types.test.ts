// Type-level checks: misuse the compiler should reject (checked by `tsc -p tsconfig.test.json`),
// and the types operations give back. The functions below are never run.
import { describe, expectTypeOf, it } from 'vitest';
import type { Operation } from '../../src/task.js';
import {
  connect, listen, openSignalReceiver, runProcess, runProcessBytes, readFile, NetworkChannel, type AsyncSocket,
  type AsyncServer, type ProcessResult,
} from '../../src/node/index.js';

describe('types', () => {
  it('operations return what they promise', () => {
    expectTypeOf(connect).returns.toEqualTypeOf<Operation<AsyncSocket>>();
    expectTypeOf(listen).returns.toEqualTypeOf<Operation<AsyncServer>>();
    expectTypeOf(runProcess).returns.toEqualTypeOf<Operation<ProcessResult<string>>>();
    expectTypeOf(runProcessBytes).returns.toEqualTypeOf<Operation<ProcessResult<Uint8Array>>>();
    expectTypeOf<AsyncSocket['receive']>().returns.toEqualTypeOf<Operation<Uint8Array>>();
    expectTypeOf<NetworkChannel['pending']>().returns.toEqualTypeOf<boolean>();
  });

  it('misuse is a compile error', () => {
    function* neverRun(): Operation<void> {
      // @ts-expect-error a port is a number, not a string
      yield* connect('127.0.0.1', '80');
      // @ts-expect-error tls is `true` or tls.connect options
      yield* connect('127.0.0.1', 443, { tls: 'yes' });
      // @ts-expect-error the host comes second in listen(port, host)
      yield* listen('127.0.0.1', 80);
      // @ts-expect-error not a signal name
      openSignalReceiver('SIGNOPE');
      // @ts-expect-error receive's size is a number
      yield* (null as unknown as AsyncSocket).receive('1');
      const signal = yield* openSignalReceiver('SIGINT');
      expectTypeOf(signal).toEqualTypeOf<NodeJS.Signals>();
      const text = yield* readFile('x', 'utf8');
      expectTypeOf(text).toEqualTypeOf<string>();
      const bytes = yield* readFile('x');
      expectTypeOf(bytes).toEqualTypeOf<Uint8Array>();
    }
    expectTypeOf(neverRun).toBeFunction();
  });
});
