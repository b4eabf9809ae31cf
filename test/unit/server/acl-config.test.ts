// acl-config.test.ts — the access list (loopback default, CIDR v4/v6, IPv4-mapped, open-resolver
// guard) and the TOML config: keys, validation messages naming the key, flags over file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { Acl, parseCidr } from '../../../src/server/acl.js';
import { ConfigError, parseConfigText, parseListen, readConfigFile, resolveConfig } from '../../../src/server/config.js';

test('default ACL: loopback v4/v6 and IPv4-mapped loopback only', (t) => {
  const acl = new Acl();
  for (const ok of ['127.0.0.1', '127.20.1.1', '::1', '::ffff:127.0.0.1']) t.true(acl.allows(ok), ok);
  for (const no of ['10.0.0.1', '192.0.2.1', '::2', '2001:db8::1', '::ffff:10.0.0.1', 'garbage']) t.false(acl.allows(no), no);
});

test('--allow CIDRs: v4 prefix, v6 prefix, mapped networks', (t) => {
  const acl = new Acl(['10.1.0.0/16', '2001:db8:abcd::/48', '::ffff:192.0.2.0/120']);
  t.true(acl.allows('10.1.255.3'));
  t.false(acl.allows('10.2.0.1'));
  t.true(acl.allows('::ffff:10.1.0.9'));
  t.true(acl.allows('2001:db8:abcd:12::5'));
  t.false(acl.allows('2001:db8:abce::5'));
  t.true(acl.allows('192.0.2.77'));
  t.false(acl.allows('127.0.0.1'));
  t.is(parseCidr('::ffff:192.0.2.0/120').family, 4);
  t.is(parseCidr('192.0.2.1').prefix, 32);
});

test('bad CIDRs are rejected with the input in the message', (t) => {
  for (const bad of ['10.0.0.0/33', 'fe80::/129', 'nope/8', '1.2.3.4/8/9', '1.2.3.4/x']) {
    t.throws(() => parseCidr(bad), { message: new RegExp(bad.replace(/[./]/g, '.')) });
  }
});

test('open resolver needs the explicit switch', (t) => {
  t.throws(() => new Acl(['0.0.0.0/0']), { message: /open resolver/ });
  t.throws(() => new Acl(['127.0.0.0/8', '::/0']), { message: /open resolver/ });
  t.true(new Acl(['0.0.0.0/0'], true).allows('198.51.100.1'));
});

test('parseListen: v4, [v6], bare v6, default port, errors', (t) => {
  t.deepEqual(parseListen('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353 });
  t.deepEqual(parseListen('[::1]:53'), { host: '::1', port: 53 });
  t.deepEqual(parseListen('::1'), { host: '::1', port: 53 });
  t.deepEqual(parseListen('127.0.0.2'), { host: '127.0.0.2', port: 53 });
  t.throws(() => parseListen('example.com:53'), { instanceOf: ConfigError });
  t.throws(() => parseListen('127.0.0.1:99999'), { message: /bad port/ });
});

test('TOML config: every key parsed, relative paths from the file folder', (t) => {
  const c = parseConfigText([
    'listen = ["127.0.0.1:5300", "[::1]:5300"]', 'allow = "10.0.0.0/8"', 'root-hints = "hints/named.root"',
    'trust-anchor = "/etc/adbit/ta.ds"', 'cache-rrset-bytes = 1000000', 'cache-message-bytes = 500000',
    'log-level = "debug"', 'metrics = "127.0.0.1:9153"', 'workers = 2', 'open-resolver = false', 'metrics-public = false',
  ].join('\n'), '/srv/adbit/adbit.toml');
  t.deepEqual(c.listen, [{ host: '127.0.0.1', port: 5300 }, { host: '::1', port: 5300 }]);
  t.deepEqual(c.allow, ['10.0.0.0/8']);
  t.is(c.rootHints, '/srv/adbit/hints/named.root');
  t.is(c.trustAnchor, '/etc/adbit/ta.ds');
  t.is(c.cacheRrsetBytes, 1000000);
  t.is(c.logLevel, 'debug');
  t.deepEqual(c.metrics, { host: '127.0.0.1', port: 9153 });
  t.is(c.workers, 2);
});

test('config validation names the key', (t) => {
  const bad: [string, RegExp][] = [
    ['listn = "x"', /unknown key "listn"/],
    ['workers = -1', /"workers" must be a positive integer/],
    ['log-level = "loud"', /"log-level" must be one of/],
    ['listen = 5', /"listen" must be a string or a list/],
    ['cache-rrset-bytes = "big"', /"cache-rrset-bytes"/],
    ['listen = [', /not valid TOML/],
  ];
  for (const [text, re] of bad) t.throws(() => parseConfigText(text, 'a.toml'), { instanceOf: ConfigError, message: re }, text);
});

test('flags override the file; defaults fill the rest; open ACL refused', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'adbit-cfg-'));
  const f = join(dir, 'a.toml');
  writeFileSync(f, 'listen = "127.0.0.1:5301"\nallow = ["10.0.0.0/8"]\nlog-level = "warn"\n');
  const cfg = resolveConfig(readConfigFile(f), { listen: [{ host: '127.0.0.1', port: 5399 }] });
  t.deepEqual(cfg.listen, [{ host: '127.0.0.1', port: 5399 }]);
  t.deepEqual(cfg.allow, ['10.0.0.0/8']);
  t.is(cfg.logLevel, 'warn');
  t.is(cfg.workers, 1);
  const d = resolveConfig({}, {});
  t.deepEqual(d.listen.map((l) => l.host), ['127.0.0.1', '::1']);
  t.throws(() => resolveConfig({ allow: ['0.0.0.0/0'] }, {}), { message: /allow: .*open resolver/ });
  t.notThrows(() => resolveConfig({ allow: ['0.0.0.0/0'] }, { openResolver: true }));
  t.throws(() => readConfigFile(join(dir, 'missing.toml')), { message: /cannot read config file/ });
});
