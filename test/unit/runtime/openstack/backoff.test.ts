import { AbortedError, backoffDelayMs, forEachLimited, redact, sleep } from '../../../../runtime/openstack';

describe('backoffDelayMs', () => {
  test('doubles from the base and stops at the cap', () => {
    const fixed = () => 1; // the random half at its top: delay = ceiling
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(a, { baseMs: 100, maxMs: 1000 }, fixed))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  test('jitter keeps at least half the delay and never more than all of it', () => {
    expect(backoffDelayMs(3, { baseMs: 100, maxMs: 10_000 }, () => 0)).toBe(400);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(3, { baseMs: 100, maxMs: 10_000 });
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  test('a huge attempt number neither overflows nor exceeds the cap', () => {
    expect(backoffDelayMs(10_000, { baseMs: 500, maxMs: 10_000 }, () => 1)).toBe(10_000);
  });
});

describe('sleep', () => {
  test('ends early with AbortedError when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await expect(sleep(5_000, controller.signal)).rejects.toBeInstanceOf(AbortedError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('forEachLimited', () => {
  test('runs every item, never more than the limit at once, and more than one when allowed', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachLimited([...Array(20).keys()], 4, async (i) => {
      peak = Math.max(peak, ++running);
      await sleep(5);
      running--;
      done.push(i);
    });
    expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(peak).toBe(4);
  });

  test('starts nothing new once the signal aborts', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await forEachLimited(
      [...Array(10).keys()],
      2,
      async (i) => {
        started.push(i);
        if (i === 1) controller.abort();
        await sleep(1);
      },
      controller.signal,
    );
    expect(started).toEqual([0, 1]);
  });
});

describe('redact', () => {
  test('removes every occurrence of every secret, longest first', () => {
    expect(redact('pw=abc123 token=abc123xyz again abc123', ['abc123', 'abc123xyz', undefined, ''])).toBe('pw=*** token=*** again ***');
  });
});
