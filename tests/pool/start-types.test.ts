// Type-level tests for pool.start, STATUS_IGNORED and resource (checked by `npm run typecheck`).
import { describe, expect, it } from 'vitest';
import { createPool } from '../../src/pool.js';
import { sleep } from '../../src/operations.js';
import { STATUS_IGNORED, type TaskStatus } from '../../src/start.js';
import { resource } from '../../src/resource.js';
import type { Operation } from '../../src/task.js';
import { runChecked } from '../helpers.js';

describe('types of start and resource', () => {
  it('start infers the started value from the status type and checks the arguments', async () => {
    function* server(status: TaskStatus<{ port: number }>, port: number): Operation<void> {
      status.started({ port });
      // @ts-expect-error started() takes the status type
      if (port < 0) status.started('nope');
    }
    const port = await runChecked(function* () {
      return yield* createPool(function* (pool) {
        const info: { port: number } = yield* pool.start(server, 8080);
        // @ts-expect-error the port argument must be a number
        if (info.port < 0) yield* pool.start(server, '8080');
        // @ts-expect-error the result is not a string
        if (info.port < 0) { const s: string = yield* pool.start(server, 1); void s; }
        return info.port;
      });
    });
    expect(port).toBe(8080);
  });

  it('STATUS_IGNORED fits any TaskStatus; resource returns the provided type', async () => {
    function* server(status: TaskStatus<{ port: number }>): Operation<void> { status.started({ port: 1 }); yield* sleep(0); }
    const value = await runChecked(function* () {
      yield* server(STATUS_IGNORED);
      const n: number = yield* resource<number>(function* (provide) { yield* provide(3); });
      // @ts-expect-error provide takes the resource type
      if (n < 0) yield* resource<number>(function* (provide) { yield* provide('x'); });
      return n;
    });
    expect(value).toBe(3);
  });
});
