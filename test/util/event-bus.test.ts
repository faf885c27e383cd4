import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../src/log.js';
import { EventBus } from '../../src/util/event-bus.js';

interface Events {
  Ping: { n: number };
  Other: { s: string };
}

function bus() {
  const logs: { event?: string; err?: string; msg?: string }[] = [];
  const log = createLogger({ level: 'info', name: 'test', destination: { write: (s: string) => void logs.push(JSON.parse(s)) } } as never);
  return { bus: new EventBus<Events>(log), logs };
}

test('subscribers get each event synchronously, in subscription order, only for their name', () => {
  const { bus: b } = bus();
  const seen: string[] = [];
  b.on('Ping', (e) => void seen.push(`a${e.n}`));
  b.on('Ping', (e) => void seen.push(`b${e.n}`));
  b.on('Other', (e) => void seen.push(`o${e.s}`));
  b.publish('Ping', { n: 1 });
  assert.deepEqual(seen, ['a1', 'b1'], 'delivered before publish returns');
  b.publish('Other', { s: 'x' });
  assert.deepEqual(seen, ['a1', 'b1', 'ox']);
});

test('a failing subscriber (throw or rejection) is logged and reaches neither the producer nor the others', async () => {
  const { bus: b, logs } = bus();
  const seen: number[] = [];
  b.on('Ping', () => {
    throw new Error('broken feed');
  });
  b.on('Ping', async () => {
    throw new Error('broken async feed');
  });
  b.on('Ping', (e) => void seen.push(e.n));
  assert.doesNotThrow(() => b.publish('Ping', { n: 7 }));
  assert.deepEqual(seen, [7]);
  await b.drain();
  const failures = logs.filter((l) => l.msg === 'an event subscriber failed');
  assert.deepEqual(failures.map((l) => [l.event, l.err]), [['Ping', 'broken feed'], ['Ping', 'broken async feed']]);
});

test('drain waits for the asynchronous work subscribers started; unsubscribe stops delivery', async () => {
  const { bus: b } = bus();
  let done = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const off = b.on('Ping', async () => {
    await gate;
    done += 1;
  });
  b.publish('Ping', { n: 1 });
  const drained = b.drain().then(() => done);
  assert.equal(done, 0);
  release();
  assert.equal(await drained, 1, 'drain resolved only after the subscriber finished');
  off();
  b.publish('Ping', { n: 2 });
  await b.drain();
  assert.equal(done, 1);
});
