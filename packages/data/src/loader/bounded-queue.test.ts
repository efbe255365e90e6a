import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue.js';

describe('BoundedQueue', () => {
  it('makes put wait while full and take wait while empty', async () => {
    const queue = new BoundedQueue<number>(2);
    await queue.put(1);
    await queue.put(2);
    let thirdIn = false;
    const third = queue.put(3).then(() => {
      thirdIn = true;
    });
    await Promise.resolve();
    expect(thirdIn).toBe(false);
    expect(await queue.take()).toBe(1);
    await third;
    expect(thirdIn).toBe(true);
    expect([await queue.take(), await queue.take()]).toEqual([2, 3]);
    const later = queue.take();
    await queue.put(4);
    expect(await later).toBe(4);
  });

  it('drains then reports done after close, and rejects after fail', async () => {
    const queue = new BoundedQueue<number>(3);
    await queue.put(1);
    queue.close();
    expect(await queue.put(2)).toBe(false);
    expect(await queue.take()).toBe(1);
    expect(await queue.take()).toBe(BoundedQueue.done);
    const failing = new BoundedQueue<number>(1);
    failing.fail(new Error('broken source'));
    await expect(failing.take()).rejects.toThrow('broken source');
  });
});
