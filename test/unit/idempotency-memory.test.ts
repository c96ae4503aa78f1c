import { describe, expect, it, vi } from 'vitest';
import { IdempotencyMemory } from '../../src/domain/shared/idempotency-memory.js';

const TTL_MS = 10 * 60_000;

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A memory on a clock the test moves by hand. */
function memoryWithClock(maxEntries = 100) {
  const clock = { now: 1_000_000 };
  const memory = new IdempotencyMemory<string>(TTL_MS, maxEntries, () => clock.now);
  return { memory, clock };
}

describe('IdempotencyMemory', () => {
  it('runs a first request once and reports it as not replayed', async () => {
    const { memory } = memoryWithClock();
    const work = vi.fn(async () => 'compra-1');
    expect(await memory.run('k', work)).toEqual({ value: 'compra-1', replayed: false });
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('shares the in-flight result with a repeat instead of running it twice', async () => {
    const { memory } = memoryWithClock();
    const gate = deferred<string>();
    const work = vi.fn(() => gate.promise);
    const first = memory.run('k', work);
    const second = memory.run('k', work);
    const third = memory.run('k', work);
    gate.resolve('compra-1');
    expect(await first).toEqual({ value: 'compra-1', replayed: false });
    expect(await second).toEqual({ value: 'compra-1', replayed: true });
    expect(await third).toEqual({ value: 'compra-1', replayed: true });
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('replays a success to a repeat within the time to live', async () => {
    const { memory, clock } = memoryWithClock();
    const work = vi.fn(async () => 'compra-1');
    await memory.run('k', work);
    clock.now += TTL_MS - 1;
    expect(await memory.run('k', vi.fn(async () => 'compra-2'))).toEqual({ value: 'compra-1', replayed: true });
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('runs the work again once the time to live has passed', async () => {
    const { memory, clock } = memoryWithClock();
    await memory.run('k', async () => 'compra-1');
    clock.now += TTL_MS + 1;
    const again = vi.fn(async () => 'compra-2');
    expect(await memory.run('k', again)).toEqual({ value: 'compra-2', replayed: false });
    expect(again).toHaveBeenCalledTimes(1);
    expect(await memory.run('k', async () => 'compra-3')).toEqual({ value: 'compra-2', replayed: true });
  });

  it('counts the time to live from when the work succeeded, not from when it started', async () => {
    const { memory, clock } = memoryWithClock();
    const gate = deferred<string>();
    const first = memory.run('k', () => gate.promise);
    clock.now += TTL_MS * 2;
    gate.resolve('compra-1');
    await first;
    clock.now += TTL_MS - 1;
    expect(await memory.run('k', async () => 'compra-2')).toEqual({ value: 'compra-1', replayed: true });
  });

  it('forgets a failure at once so the client can retry with the same key', async () => {
    const { memory } = memoryWithClock();
    await expect(memory.run('k', async () => Promise.reject(new Error('sin stock')))).rejects.toThrow('sin stock');
    const retry = vi.fn(async () => 'compra-1');
    expect(await memory.run('k', retry)).toEqual({ value: 'compra-1', replayed: false });
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('gives a repeat made while a failing first attempt is in flight the same failure', async () => {
    const { memory } = memoryWithClock();
    const gate = deferred<string>();
    const work = vi.fn(() => gate.promise);
    const first = memory.run('k', work);
    const second = memory.run('k', work);
    gate.reject(new Error('upstream caído'));
    await expect(first).rejects.toThrow('upstream caído');
    await expect(second).rejects.toThrow('upstream caído');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('keeps different keys apart', async () => {
    const { memory } = memoryWithClock();
    expect(await memory.run('ana\nk', async () => 'compra-ana')).toEqual({ value: 'compra-ana', replayed: false });
    expect(await memory.run('luis\nk', async () => 'compra-luis')).toEqual({ value: 'compra-luis', replayed: false });
  });

  it('stays bounded by dropping the oldest finished entries first', async () => {
    const { memory } = memoryWithClock(2);
    await memory.run('a', async () => 'A');
    await memory.run('b', async () => 'B');
    await memory.run('c', async () => 'C');
    const rerunA = vi.fn(async () => 'A2');
    expect(await memory.run('a', rerunA)).toEqual({ value: 'A2', replayed: false });
    expect(rerunA).toHaveBeenCalledTimes(1);
    // 'b' was the oldest when 'a' came back, so 'c' and 'a' are the two remembered now.
    expect(await memory.run('c', async () => 'C2')).toEqual({ value: 'C', replayed: true });
    expect(await memory.run('a', async () => 'A3')).toEqual({ value: 'A2', replayed: true });
  });

  it('never drops an in-flight entry to stay bounded (that would allow a duplicate purchase)', async () => {
    const { memory } = memoryWithClock(1);
    const gateA = deferred<string>();
    const gateB = deferred<string>();
    const workA = vi.fn(() => gateA.promise);
    const first = memory.run('a', workA);
    const other = memory.run('b', () => gateB.promise);
    const repeat = memory.run('a', workA);
    gateA.resolve('A');
    gateB.resolve('B');
    expect(await first).toEqual({ value: 'A', replayed: false });
    expect(await repeat).toEqual({ value: 'A', replayed: true });
    expect(await other).toEqual({ value: 'B', replayed: false });
    expect(workA).toHaveBeenCalledTimes(1);
  });
});
