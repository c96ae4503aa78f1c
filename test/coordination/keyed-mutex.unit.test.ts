import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../src/coordination/memory/keyed-mutex.js';
import { GatewayError } from '../../src/errors/gateway-error.js';

const FAR = () => Date.now() + 10_000;

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Holds `key` until the returned `release` is called; `held` resolves once the lock is taken. */
function hold(mutex: KeyedMutex, keys: string[], deadline = FAR()) {
  const gate = deferred();
  const held = deferred();
  const done = mutex.withLocks(keys, deadline, async () => {
    held.resolve();
    await gate.promise;
    return keys.join('+');
  });
  return { done, held: held.promise, release: () => gate.resolve() };
}

describe('KeyedMutex', () => {
  it('runs work for the same key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const first = hold(mutex, ['4']);
    const second = mutex.withLocks(['4'], FAR(), async () => {
      events.push('second');
      return 'second';
    });
    await first.held;
    await tick();
    events.push('first still holds');
    first.release();
    expect(await first.done).toBe('4');
    expect(await second).toBe('second');
    expect(events).toEqual(['first still holds', 'second']);
  });

  it('lets work on different keys run at the same time', async () => {
    const mutex = new KeyedMutex();
    const a = hold(mutex, ['1']);
    const b = hold(mutex, ['2']);
    await Promise.all([a.held, b.held]);
    a.release();
    b.release();
    expect(await Promise.all([a.done, b.done])).toEqual(['1', '2']);
  });

  it('takes several keys in sorted order, so callers listing them in opposite orders never deadlock', async () => {
    const mutex = new KeyedMutex();
    let running = 0;
    let maxRunning = 0;
    const work = (label: string) => async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await sleep(5);
      running -= 1;
      return label;
    };
    const deadline = Date.now() + 2_000;
    const results = await Promise.all([
      mutex.withLocks(['1', '5'], deadline, work('x')),
      mutex.withLocks(['5', '1'], deadline, work('y')),
      mutex.withLocks(['5', '3', '1'], deadline, work('z')),
    ]);
    expect(results).toEqual(['x', 'y', 'z']);
    expect(maxRunning).toBe(1);
  });

  it('does not deadlock on a key listed twice', async () => {
    const mutex = new KeyedMutex();
    expect(await mutex.withLocks(['4', '4'], FAR(), async () => 'ok')).toBe('ok');
  });

  it('releases the lock when the work throws', async () => {
    const mutex = new KeyedMutex();
    await expect(
      mutex.withLocks(['4'], FAR(), async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await mutex.withLocks(['4'], FAR(), async () => 'next')).toBe('next');
    expect(mutex.size).toBe(0);
  });

  it('fails a waiter past its deadline with 504 UPSTREAM_TIMEOUT stage stock_lock (no service is to blame), without running its work', async () => {
    const mutex = new KeyedMutex();
    const holder = hold(mutex, ['4']);
    await holder.held;
    let ran = false;
    const error = await mutex
      .withLocks(['4'], Date.now() + 20, async () => {
        ran = true;
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504, details: { stage: 'stock_lock' } });
    // Exactly the stage: no service is named (a lock wait is never an upstream's timeout).
    expect((error as GatewayError).details).toEqual({ stage: 'stock_lock' });
    expect(ran).toBe(false);
    holder.release();
    await holder.done;
  });

  it('lets those queued behind a timed-out waiter in as soon as the holder releases', async () => {
    const mutex = new KeyedMutex();
    const holder = hold(mutex, ['4']);
    await holder.held;
    const impatient = mutex.withLocks(['4'], Date.now() + 20, async () => 'impatient');
    let patientRan = false;
    const patient = mutex.withLocks(['4'], FAR(), async () => {
      patientRan = true;
      return 'patient';
    });
    await expect(impatient).rejects.toBeInstanceOf(GatewayError);
    await sleep(10);
    expect(patientRan).toBe(false);
    holder.release();
    expect(await patient).toBe('patient');
    expect(await holder.done).toBe('4');
  });

  it('keeps excluding newcomers after the last waiter timed out while the holder still holds', async () => {
    const mutex = new KeyedMutex();
    const holder = hold(mutex, ['4']);
    await holder.held;
    await expect(mutex.withLocks(['4'], Date.now() + 20, async () => 'late')).rejects.toBeInstanceOf(
      GatewayError,
    );
    let newcomerRan = false;
    const newcomer = mutex.withLocks(['4'], FAR(), async () => {
      newcomerRan = true;
      return 'newcomer';
    });
    await sleep(10);
    expect(newcomerRan).toBe(false);
    holder.release();
    expect(await newcomer).toBe('newcomer');
  });

  it('forgets the key of a timed-out waiter once the holder it waited for releases', async () => {
    const mutex = new KeyedMutex();
    const holder = hold(mutex, ['4']);
    await holder.held;
    await expect(mutex.withLocks(['4'], Date.now() + 20, async () => 'late')).rejects.toBeInstanceOf(
      GatewayError,
    );
    expect(mutex.size).toBe(1);
    holder.release();
    await holder.done;
    await tick();
    expect(mutex.size).toBe(0);
  });

  it('forgets a key once nobody holds or waits for it', async () => {
    const mutex = new KeyedMutex();
    const holder = hold(mutex, ['1', '2']);
    await holder.held;
    expect(mutex.size).toBe(2);
    holder.release();
    await holder.done;
    expect(mutex.size).toBe(0);
  });

  it('releases the keys it already took when it times out waiting for a later one', async () => {
    const mutex = new KeyedMutex();
    const holder = hold(mutex, ['2']);
    await holder.held;
    await expect(mutex.withLocks(['1', '2'], Date.now() + 20, async () => 'both')).rejects.toBeInstanceOf(
      GatewayError,
    );
    expect(await mutex.withLocks(['1'], Date.now() + 50, async () => 'one')).toBe('one');
    holder.release();
    await holder.done;
  });
});
