/**
 * CIDR arithmetic behind the Terraform `cidr*` functions and the rules' containment checks. Expected values
 * are Terraform's documented outputs (and Go's `net.IP.String` formatting, which Terraform returns).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  CidrError,
  cidrContains,
  cidrHost,
  cidrNetmask,
  cidrOverlaps,
  cidrSubnet,
  cidrSubnets,
  formatIp,
  ipInCidr,
  parseCidr,
  parseCidrOrIp,
  parseIp,
} from '../../server/src/engine/resolve/terraform/cidr';

describe('cidr: parsing and formatting', () => {
  test('IPv4 addresses, with Terraform’s leading-zero leniency', () => {
    assert.deepEqual(parseIp('10.0.0.1'), { version: 4, value: 0x0a000001n });
    assert.deepEqual(parseIp('010.000.000.001'), { version: 4, value: 0x0a000001n });
    for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.1.2', '10.0.0.-1', 'a.b.c.d', '', '1..2.3']) {
      assert.equal(parseIp(bad), undefined, bad);
    }
  });

  test('IPv6 addresses in every written form', () => {
    assert.equal(parseIp('::')?.value, 0n);
    assert.equal(parseIp('::1')?.value, 1n);
    assert.equal(parseIp('2001:db8::')?.value, 0x20010db8n << 96n);
    assert.equal(parseIp('2001:DB8:0:0:0:0:0:1')?.value, (0x20010db8n << 96n) | 1n);
    assert.equal(parseIp('::ffff:10.0.0.1')?.value, (0xffffn << 32n) | 0x0a000001n);
    assert.equal(parseIp('64:ff9b::192.0.2.33')?.value, (0x64ff9bn << 96n) | 0xc0000221n);
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', 'g::1', '12345::', ':::', '1:2:3:4:5:6:7:8::']) {
      assert.equal(parseIp(bad), undefined, bad);
    }
  });

  test('CIDRs keep the network and the written address', () => {
    const c = parseCidr('10.0.0.5/16');
    assert.ok(c);
    assert.equal(formatIp(4, c.network), '10.0.0.0');
    assert.equal(formatIp(4, c.address), '10.0.0.5');
    assert.equal(c.prefix, 16);
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('::/129'), undefined);
    assert.equal(parseCidr('10.0.0.0'), undefined);
    assert.equal(parseCidr('10.0.0.0/'), undefined);
    assert.equal(parseCidr('10.0.0.0/x'), undefined);
    assert.equal(parseCidrOrIp('10.0.0.7')?.prefix, 32);
    assert.equal(parseCidrOrIp('fe80::1')?.prefix, 128);
  });

  test('IPv6 prints like Go: lowercase, longest zero run compressed, single zero group kept', () => {
    const p = (s: string) => formatIp(6, parseIp(s)!.value);
    assert.equal(p('2001:0DB8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
    assert.equal(p('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
    assert.equal(p('2001:0:0:1:0:0:0:1'), '2001:0:0:1::1');
    assert.equal(p('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(p('0:0:0:0:0:0:0:0'), '::');
    assert.equal(p('::ffff:10.1.2.3'), '10.1.2.3');
  });
});

describe('cidr: containment', () => {
  test('cidrContains with CIDRs and bare addresses', () => {
    assert.equal(cidrContains('10.0.0.0/16', '10.0.1.0/24'), true);
    assert.equal(cidrContains('10.0.0.0/16', '10.1.0.0/24'), false);
    assert.equal(cidrContains('10.0.1.0/24', '10.0.0.0/16'), false);
    assert.equal(cidrContains('10.0.0.0/16', '10.0.0.0/16'), true);
    assert.equal(cidrContains('0.0.0.0/0', '192.168.1.1'), true);
    assert.equal(cidrContains('10.0.0.5', '10.0.0.5/32'), true);
    assert.equal(cidrContains('10.0.0.5', '10.0.0.6'), false);
    assert.equal(cidrContains('2001:db8::/32', '2001:db8:1::/48'), true);
    assert.equal(cidrContains('::/0', '10.0.0.0/8'), false, 'IP versions never contain each other');
    assert.equal(cidrContains('not a cidr', '10.0.0.0/8'), undefined);
    assert.equal(cidrContains('10.0.0.0/8', '10.0.0.0/40'), undefined);
  });

  test('cidrOverlaps and ipInCidr', () => {
    assert.equal(cidrOverlaps('10.0.0.0/16', '10.0.255.0/24'), true);
    assert.equal(cidrOverlaps('10.0.255.0/24', '10.0.0.0/16'), true);
    assert.equal(cidrOverlaps('10.0.0.0/24', '10.0.1.0/24'), false);
    assert.equal(cidrOverlaps('x', '10.0.1.0/24'), undefined);
    assert.equal(ipInCidr('10.0.3.4', '10.0.0.0/22'), true);
    assert.equal(ipInCidr('10.0.4.4', '10.0.0.0/22'), false);
  });
});

describe('cidr: Terraform functions', () => {
  test('cidrsubnet (documented examples)', () => {
    assert.equal(cidrSubnet('172.16.0.0/12', 4, 2n), '172.18.0.0/16');
    assert.equal(cidrSubnet('10.1.2.0/24', 4, 15n), '10.1.2.240/28');
    assert.equal(cidrSubnet('10.0.0.0/16', 8, 2n), '10.0.2.0/24');
    assert.equal(cidrSubnet('fd00:fd12:3456:7890::/56', 16, 162n), 'fd00:fd12:3456:7800:a200::/72');
    assert.equal(cidrSubnet('10.0.0.5/16', 0, 0n), '10.0.0.0/16', 'host bits of the prefix are dropped');
    // IPv6 may extend by more than 32 bits in one cidrsubnet call (Terraform uses big integers there).
    assert.equal(cidrSubnet('2001:db8::/32', 64, 1n), '2001:db8::1:0:0/96');
    assert.equal(cidrSubnet('2001:db8::/32', 96, 1n), '2001:db8::1/128');
  });

  test('cidrsubnet errors', () => {
    assert.throws(() => cidrSubnet('10.0.0.0/16', 8, 256n), /does not accommodate a subnet numbered 256/);
    assert.throws(() => cidrSubnet('10.0.0.0/30', 3, 0n), /insufficient address space to extend prefix of 30 by 3/);
    assert.throws(() => cidrSubnet('10.0.0.0', 8, 0n), /invalid CIDR address: 10.0.0.0/);
    assert.throws(() => cidrSubnet('10.0.0.0/16', 8, -1n), CidrError);
  });

  test('cidrhost (documented examples, negative numbers count from the end)', () => {
    assert.equal(cidrHost('10.12.112.0/20', 16n), '10.12.112.16');
    assert.equal(cidrHost('10.12.112.0/20', 268n), '10.12.113.12');
    assert.equal(cidrHost('fd00:fd12:3456:7890:00a2::/72', 34n), 'fd00:fd12:3456:7890::22');
    assert.equal(cidrHost('10.0.0.0/24', -1n), '10.0.0.255');
    assert.equal(cidrHost('10.0.0.0/24', -256n), '10.0.0.0');
    assert.throws(() => cidrHost('10.0.0.0/24', 256n), /prefix of 24 does not accommodate a host numbered 256/);
    assert.throws(() => cidrHost('10.0.0.0/24', -257n), /does not accommodate a host numbered -257/);
  });

  test('cidrnetmask', () => {
    assert.equal(cidrNetmask('172.16.0.0/12'), '255.240.0.0');
    assert.equal(cidrNetmask('10.0.0.0/32'), '255.255.255.255');
    assert.equal(cidrNetmask('0.0.0.0/0'), '0.0.0.0');
    assert.throws(() => cidrNetmask('2001:db8::/32'), /IPv6 addresses cannot have a netmask/);
  });

  test('cidrsubnets (documented examples)', () => {
    assert.deepEqual(cidrSubnets('10.1.0.0/16', [4, 4, 8, 4]), ['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']);
    assert.deepEqual(cidrSubnets('fd00:fd12:3456:7890::/56', [16, 16, 16, 32]), [
      'fd00:fd12:3456:7800::/72',
      'fd00:fd12:3456:7800:100::/72',
      'fd00:fd12:3456:7800:200::/72',
      'fd00:fd12:3456:7800:300::/88',
    ]);
    assert.deepEqual(cidrSubnets('10.0.0.0/8', []), []);
    assert.deepEqual(cidrSubnets('10.0.0.0/24', [1, 1]), ['10.0.0.0/25', '10.0.0.128/25']);
  });

  test('cidrsubnets errors', () => {
    assert.throws(() => cidrSubnets('10.0.0.0/24', [1, 1, 1]), /not enough remaining address space for a subnet with a prefix of 25 bits after 10.0.0.128\/25/);
    assert.throws(() => cidrSubnets('10.0.0.0/24', [0]), /at least one bit/);
    assert.throws(() => cidrSubnets('10.0.0.0/24', [9]), /would extend prefix to 33 bits, which is too long for an IPv4 address/);
    assert.throws(() => cidrSubnets('2001:db8::/32', [33]), /more than 32 bits/);
    assert.throws(() => cidrSubnets('nope/8', [1]), /invalid CIDR/);
  });
});
