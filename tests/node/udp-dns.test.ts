import { describe, expect, it } from 'vitest';
import { createPool, skipAfter } from '../../src/pool.js';
import { sleep } from '../../src/operations.js';
import { CancelledError, ResourceBroken, ResourceClosed } from '../../src/errors.js';
import { waitAllTasksBlocked } from '../../src/testing.js';
import { openUdpSocket, getAddrInfo, errorCode } from '../../src/node/index.js';
import { runNode, runNodeRejects, text } from './helpers.js';

describe('UDP', () => {
  it('sendTo / receiveFrom move datagrams and report the sender', async () => {
    const got = await runNode(function* () {
      const a = yield* openUdpSocket({ host: '127.0.0.1' });
      const b = yield* openUdpSocket({ host: '127.0.0.1' });
      try {
        expect(a.address.port).toBeGreaterThan(0);
        yield* a.sendTo('one', '127.0.0.1', b.address.port);
        yield* a.sendTo(new Uint8Array([116, 119, 111]), '127.0.0.1', b.address.port);
        const first = yield* b.receiveFrom();
        const second = yield* b.receiveFrom();
        return [text(first.data), text(second.data), first.address, first.port === a.address.port, first.family];
      } finally { yield* a.close(); yield* b.close(); }
    });
    expect(got).toEqual(['one', 'two', '127.0.0.1', true, 'IPv4']);
  });

  it('a cancelled receiveFrom takes nothing: the datagram is there for the next call', async () => {
    const got = await runNode(function* () {
      const a = yield* openUdpSocket({ host: '127.0.0.1' });
      const b = yield* openUdpSocket({ host: '127.0.0.1' });
      try {
        expect(yield* skipAfter(10, function* () { return yield* b.receiveFrom(); })).toBeUndefined();
        yield* a.sendTo('kept', '127.0.0.1', b.address.port);
        while (b.pending === 0) yield* sleep(1);
        yield* createPool(function* (pool) { pool.cancel(); yield* b.receiveFrom(); });
        return text((yield* b.receiveFrom()).data);
      } finally { yield* a.close(); yield* b.close(); }
    });
    expect(got).toBe('kept');
  });

  it('a full queue drops new datagrams and counts them', async () => {
    const got = await runNode(function* () {
      const a = yield* openUdpSocket({ host: '127.0.0.1' });
      const b = yield* openUdpSocket({ host: '127.0.0.1', maxQueue: 2 });
      try {
        for (const word of ['1', '2', '3', '4']) yield* a.sendTo(word, '127.0.0.1', b.address.port);
        for (let i = 0; i < 100 && b.pending + b.dropped < 4; i++) yield* sleep(1);
        const kept = [text((yield* b.receiveFrom()).data), text((yield* b.receiveFrom()).data)];
        return [kept, b.dropped];
      } finally { yield* a.close(); yield* b.close(); }
    });
    expect(got).toEqual([['1', '2'], 2]);
  });

  it('close() wakes a waiting receiver with ResourceClosed; closed sockets refuse operations', async () => {
    const errors = await runNode(function* () {
      const b = yield* openUdpSocket({ host: '127.0.0.1' });
      const caught: unknown[] = [];
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* b.receiveFrom(); } catch (e) { caught.push(e); } });
        yield* waitAllTasksBlocked();
        yield* b.close();
        yield* b.close();
      });
      try { yield* b.sendTo('x', '127.0.0.1', 9); } catch (e) { caught.push(e); }
      return caught;
    });
    expect(errors.map((e) => e instanceof ResourceClosed)).toEqual([true, true]);
  });

  it('bad arguments are TypeError/RangeError before any I/O; a port in use is ResourceBroken', async () => {
    const badPort = await runNodeRejects(function* () {
      const a = yield* openUdpSocket({ host: '127.0.0.1' });
      try { yield* a.sendTo('x', '127.0.0.1', 0); } finally { yield* a.close(); }
    });
    expect(badPort).toBeInstanceOf(RangeError);
    expect(await runNodeRejects(function* () { yield* openUdpSocket({ type: 'udp5' as never }); })).toBeInstanceOf(TypeError);
    const inUse = await runNodeRejects(function* () {
      const a = yield* openUdpSocket({ host: '127.0.0.1' });
      try { yield* openUdpSocket({ host: '127.0.0.1', port: a.address.port }); } finally { yield* a.close(); }
    });
    expect(inUse).toBeInstanceOf(ResourceBroken);
    expect(errorCode(inUse)).toBe('EADDRINUSE');
  });
});

describe('getAddrInfo', () => {
  it('resolves localhost and IP literals through the system resolver', async () => {
    const [local, literal] = await runNode(function* () {
      return [yield* getAddrInfo('localhost'), yield* getAddrInfo('127.0.0.1', { family: 4 })];
    });
    expect(local.some((a) => a.address === '127.0.0.1' || a.address === '::1')).toBe(true);
    expect(literal).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('an unknown name raises ResourceBroken (or is cancelled by a deadline, if the resolver is slow)', async () => {
    const outcome = await runNode(function* () {
      try {
        return yield* skipAfter(1500, function* () { yield* getAddrInfo('no-such-host.invalid'); return 'resolved'; });
      } catch (error) { return error; }
    });
    if (outcome !== undefined) {
      expect(outcome).toBeInstanceOf(ResourceBroken);
      expect(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL']).toContain(errorCode(outcome));
    }
  });

  it('a lookup is cancellable; bad input is a TypeError', async () => {
    const cancelled = await runNode(function* () {
      let error: unknown = null;
      yield* createPool(function* (pool) {
        pool.spawn(function* () { try { yield* getAddrInfo('localhost'); } catch (e) { error = e; throw e; } });
        yield* waitAllTasksBlocked();
        pool.cancel();
      });
      return error;
    });
    expect(cancelled).toBeInstanceOf(CancelledError);
    expect(await runNodeRejects(function* () { yield* getAddrInfo(''); })).toBeInstanceOf(TypeError);
    expect(await runNodeRejects(function* () { yield* getAddrInfo('localhost', { family: 5 as never }); })).toBeInstanceOf(TypeError);
  });
});
