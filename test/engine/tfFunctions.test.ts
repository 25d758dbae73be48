/**
 * The Terraform function library of the static evaluator. Known inputs are checked against Terraform's
 * documented outputs; the rest checks what happens to values that are not known statically (refs to
 * attributes only known after apply, unknowns with a reason) and that errors become explained unknowns.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { callFunction, SUPPORTED_FUNCTIONS } from '../../server/src/engine/resolve/terraform/functions';
import { lazyObject } from '../../server/src/engine/resolve/terraform/evaluate';
import { type Value, NULL, bool, list, num, obj, ref, str, toJson, unknown, errorUnknown } from '../../server/src/engine/model/value';
import type { Location } from '../../server/src/engine/model/span';

/** A plain JS value as a `Value`: strings, numbers, bools, null, arrays and objects. */
function v(x: unknown): Value {
  if (x === null) return NULL;
  if (typeof x === 'string') return str(x);
  if (typeof x === 'number') return num(x);
  if (typeof x === 'boolean') return bool(x);
  if (Array.isArray(x)) return list(x.map(v));
  if (typeof x === 'object' && 'kind' in (x as object)) return x as Value;
  const entries: Record<string, Value> = {};
  for (const [k, i] of Object.entries(x as Record<string, unknown>)) entries[k] = v(i);
  return obj(entries);
}

/** Calls a function with plain JS arguments (or `Value`s) and returns the result as JSON. */
function call(name: string, ...args: unknown[]): unknown {
  return toJson(callFunction(name, args.map(v)));
}

/** The reason of an unknown result, or fails the test when the result is known. */
function reason(name: string, ...args: unknown[]): string {
  const r = callFunction(name, args.map(v));
  assert.equal(r.kind, 'unknown', `${name}() should be unknown, got ${JSON.stringify(toJson(r))}`);
  return (r as { reason: string }).reason;
}

const sg = ref('tf:.:aws_security_group.app', ['id']);
const sgJson = { $ref: 'tf:.:aws_security_group.app', attr: ['id'] };
const noDefault = unknown('variable "x" has no default');
const noDefaultJson = { $unknown: 'variable "x" has no default' };

describe('tf functions: collections', () => {
  test('concat, flatten', () => {
    assert.deepEqual(call('concat', ['a', ''], ['b', 'c']), ['a', '', 'b', 'c']);
    assert.deepEqual(call('flatten', [['a', 'b'], [], ['c']]), ['a', 'b', 'c']);
    assert.deepEqual(call('flatten', [[['a', 'b'], []], ['c']]), ['a', 'b', 'c']);
    assert.match(reason('concat', ['a'], 'b'), /^concat\(\): argument 2 must be a list, not a string$/);
    assert.match(reason('concat'), /expects at least 1 argument/);
  });

  test('tolist, toset, tomap', () => {
    assert.deepEqual(call('tolist', ['a', 'b', 'c']), ['a', 'b', 'c']);
    assert.deepEqual(call('tolist', ['a', 'b', 3]), ['a', 'b', '3']);
    assert.deepEqual(call('toset', ['a', 'b', 'c']), ['a', 'b', 'c']);
    assert.deepEqual(call('toset', ['c', 'b', 'b']), ['b', 'c']);
    assert.deepEqual(call('toset', ['a', 'b', 3]), ['3', 'a', 'b']);
    assert.deepEqual(call('toset', [3, 1, 20, 1]), [1, 3, 20]);
    assert.deepEqual(call('tomap', { a: 'b', c: 'd' }), { a: 'b', c: 'd' });
    assert.deepEqual(call('tomap', { a: 'foo', b: true }), { a: 'foo', b: 'true' });
    assert.equal(call('tolist', null), null);
    assert.match(reason('tolist', [1, true]), /same type/);
    assert.match(reason('tomap', ['a']), /must be a map or object/);
  });

  test('merge (later arguments win, null arguments are skipped)', () => {
    assert.deepEqual(call('merge', { a: 'b', c: 'd' }, { e: 'f', c: 'z' }), { a: 'b', c: 'z', e: 'f' });
    assert.deepEqual(call('merge', { a: 'b' }, { a: [1, 2], c: 'z' }, { d: 3 }), { a: [1, 2], c: 'z', d: 3 });
    assert.deepEqual(call('merge', { a: 1 }, null), { a: 1 });
    assert.deepEqual(call('merge'), {});
    assert.match(reason('merge', { a: 1 }, ['x']), /argument 2 must be a map or object, not a list/);
  });

  test('lookup with and without a default', () => {
    assert.equal(call('lookup', { a: 'ay', b: 'bee' }, 'a', 'what?'), 'ay');
    assert.equal(call('lookup', { a: 'ay', b: 'bee' }, 'c', 'what?'), 'what?');
    assert.equal(call('lookup', { a: 'ay' }, 'a'), 'ay');
    assert.equal(reason('lookup', { a: 'ay' }, 'c'), 'lookup(): lookup failed to find key "c"');
    assert.equal(call('lookup', { '1': 'one' }, 1), 'one', 'a number key converts to a string');
  });

  test('keys, values, length, transpose, zipmap', () => {
    assert.deepEqual(call('keys', { d: 3, a: 1, c: 2 }), ['a', 'c', 'd']);
    assert.deepEqual(call('values', { a: 3, c: 2, d: 1 }), [3, 2, 1]);
    assert.deepEqual(call('values', { d: 1, a: 3 }), [3, 1], 'values follow the sorted keys');
    assert.equal(call('length', []), 0);
    assert.equal(call('length', ['a', 'b']), 2);
    assert.equal(call('length', { a: 'b' }), 1);
    assert.equal(call('length', 'hello'), 5);
    assert.equal(call('length', '👾🕹️'), 2, 'characters are grapheme clusters');
    assert.match(reason('length', null), /must not be null/);
    assert.deepEqual(call('transpose', { a: ['1', '2'], b: ['2', '3'] }), { '1': ['a'], '2': ['a', 'b'], '3': ['b'] });
    assert.deepEqual(call('zipmap', ['a', 'b'], [1, 2]), { a: 1, b: 2 });
    assert.deepEqual(call('zipmap', ['a', 'b'], [{ x: 1 }, [2]]), { a: { x: 1 }, b: [2] });
    assert.match(reason('zipmap', ['a'], [1, 2]), /number of keys \(1\) does not match number of values \(2\)/);
  });

  test('element (wraps around), index, contains', () => {
    assert.equal(call('element', ['a', 'b', 'c'], 1), 'b');
    assert.equal(call('element', ['a', 'b', 'c'], 3), 'a');
    assert.equal(call('element', ['a', 'b', 'c'], '4'), 'b');
    assert.equal(reason('element', [], 0), 'element(): cannot use element function with an empty list');
    assert.match(reason('element', ['a'], -1), /negative index/);
    assert.match(reason('element', ['a'], 0.5), /whole number/);
    assert.equal(call('index', ['a', 'b', 'c'], 'b'), 1);
    assert.equal(call('index', ['1', '2'], 2), 1, 'a number matches its string in a list of strings');
    assert.equal(reason('index', ['a'], 'z'), 'index(): item not found');
    assert.equal(call('contains', ['a', 'b', 'c'], 'a'), true);
    assert.equal(call('contains', ['a', 'b', 'c'], 'd'), false);
    assert.equal(call('contains', [{ a: 1 }], { a: 1 }), true);
  });

  test('one, compact, coalesce, coalescelist', () => {
    assert.equal(call('one', []), null);
    assert.equal(call('one', ['hello']), 'hello');
    assert.match(reason('one', ['hello', 'goodbye']), /either zero or one elements/);
    assert.deepEqual(call('compact', ['a', '', 'b', null, 'c']), ['a', 'b', 'c']);
    assert.deepEqual(call('compact', [1, '']), ['1']);
    assert.equal(call('coalesce', 'a', 'b'), 'a');
    assert.equal(call('coalesce', '', 'b'), 'b');
    assert.equal(call('coalesce', 1, 2), 1);
    assert.equal(call('coalesce', null, '', 'x'), 'x');
    assert.equal(call('coalesce', 1, 'b'), '1', 'the arguments unify to string');
    assert.equal(reason('coalesce', null, ''), 'coalesce(): no non-null, non-empty-string arguments');
    assert.deepEqual(call('coalescelist', ['a', 'b'], ['c', 'd']), ['a', 'b']);
    assert.deepEqual(call('coalescelist', [], ['c', 'd']), ['c', 'd']);
    assert.deepEqual(call('coalescelist', null, ['c']), ['c']);
    assert.match(reason('coalescelist', [], []), /no non-null arguments/);
  });

  test('distinct, slice, reverse, sort, chunklist', () => {
    assert.deepEqual(call('distinct', ['a', 'b', 'a', 'c', 'd', 'b']), ['a', 'b', 'c', 'd']);
    assert.deepEqual(call('distinct', [[1], [1], { a: 1 }, { a: 1 }]), [[1], { a: 1 }]);
    assert.deepEqual(call('slice', ['a', 'b', 'c', 'd'], 1, 3), ['b', 'c']);
    assert.deepEqual(call('slice', ['a', 'b'], 2, 2), []);
    assert.match(reason('slice', ['a', 'b'], 1, 3), /end index/);
    assert.match(reason('slice', ['a', 'b'], 2, 1), /start index must not be greater/);
    assert.deepEqual(call('reverse', [1, 2, 3]), [3, 2, 1]);
    assert.deepEqual(call('sort', ['e', 'd', 'a', 'x']), ['a', 'd', 'e', 'x']);
    assert.deepEqual(call('sort', [3, 11, 1]), ['1', '11', '3'], 'sort is lexicographic on strings');
    assert.deepEqual(call('chunklist', ['a', 'b', 'c', 'd', 'e'], 2), [['a', 'b'], ['c', 'd'], ['e']]);
    assert.deepEqual(call('chunklist', ['a', 'b', 'c', 'd', 'e'], 1), [['a'], ['b'], ['c'], ['d'], ['e']]);
    assert.deepEqual(call('chunklist', ['a', 'b'], 0), [['a', 'b']]);
    assert.deepEqual(call('chunklist', [], 3), []);
    assert.match(reason('chunklist', ['a'], -1), /must be positive/);
  });

  test('range', () => {
    assert.deepEqual(call('range', 3), [0, 1, 2]);
    assert.deepEqual(call('range', 1, 4), [1, 2, 3]);
    assert.deepEqual(call('range', 1, 8, 2), [1, 3, 5, 7]);
    assert.deepEqual(call('range', 1, 4, 0.5), [1, 1.5, 2, 2.5, 3, 3.5]);
    assert.deepEqual(call('range', 4, 1), [4, 3, 2]);
    assert.deepEqual(call('range', 10, 5, -2), [10, 8, 6]);
    assert.deepEqual(call('range', 0), []);
    assert.deepEqual(call('range', 0, 0.5, 0.1), [0, 0.1, 0.2, 0.3, 0.4]);
    assert.match(reason('range', 1, 4, 0), /step must not be zero/);
    assert.match(reason('range', 1, 4, -1), /end must be less than start when step is negative/);
    assert.match(reason('range', 4, 1, 1), /end must be greater than start when step is positive/);
    assert.match(reason('range', 5000), /more than 1024 values/);
  });

  test('set functions', () => {
    assert.deepEqual(call('setunion', ['a', 'b'], ['b', 'c'], ['d']), ['a', 'b', 'c', 'd']);
    assert.deepEqual(call('setintersection', ['a', 'b'], ['b', 'c'], ['b', 'd']), ['b']);
    assert.deepEqual(call('setsubtract', ['a', 'b', 'c'], ['a', 'c']), ['b']);
    assert.deepEqual(call('setproduct', ['development', 'staging', 'production'], ['app1', 'app2']), [
      ['development', 'app1'],
      ['development', 'app2'],
      ['staging', 'app1'],
      ['staging', 'app2'],
      ['production', 'app1'],
      ['production', 'app2'],
    ]);
    assert.deepEqual(call('setproduct', ['a'], []), []);
    assert.match(reason('setproduct', ['a']), /at least 2 arguments/);
  });

  test('alltrue, anytrue', () => {
    assert.equal(call('alltrue', ['true', true]), true);
    assert.equal(call('alltrue', [true, false]), false);
    assert.equal(call('alltrue', []), true);
    assert.equal(call('anytrue', ['true']), true);
    assert.equal(call('anytrue', [true, false]), true);
    assert.equal(call('anytrue', []), false);
    assert.match(reason('alltrue', ['yes']), /cannot convert "yes" to a bool/);
  });
});

describe('tf functions: conversion and error handling', () => {
  test('tostring, tonumber, tobool', () => {
    assert.equal(call('tostring', 'hello'), 'hello');
    assert.equal(call('tostring', 1), '1');
    assert.equal(call('tostring', 1.5), '1.5');
    assert.equal(call('tostring', 1e21), '1000000000000000000000', 'Terraform never prints exponents');
    assert.equal(call('tostring', true), 'true');
    assert.equal(call('tostring', null), null);
    assert.match(reason('tostring', []), /must be a string, not a list/);
    assert.equal(call('tonumber', 1), 1);
    assert.equal(call('tonumber', '5'), 5);
    assert.equal(call('tonumber', '-1.5e3'), -1500);
    assert.equal(call('tonumber', null), null);
    assert.match(reason('tonumber', 'no'), /cannot convert "no" to a number/);
    assert.match(reason('tonumber', '0x10'), /cannot convert/);
    assert.match(reason('tonumber', ' 5'), /cannot convert/);
    assert.equal(call('tobool', true), true);
    assert.equal(call('tobool', 'false'), false);
    assert.equal(call('tobool', null), null);
    assert.match(reason('tobool', 'no'), /cannot convert "no" to a bool/);
    assert.match(reason('tobool', 1), /must be a bool, not a number/);
  });

  test('try skips errors but keeps an unknown unknown; can says false only for an error', () => {
    // An error (a missing attribute, an index out of range) falls through to the next argument.
    assert.deepEqual(call('try', errorUnknown('object has no attribute "a"'), 'fallback'), 'fallback');
    assert.deepEqual(call('try', errorUnknown('object has no attribute "a"'), null), null);
    // A value that is merely not known statically is not replaced by a guess.
    assert.deepEqual(call('try', noDefault, 'fallback'), noDefaultJson);
    assert.equal(call('try', 'x', 'fallback'), 'x');
    assert.deepEqual(call('try', sg, 'fallback'), sgJson, 'a ref is a value, not a failure');
    assert.equal(reason('try', errorUnknown('index 3 is out of range'), errorUnknown('object has no attribute "b"')), 'try(): no argument could be evaluated: index 3 is out of range');
    assert.equal(call('can', errorUnknown('index 3 is out of range')), false);
    assert.deepEqual(call('can', noDefault), noDefaultJson);
    assert.equal(call('can', 'x'), true);
    assert.equal(call('can', sg), true);
  });

  test('sensitive and nonsensitive pass values through', () => {
    assert.equal(call('sensitive', 'x'), 'x');
    assert.deepEqual(call('nonsensitive', sg), sgJson);
  });
});

describe('tf functions: IP networks', () => {
  test('documented results', () => {
    assert.equal(call('cidrsubnet', '10.0.0.0/16', 8, 2), '10.0.2.0/24');
    assert.equal(call('cidrsubnet', '172.16.0.0/12', 4, 2), '172.18.0.0/16');
    assert.equal(call('cidrsubnet', '10.1.2.0/24', 4, 15), '10.1.2.240/28');
    assert.equal(call('cidrsubnet', 'fd00:fd12:3456:7890::/56', 16, 162), 'fd00:fd12:3456:7800:a200::/72');
    assert.equal(call('cidrsubnet', '10.0.0.0/16', '8', '2'), '10.0.2.0/24', 'numeric strings convert');
    assert.deepEqual(call('cidrsubnets', '10.1.0.0/16', 4, 4, 8, 4), ['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']);
    assert.deepEqual(call('cidrsubnets', '10.1.0.0/16'), []);
    assert.equal(call('cidrhost', '10.12.112.0/20', 16), '10.12.112.16');
    assert.equal(call('cidrhost', '10.12.112.0/20', 268), '10.12.113.12');
    assert.equal(call('cidrhost', '10.0.0.0/24', -1), '10.0.0.255');
    assert.equal(call('cidrnetmask', '172.16.0.0/12'), '255.240.0.0');
  });

  test('errors become explained unknowns', () => {
    assert.equal(reason('cidrsubnet', 'bad', 8, 1), 'cidrsubnet(): invalid CIDR expression: invalid CIDR address: bad');
    assert.match(reason('cidrsubnet', '10.0.0.0/16', 8, 256), /does not accommodate a subnet numbered 256/);
    assert.match(reason('cidrsubnet', '10.0.0.0/16', 8.5, 1), /newbits must be a whole number/);
    assert.match(reason('cidrhost', '10.0.0.0/30', 4), /does not accommodate a host numbered 4/);
    assert.match(reason('cidrnetmask', '::/64'), /IPv6 addresses cannot have a netmask/);
    assert.match(reason('cidrsubnets', '10.0.0.0/24', 1, 1, 1), /not enough remaining address space/);
    assert.equal(reason('cidrsubnet', noDefault, 8, 1), 'cidrsubnet(): variable "x" has no default');
    assert.match(reason('cidrsubnet', ref('tf:.:aws_vpc.main', ['cidr_block']), 8, 1), /aws_vpc\.main\.cidr_block is only known after apply/);
  });
});

describe('tf functions: strings', () => {
  test('format verbs, width and precision', () => {
    assert.equal(call('format', 'Hello, %s!', 'Ander'), 'Hello, Ander!');
    assert.equal(call('format', 'There are %d lights', 4), 'There are 4 lights');
    assert.equal(call('format', '%d', '7'), '7');
    assert.equal(call('format', '%s', 5), '5');
    assert.equal(call('format', '%v|%v|%v', 'a', 1.5, true), 'a|1.5|true');
    assert.equal(call('format', '%v|%s', 1000000, 1000000), '1e+06|1000000', '%v prints numbers like %g');
    assert.equal(call('format', '%v', [1, 'a']), '[1,"a"]');
    assert.equal(call('format', '%v', null), 'null');
    assert.equal(call('format', '%#v', 'x'), '"x"');
    assert.equal(call('format', '%q', 'a"b<'), '"a\\"b\\u003c"', '%q quotes as JSON');
    assert.equal(call('format', '%t', true), 'true');
    assert.equal(call('format', '100%%'), '100%');
    assert.equal(call('format', '%-5s|%5s|', 'ab', 'cd'), 'ab   |   cd|');
    assert.equal(call('format', '%05d|%+d|%x|%X|%o|%b', 42, 3, 255, 255, 8, 5), '00042|+3|ff|FF|10|101');
    assert.equal(call('format', '%05d', -42), '-0042');
    assert.equal(call('format', '%.2f|%8.3f|%f', 3.14159, 3.14159, 1), '3.14|   3.142|1.000000');
    assert.equal(call('format', '%.3s|%.0s|%3s|', 'abcdef', 'xy', '👾'), 'abc|xy|  👾|');
    assert.equal(call('format', '%e|%.2E', 1234.5678, 1234.5678), '1.234568e+03|1.23E+03');
    assert.equal(call('format', '%g|%g|%g|%.3g', 1000000, 100000, 0.00001, 3.14159), '1e+06|100000|1e-05|3.14');
    assert.equal(call('format', '%[2]s %[1]s', 'a', 'b'), 'b a');
    assert.equal(call('format', '%x', 'hi'), '6869');
    assert.match(reason('format', '%s %s', 'a'), /not enough arguments for "%s" at 3: need index 2 but have 1 total/);
    assert.equal(call('format', '%s', 'a', 'b'), 'a', 'unused arguments are ignored, as in cty');
    assert.match(reason('format', 'abc %'), /invalid format string starting at offset 4/);
    assert.match(reason('format', '%d', 1.5), /integer is required/);
    assert.match(reason('format', '%s', null), /null value cannot be formatted/);
    assert.match(reason('format', '%s', ['a']), /string required/);
    assert.match(reason('format', '%y', 'a'), /unsupported format verb 'y' in "%y" at offset 0/);
    assert.match(reason('format', '%!', 'a'), /unrecognized format character "!" at offset 1/);
  });

  test('formatlist', () => {
    assert.deepEqual(call('formatlist', 'Hello, %s!', ['Valentina', 'Ander', 'Olivia', 'Sam']), [
      'Hello, Valentina!',
      'Hello, Ander!',
      'Hello, Olivia!',
      'Hello, Sam!',
    ]);
    assert.deepEqual(call('formatlist', '%s, %s%s', ['Salutations', 'Valedictions'], 'Friends', ['!', '?']), [
      'Salutations, Friends!',
      'Valedictions, Friends?',
    ]);
    assert.match(reason('formatlist', '%s%s', ['a'], ['b', 'c']), /inconsistent/);
  });

  test('join, split', () => {
    assert.equal(call('join', ', ', ['foo', 'bar', 'baz']), 'foo, bar, baz');
    assert.equal(call('join', ', ', ['foo']), 'foo');
    assert.equal(call('join', '-', ['a'], [], ['b', 'c']), 'a-b-c');
    assert.equal(call('join', ',', [1, true]), '1,true');
    assert.deepEqual(call('split', ',', 'foo,bar,baz'), ['foo', 'bar', 'baz']);
    assert.deepEqual(call('split', ',', 'foo'), ['foo']);
    assert.deepEqual(call('split', ',', ''), ['']);
    assert.match(reason('join', ',', ['a', null]), /is null/);
  });

  test('replace, with plain and /regex/ substrings', () => {
    assert.equal(call('replace', '1 + 2 + 3', '+', '-'), '1 - 2 - 3');
    assert.equal(call('replace', 'hello world', '/w.*d/', 'everybody'), 'hello everybody');
    assert.equal(call('replace', 'hello', '/(l+)/', '<$1>'), 'he<ll>o');
    assert.equal(call('replace', 'a-b', '/(?P<x>[a-z])/', '${x}${x}'), 'aa-bb');
    assert.equal(call('replace', 'abc', '/b/', '$$'), 'a$c');
    assert.equal(call('replace', 'baaac', '/a*/', '-'), '-b-c-', 'no empty match right after a match, as in Go');
    assert.equal(call('replace', 'a.b', '/\\./', '_'), 'a_b');
    assert.equal(call('replace', 'x', '/', 'y'), 'x', 'a single slash is a plain substring');
    assert.equal(call('replace', 'abc', '', '-'), '-a-b-c-', 'as Go strings.Replace');
  });

  test('substr, trims, case, affixes', () => {
    assert.equal(call('substr', 'hello world', 1, 4), 'ello');
    assert.equal(call('substr', '🤔🤷', 0, 1), '🤔');
    assert.equal(call('substr', 'hello world', -5, -1), 'world');
    assert.equal(call('substr', 'hello world', 6, 10), 'world');
    assert.equal(call('substr', 'hello', 10, 2), '');
    assert.equal(call('trimspace', '  hello\n\n'), 'hello');
    assert.equal(call('trim', '?!hello?!', '!?'), 'hello');
    assert.equal(call('trim', 'foobar', 'far'), 'oob');
    assert.equal(call('trimprefix', 'helloworld', 'hello'), 'world');
    assert.equal(call('trimprefix', 'helloworld', 'cat'), 'helloworld');
    assert.equal(call('trimsuffix', 'helloworld', 'world'), 'hello');
    assert.equal(call('lower', 'HELLO'), 'hello');
    assert.equal(call('upper', 'hello'), 'HELLO');
    assert.equal(call('title', 'hello world'), 'Hello World');
    assert.equal(call('title', "o'neil-smith x_y"), "O'Neil-Smith X_y");
    assert.equal(call('title', 'a—b'), 'A—b', 'beyond ASCII only white space separates words');
    assert.equal(call('upper', 'straße'), 'STRAßE', 'simple case mapping, as Go');
    assert.equal(call('lower', 'ΟΔΟΣ'), 'οδοσ');
    assert.equal(call('startswith', 'hello world', 'hello'), true);
    assert.equal(call('startswith', 'hello world', 'world'), false);
    assert.equal(call('endswith', 'hello world', 'world'), true);
    assert.equal(call('strcontains', 'hello world', 'wor'), true);
    assert.equal(call('strcontains', 'hello world', 'wod'), false);
    assert.equal(call('chomp', 'hello\n\n'), 'hello');
    assert.equal(call('indent', 2, 'a\nb'), 'a\n  b');
    assert.equal(call('strrev', 'hello'), 'olleh');
  });

  test('regex and regexall', () => {
    assert.equal(call('regex', '[a-z]+', '53453453.345345aaabbbccc23454'), 'aaabbbccc');
    assert.deepEqual(call('regex', '(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)', '2019-02-01'), ['2019', '02', '01']);
    assert.deepEqual(call('regex', '^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?', 'https://terraform.io/docs/'), {
      authority: 'terraform.io',
      scheme: 'https',
    });
    assert.deepEqual(call('regex', 'a(b)?', 'a'), [''], 'a group that did not take part is empty');
    assert.equal(reason('regex', '[a-z]+', '53453453.34534523454'), 'regex(): pattern did not match any part of the given string');
    assert.deepEqual(call('regexall', '[a-z]+', '1234abcd5678efgh9'), ['abcd', 'efgh']);
    assert.deepEqual(call('regexall', '[a-z]+', '123456789'), []);
    assert.deepEqual(call('regexall', '(\\w)=(\\d)', 'a=1 b=2'), [
      ['a', '1'],
      ['b', '2'],
    ]);
    assert.equal(call('regex', '(?i)^VPC-[[:xdigit:]]+$', 'vpc-0aF1'), 'vpc-0aF1');
    assert.equal(call('regex', '\\Aab\\z', 'ab'), 'ab');
    assert.equal(call('regex', 'a{', 'xa{'), 'a{', 'a brace that starts no repetition is literal');
    assert.equal(call('regex', '[]a]+', 'x]a]'), ']a]', 'a ] first in a class is literal');
    assert.equal(call('regex', '\\#\\-', 'a#-'), '#-');
    assert.equal(call('regex', 'a.c', 'a\nc a-c'), 'a-c', '. does not match a newline without (?s)');
    assert.equal(call('regex', '(?s)a.c', 'a\nc'), 'a\nc');
    assert.match(reason('regex', '(a)(?P<b>b)', 'ab'), /can't mix named and unnamed capture groups/);
    assert.match(reason('regex', '(?=a)', 'a'), /invalid regular expression pattern/);
    assert.match(reason('regex', '[a', 'a'), /invalid regular expression pattern/);
  });
});

describe('tf functions: encodings', () => {
  test('jsonencode and jsondecode', () => {
    assert.equal(call('jsonencode', { hello: 'world' }), '{"hello":"world"}');
    assert.equal(call('jsonencode', { b: [1, 2.5, true, null], a: 'x' }), '{"a":"x","b":[1,2.5,true,null]}');
    assert.equal(call('jsonencode', '<a & b>'), '"\\u003ca \\u0026 b\\u003e"', 'HTML characters are escaped like Go');
    assert.deepEqual(call('jsondecode', '{"hello": "world"}'), { hello: 'world' });
    assert.equal(call('jsondecode', 'true'), true);
    assert.deepEqual(call('jsondecode', '[1, {"a": null}]'), [1, { a: null }]);
    assert.match(reason('jsondecode', '{nope'), /^jsondecode\(\): invalid JSON/);
  });

  test('yamlencode', () => {
    assert.equal(call('yamlencode', { a: 'b', c: 'd' }), '"a": "b"\n"c": "d"\n');
    assert.equal(call('yamlencode', { foo: [1, 2, 3], bar: 'baz' }), '"bar": "baz"\n"foo":\n- 1\n- 2\n- 3\n');
    assert.equal(call('yamlencode', { foo: [1, { a: 'b', c: 'd' }, 3], bar: 'baz' }), '"bar": "baz"\n"foo":\n- 1\n- "a": "b"\n  "c": "d"\n- 3\n');
    assert.equal(call('yamlencode', { a: { b: true, c: null }, e: [], f: {} }), '"a":\n  "b": true\n  "c": null\n"e": []\n"f": {}\n');
  });

  test('base64', () => {
    assert.equal(call('base64encode', 'Hello World'), 'SGVsbG8gV29ybGQ=');
    assert.equal(call('base64encode', 'ü'), 'w7w=');
    assert.equal(call('base64decode', 'SGVsbG8gV29ybGQ='), 'Hello World');
    assert.equal(call('base64decode', 'w7w='), 'ü');
    assert.match(reason('base64decode', 'not base64!'), /failed to decode base64 data/);
    assert.match(reason('base64decode', '/w=='), /not valid UTF-8/);
  });
});

describe('tf functions: numbers', () => {
  test('documented results', () => {
    assert.equal(call('min', 12, 54, 3), 3);
    assert.equal(call('max', 12, 54, 3), 54);
    assert.equal(call('max', '7', 2), 7);
    assert.equal(call('abs', 23), 23);
    assert.equal(call('abs', 0), 0);
    assert.equal(call('abs', -12.4), 12.4);
    assert.equal(call('ceil', 5), 5);
    assert.equal(call('ceil', 5.1), 6);
    assert.equal(call('floor', 5), 5);
    assert.equal(call('floor', 4.9), 4);
    assert.equal(call('pow', 3, 2), 9);
    assert.equal(call('pow', 4, 0), 1);
    assert.equal(call('signum', -13), -1);
    assert.equal(call('signum', 0), 0);
    assert.equal(call('signum', 344), 1);
    assert.equal(call('sum', [10, 13, 6, 4.5]), 33.5);
    assert.equal(call('log', 16, 2), 4);
    assert.match(reason('sum', []), /cannot sum an empty list/);
    assert.match(reason('min'), /expects at least 1 argument/);
  });

  test('parseint', () => {
    assert.equal(call('parseint', '100', 10), 100);
    assert.equal(call('parseint', 'FF', 16), 255);
    assert.equal(call('parseint', '-10', 16), -16);
    assert.equal(call('parseint', '1011111011101111', 2), 48879);
    assert.equal(call('parseint', 'aA', 62), 656);
    assert.match(reason('parseint', '12', 2), /cannot parse "12" as a base 2 integer/);
    assert.match(reason('parseint', '1', 63), /between 2 and 62/);
  });
});

describe('tf functions: values not known statically', () => {
  test('an unknown argument the result needs makes the result unknown, citing why', () => {
    assert.equal(reason('join', ',', noDefault), 'join(): variable "x" has no default');
    assert.equal(reason('join', ',', ['a', noDefault]), 'join(): variable "x" has no default');
    assert.equal(reason('upper', noDefault), 'upper(): variable "x" has no default');
    assert.equal(reason('lower', sg), 'lower(): aws_security_group.app.id is only known after apply');
    assert.equal(reason('keys', noDefault), 'keys(): variable "x" has no default');
    assert.equal(reason('merge', { a: 1 }, noDefault), 'merge(): variable "x" has no default');
    assert.equal(reason('jsonencode', { a: [sg] }), 'jsonencode(): aws_security_group.app.id is only known after apply');
    assert.equal(reason('sort', ['a', sg]), 'sort(): aws_security_group.app.id is only known after apply');
    assert.equal(reason('length', sg), 'length(): aws_security_group.app.id is only known after apply');
    assert.equal(reason('lookup', { a: 1 }, noDefault), 'lookup(): variable "x" has no default');
    assert.equal(reason('element', ['a'], noDefault), 'element(): variable "x" has no default');
    assert.equal(reason('format', '%d', sg), 'format(): aws_security_group.app.id is only known after apply');
    assert.equal(reason('format', '%s', noDefault), 'format(): variable "x" has no default');
    assert.equal(reason('coalesce', noDefault, 'x'), 'coalesce(): variable "x" has no default');
    assert.equal(reason('tostring', { kind: 'import', name: 'VpcId' }), 'tostring(): the value imported from export "VpcId" is not known here');
  });

  test('collection functions keep refs and unknown items in a list of known length', () => {
    assert.deepEqual(call('concat', [sg], ['sg-123']), [sgJson, 'sg-123']);
    assert.deepEqual(call('flatten', [[sg], [noDefault]]), [sgJson, noDefaultJson]);
    assert.deepEqual(call('tolist', [sg, noDefault]), [sgJson, noDefaultJson]);
    assert.deepEqual(call('toset', ['b', sg, 'a', 'a']), ['a', 'b', sgJson], 'known items deduplicated and sorted');
    assert.deepEqual(call('toset', [noDefault, noDefault]), [noDefaultJson, noDefaultJson], 'unknown items are never deduplicated');
    assert.deepEqual(call('distinct', [sg, 'a', sg, 'a']), [sgJson, 'a'], 'two references to the same attribute are the same');
    assert.deepEqual(call('compact', [sg, '', 'a', noDefault]), [sgJson, 'a', noDefaultJson]);
    assert.deepEqual(call('merge', { a: noDefault }, { b: sg }), { a: noDefaultJson, b: sgJson });
    assert.deepEqual(call('values', { a: sg }), [sgJson]);
    assert.deepEqual(call('keys', { b: noDefault, a: sg }), ['a', 'b']);
    assert.deepEqual(call('reverse', [sg, 'a']), ['a', sgJson]);
    assert.deepEqual(call('slice', [sg, noDefault, 'a'], 0, 2), [sgJson, noDefaultJson]);
    assert.deepEqual(call('setunion', [sg], ['a']), ['a', sgJson]);
    assert.deepEqual(call('zipmap', ['a'], [sg]), { a: sgJson });
  });

  test('item access with known indexes and keys returns the item, even a ref', () => {
    assert.equal(call('length', [sg, noDefault]), 2);
    assert.equal(call('length', { a: noDefault }), 1);
    assert.deepEqual(call('element', [sg, 'a'], 0), sgJson);
    assert.deepEqual(call('element', [sg, 'a'], 2), sgJson);
    assert.deepEqual(call('element', ['a', noDefault], 1), noDefaultJson);
    assert.deepEqual(call('lookup', { a: sg }, 'a'), sgJson);
    assert.equal(call('lookup', { a: noDefault, b: 'x' }, 'b'), 'x');
    assert.deepEqual(call('one', [sg]), sgJson);
    assert.equal(call('index', ['a', sg], 'a'), 0);
    assert.match(reason('index', [sg, 'a'], 'a'), /^index\(\): item 0 may be the value: aws_security_group\.app\.id is only known after apply$/);
    assert.equal(call('index', [sg, 'a'], sg), 0);
    assert.match(reason('index', ['a', sg], sg), /item 0 may be the value/, 'the ref might turn out to be "a"');
    assert.equal(call('contains', ['a', sg], 'a'), true);
    assert.match(reason('contains', [sg], 'a'), /only known after apply/);
    assert.equal(call('alltrue', [noDefault, false]), false);
    assert.equal(call('anytrue', [noDefault, true]), true);
    assert.match(reason('alltrue', [noDefault, true]), /has no default/);
  });

  test('strings built from refs stay linked to them', () => {
    assert.deepEqual(call('join', ',', ['a', sg, 'b']), { $concat: ['a,', sgJson, ',b'] });
    assert.deepEqual(call('join', ',', [sg]), { $concat: [sgJson] });
    assert.deepEqual(call('format', '%s-%s', sg, 'x'), { $concat: [sgJson, '-x'] });
    assert.deepEqual(call('format', 'arn:%v', { kind: 'concat', parts: [str('a:'), sg] }), { $concat: ['arn:a:', sgJson] });
    assert.match(reason('format', '%5s', sg), /only known after apply/, 'padding needs the length');
    assert.deepEqual(call('formatlist', '%s/32', [sg, 'x']), [{ $concat: [sgJson, '/32'] }, 'x/32']);
    assert.deepEqual(call('tostring', sg), sgJson);
    assert.deepEqual(call('coalesce', sg, 'x'), sgJson);
    assert.deepEqual(call('coalesce', null, sg), sgJson);
  });

  test('resources and modules (lazy objects) cannot be enumerated', () => {
    const mod = lazyObject((name) => (name === 'vpc_id' ? str('vpc-1') : undefined));
    assert.match(reason('keys', mod), /cannot be listed statically/);
    assert.match(reason('merge', mod, { a: 1 }), /cannot be listed statically/);
    assert.match(reason('jsonencode', { m: mod }), /cannot be listed statically/);
    assert.equal(call('lookup', mod, 'vpc_id'), 'vpc-1');
  });
});

describe('tf functions: names and origins', () => {
  test('functions not evaluated statically say why', () => {
    assert.equal(reason('file', 'x.json'), 'file(): reads files; not evaluated statically');
    assert.equal(reason('templatefile', 'x.tpl', {}), 'templatefile(): reads files; not evaluated statically');
    assert.equal(reason('timestamp'), 'timestamp(): computed at apply time');
    assert.equal(reason('sha256', 'x'), 'sha256(): computed at apply time');
    assert.equal(reason('provider::aws::arn_parse', 'arn:aws:s3:::b'), 'function provider::aws::arn_parse is not evaluated statically');
    assert.equal(reason('no_such_function'), 'function no_such_function is not evaluated statically');
    assert.equal(reason('join', ','), 'join(): expects at least 2 arguments, got 1');
    assert.equal(reason('upper'), 'upper(): expects 1 argument, got 0');
    assert.equal(reason('lookup', {}), 'lookup(): expects 2 to 3 arguments, got 1');
    assert.equal(call('core::upper', 'a'), 'A');
  });

  test('SUPPORTED_FUNCTIONS lists what is evaluated', () => {
    const expected = `concat flatten tolist toset tomap tostring tonumber tobool merge lookup try can coalesce coalescelist compact one
      element index length keys values transpose zipmap contains distinct slice reverse range sort setunion setintersection
      setsubtract setproduct chunklist cidrsubnet cidrhost cidrnetmask cidrsubnets format formatlist join split replace substr
      trimspace trim trimprefix trimsuffix lower upper title startswith endswith strcontains regex regexall jsonencode
      jsondecode yamlencode base64encode base64decode min max abs ceil floor parseint pow signum sum alltrue anytrue`.split(/\s+/);
    for (const f of expected) assert.ok(SUPPORTED_FUNCTIONS.has(f), f);
    for (const f of ['file', 'templatefile', 'timestamp', 'uuid', 'bcrypt', 'md5']) assert.ok(!SUPPORTED_FUNCTIONS.has(f), f);
  });

  test('results carry the call’s location; passed-through values keep their own', () => {
    const at: Location = { file: 'main.tf', span: { start: 10, end: 20 } };
    const written: Location = { file: 'variables.tf', span: { start: 1, end: 5 } };
    assert.deepEqual(callFunction('upper', [str('a')], at).origin, at);
    assert.deepEqual(callFunction('concat', [list([str('a')])], at).origin, at);
    assert.deepEqual(callFunction('element', [list([str('a', written)]), num(0)], at).origin, written);
    assert.deepEqual(callFunction('element', [list([str('a')]), num(0)], at).origin, at);
    assert.deepEqual(callFunction('one', [list([])], at), { kind: 'null', origin: at });
    assert.deepEqual(callFunction('element', [list([]), num(0)], at).origin, at, 'errors too');
    assert.deepEqual(callFunction('file', [str('x')], at).origin, at);
    assert.deepEqual(callFunction('join', [str(','), list([sg, str('a')])], at).origin, at);
    assert.equal(callFunction('upper', [str('a')]).origin, undefined);
    assert.equal('origin' in callFunction('join', [str(','), list([sg])]), false);
  });

  test('never throws, whatever it is given', () => {
    assert.match(reason('format', '%g|%f|%e', Number.NaN, Number.POSITIVE_INFINITY, Number.NaN), /not a number Terraform can format/);
    const odd: Value[] = [NULL, sg, noDefault, list([]), obj({}), str(''), num(Number.NaN), bool(true), { kind: 'import', name: 'X' }];
    for (const name of SUPPORTED_FUNCTIONS) {
      for (const a of odd) {
        for (const b of odd) {
          const r = callFunction(name, [a, b]);
          assert.ok(r && typeof r.kind === 'string', name);
          if (r.kind === 'unknown') assert.ok(!r.reason.includes('internal error'), `${name}: ${r.reason}`);
        }
      }
    }
  });
});
