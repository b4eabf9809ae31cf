// log.test.ts — JSON logger levels and field encoding; diagnostics channels deliver payloads.
import test from 'ava';
import diagnosticsChannel from 'node:diagnostics_channel';
import { channels, createJsonLogger } from '../../../src/util/log.js';

test('json logger filters by level and encodes bytes, bigint and errors', (t) => {
  const lines: string[] = [];
  const log = createJsonLogger({ level: 'info', write: (l) => lines.push(l), clock: { nowMs: () => 0, nowSec: () => 0 } });
  log.debug('hidden');
  log.warn('upstream slow', { server: '127.0.0.1#53', id: 7n, wire: new Uint8Array([1, 255]), err: new Error('boom'), msg: 'x' });
  t.is(lines.length, 1);
  const o = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  t.is(o['level'], 'warn');
  t.is(o['msg'], 'upstream slow', 'reserved key wins over a field');
  t.is(o['ts'], '1970-01-01T00:00:00.000Z');
  t.is(o['id'], '7');
  t.is(o['wire'], '01ff');
  t.deepEqual(o['err'], { name: 'Error', message: 'boom' });
});

test('channels are the named adbit channels', (t) => {
  const got: unknown[] = [];
  const fn = (m: unknown): void => void got.push(m);
  diagnosticsChannel.subscribe('adbit:upstream:send', fn);
  channels.upstreamSend.publish({ id: 1 });
  diagnosticsChannel.unsubscribe('adbit:upstream:send', fn);
  t.deepEqual(got, [{ id: 1 }]);
  t.is(channels.queryStart.name, 'adbit:query:start');
  t.is(channels.validateDone.name, 'adbit:validate:done');
  t.is(channels.upstreamReply.name, 'adbit:upstream:reply');
});
