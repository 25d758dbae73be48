import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHcl, parseTfJson } from '../../server/src/engine/parse/terraform';
import type { Attribute, Block, Body, Expr, HclFile, Span } from '../../server/src/engine/parse/terraform';

function slice(text: string, s: Span): string {
  return text.slice(s.start, s.end);
}

function ok(text: string, tfvars = false): HclFile {
  const f = parseTfJson(text, { tfvars });
  assert.deepEqual(f.errors, [], `unexpected errors for ${text}`);
  return f;
}

function blocks(f: HclFile): Block[] {
  return f.body.items.filter((i): i is Block => i.kind === 'block');
}

function attr(body: Body, name: string): Attribute {
  const a = body.items.find((i): i is Attribute => i.kind === 'attribute' && i.name === name);
  assert.ok(a, `attribute ${name}`);
  return a;
}

/** The same compact tree rendering as the native parser's test, enough to compare both syntaxes. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'template':
      return `(tpl ${e.parts.map(show).join(' ')})`;
    case 'tuple':
      return `[${e.items.map(show).join(', ')}]`;
    case 'object':
      return `{${e.items.map((i) => `${show(i.key)}=${show(i.value)}`).join(', ')}}`;
    case 'variable':
      return e.name;
    case 'getattr':
      return `${show(e.object)}.${e.name}`;
    case 'index':
      return `${show(e.object)}[${show(e.key)}]`;
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')})`;
    case 'conditional':
      return `(${show(e.cond)} ? ${show(e.then)} : ${show(e.else)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'templateIf':
      return `(%if ${show(e.cond)} [${e.then.map(show).join(' ')}])`;
    default:
      return e.kind;
  }
}

test('top-level blocks get their labels: resource and data two, module/variable/output/provider one', () => {
  const text = JSON.stringify(
    {
      resource: { aws_vpc: { main: { cidr_block: '10.0.0.0/16' }, other: { cidr_block: '10.1.0.0/16' } } },
      data: { aws_region: { current: {} } },
      module: { net: { source: './net' } },
      variable: { region: { default: 'eu-west-1' } },
      output: { id: { value: '${aws_vpc.main.id}' } },
      provider: { aws: [{ region: 'eu-west-1' }, { alias: 'us', region: 'us-east-1' }] },
      locals: { a: 1 },
      terraform: { required_version: '>= 1.5', backend: { s3: { bucket: 'b' } } },
    },
    null,
    2,
  );
  const f = ok(text);
  assert.deepEqual(
    blocks(f).map((b) => [b.type, ...b.labels.map((l) => l.value)].join(' ')),
    ['resource aws_vpc main', 'resource aws_vpc other', 'data aws_region current', 'module net', 'variable region', 'output id', 'provider aws', 'provider aws', 'locals', 'terraform'],
  );
  const main = blocks(f)[0];
  assert.equal(slice(text, main.typeSpan), 'resource');
  assert.deepEqual(
    main.labels.map((l) => slice(text, l.span)),
    ['"aws_vpc"', '"main"'],
  );
  assert.ok(main.labels.every((l) => l.quoted));
  assert.equal(text[main.openBrace], '{');
  assert.equal(text[main.closeBrace], '}');
  assert.equal(slice(text, main.span), slice(text, { start: text.indexOf('"main"'), end: main.closeBrace + 1 }));
  const cidr = attr(main.body, 'cidr_block');
  assert.equal(slice(text, cidr.nameSpan), 'cidr_block');
  assert.equal(slice(text, cidr.span), '"cidr_block": "10.0.0.0/16"');
  assert.deepEqual(cidr.expr, { kind: 'literal', value: '10.0.0.0/16', span: { start: text.indexOf('"10.0.0.0/16"'), end: text.indexOf('"10.0.0.0/16"') + 13 } });
  // The second provider block is the second array element.
  assert.equal(show(attr(blocks(f)[7].body, 'alias').expr), '"us"');
  assert.equal(show(attr(blocks(f)[8].body, 'a').expr), '1');
  // Nested blocks are attributes holding objects, as the evaluator reads nested blocks anyway.
  assert.equal(show(attr(blocks(f)[9].body, 'backend').expr), '{"s3"={"bucket"="b"}}');
});

test('arrays of bodies at any level become one block each', () => {
  const f = ok('{"resource": {"aws_subnet": {"a": [{"x": 1}, {"x": 2}]}}, "locals": [{"a": 1}, {"b": 2}]}');
  assert.deepEqual(
    blocks(f).map((b) => `${b.type}:${b.labels.map((l) => l.value).join('.')}:${b.body.items.map((i) => (i.kind === 'attribute' ? `${i.name}=${show(i.expr)}` : '')).join(',')}`),
    ['resource:aws_subnet.a:x=1', 'resource:aws_subnet.a:x=2', 'locals::a=1', 'locals::b=2'],
  );
});

test('values: numbers, bools, null, arrays and objects', () => {
  const text = '{"locals": {"n": 1.5, "t": true, "f": false, "z": null, "l": [1, "a", [true]], "o": {"k": {"n": -2}}}}';
  const body = blocks(ok(text))[0].body;
  assert.equal(show(attr(body, 'n').expr), '1.5');
  assert.equal(show(attr(body, 't').expr), 'true');
  assert.equal(show(attr(body, 'f').expr), 'false');
  assert.equal(show(attr(body, 'z').expr), 'null');
  assert.equal(show(attr(body, 'l').expr), '[1, "a", [true]]');
  const o = attr(body, 'o').expr;
  assert.equal(show(o), '{"k"={"n"=-2}}');
  assert.equal(slice(text, o.span), '{"k": {"n": -2}}');
  if (o.kind !== 'object') return assert.fail();
  assert.equal(slice(text, o.items[0].key.span), '"k"');
});

test('strings are templates: references get spans inside the JSON string', () => {
  const text = '{"resource": {"aws_vpc_endpoint": {"e": {"vpc_id": "${aws_vpc.main.id}", "name": "ep-${var.env}-x", "plain": "$${not}"}}}}';
  const body = blocks(ok(text))[0].body;
  const vpcId = attr(body, 'vpc_id').expr;
  assert.equal(show(vpcId), '(tpl aws_vpc.main.id)');
  assert.equal(slice(text, vpcId.span), '"${aws_vpc.main.id}"');
  if (vpcId.kind !== 'template') return assert.fail();
  assert.equal(slice(text, vpcId.parts[0].span), 'aws_vpc.main.id');
  const name = attr(body, 'name').expr;
  assert.equal(show(name), '(tpl "ep-" var.env "-x")');
  if (name.kind !== 'template') return assert.fail();
  assert.deepEqual(
    name.parts.map((p) => slice(text, p.span)),
    ['ep-', 'var.env', '-x'],
  );
  // `$${` is the template escape for a literal `${`.
  assert.equal(show(attr(body, 'plain').expr), '"${not}"');
});

test('strings with JSON escapes map every inner span back through the escapes', () => {
  // HCL `lookup(var.m, "k\\A")` written in JSON with escaped quotes, an escaped backslash and a \u escape.
  const hcl = JSON.stringify('${lookup(var.m, "k\\\\A")}').replace('A\\"', '\\u0041\\"');
  const text = `{"locals": {"a": ${hcl}, "b": "\\u00e9\${x}"}}`;
  const body = blocks(ok(text))[0].body;
  const a = attr(body, 'a').expr;
  assert.equal(show(a), '(tpl lookup(var.m, "k\\\\A"))');
  if (a.kind !== 'template' || a.parts[0].kind !== 'call') return assert.fail();
  const call = a.parts[0];
  assert.equal(slice(text, call.nameSpan), 'lookup');
  assert.equal(slice(text, call.args[0].span), 'var.m');
  assert.equal(slice(text, call.args[1].span), text.slice(text.indexOf('var.m, ') + 7, text.indexOf(')}')));
  assert.equal(slice(text, call.span), text.slice(text.indexOf('lookup'), text.indexOf(')}') + 1));
  const b = attr(body, 'b').expr;
  if (b.kind !== 'template') return assert.fail();
  assert.deepEqual(
    b.parts.map((p) => slice(text, p.span)),
    ['\\u00e9', 'x'],
  );
});

test('"//" properties are comments, not attributes', () => {
  const text = '{"//": "top note", "resource": {"a": {"b": {"//": "privatelink-lens: cidr 10.0.0.0/16", "x": 1, "nested": {"//": "n", "y": 2}}}}}';
  const f = ok(text);
  assert.deepEqual(
    f.comments.map((c) => c.text),
    ['// top note', '// privatelink-lens: cidr 10.0.0.0/16', '// n'],
  );
  assert.equal(slice(text, f.comments[0].span), '"//": "top note"');
  const body = blocks(f)[0].body;
  assert.deepEqual(
    body.items.map((i) => (i.kind === 'attribute' ? i.name : i.type)),
    ['x', 'nested'],
  );
  assert.equal(show(attr(body, 'nested').expr), '{"y"=2}');
});

test('.tfvars.json: every top-level property is an attribute', () => {
  const text = '{"region": "eu-west-1", "cidrs": ["10.0.0.0/8"], "resource": {"not": "a block"}}';
  const f = ok(text, true);
  assert.deepEqual(
    f.body.items.map((i) => `${i.kind}:${i.kind === 'attribute' ? i.name : ''}`),
    ['attribute:region', 'attribute:cidrs', 'attribute:resource'],
  );
  assert.equal(show((f.body.items[1] as Attribute).expr), '["10.0.0.0/8"]');
});

test('the JSON tree matches the native tree for the same configuration', () => {
  const hcl = 'resource "aws_security_group_rule" "r" {\n  type = "ingress"\n  from_port = 443\n  cidr_blocks = [aws_vpc.main.cidr_block]\n  description = "to ${var.name}"\n}\n';
  const json = '{"resource": {"aws_security_group_rule": {"r": {"type": "ingress", "from_port": 443, "cidr_blocks": ["${aws_vpc.main.cidr_block}"], "description": "to ${var.name}"}}}}';
  const native = blocks(parseHcl(hcl))[0];
  const fromJson = blocks(ok(json))[0];
  assert.deepEqual([fromJson.type, ...fromJson.labels.map((l) => l.value)], [native.type, ...native.labels.map((l) => l.value)]);
  const nativeAttrs = native.body.items.map((i) => (i.kind === 'attribute' ? `${i.name}=${show(i.expr)}` : ''));
  const jsonAttrs = fromJson.body.items.map((i) => (i.kind === 'attribute' ? `${i.name}=${show(i.expr)}` : ''));
  // The one difference is Terraform's own: in JSON a reference is always written as a template.
  assert.deepEqual(jsonAttrs, nativeAttrs.map((a) => a.replace('[aws_vpc.main.cidr_block]', '[(tpl aws_vpc.main.cidr_block)]')));
});

test('a BOM keeps offsets on the original text', () => {
  const text = '\uFEFF{"locals": {"a": "${x}"}}';
  const f = ok(text);
  const a = attr(blocks(f)[0].body, 'a').expr;
  if (a.kind !== 'template') return assert.fail();
  assert.equal(slice(text, a.parts[0].span), 'x');
});

test('JSON and template syntax errors become syntax errors; nothing throws', () => {
  const broken = parseTfJson('{"resource": {"a": {"b": {"x": 1,, "y": [1 2]}}}');
  const messages = broken.errors.map((e) => e.message);
  assert.equal(messages[0], 'Expected a property name in double quotes');
  assert.ok(messages.includes("Expected ','"), messages.join('; '));
  // What could be read is still there.
  assert.equal(show(attr(blocks(broken)[0].body, 'x').expr), '1');

  const template = '{"locals": {"a": "${var.x", "b": "%{if x}y"}}';
  const t = parseTfJson(template);
  assert.deepEqual(
    t.errors.map((e) => [e.message, slice(template, e.span)]),
    [
      ["Unterminated template interpolation: expected '}' to close the '${' here", '${var.x'],
      ["Expected '%{endif}' to close the '%{if}' directive at line 1", '%{if x}'],
    ],
  );
  assert.equal(show(attr(blocks(t)[0].body, 'a').expr), '(tpl var.x)');

  assert.deepEqual(parseTfJson('[1, 2]').errors.map((e) => e.message), ['A Terraform JSON file must contain one JSON object']);
  assert.ok(parseTfJson('').errors.length > 0);
  assert.ok(parseTfJson('{"resource": "x"}').body.items.length === 1);
  assert.deepEqual(parseTfJson('{"resource": {"a": 5}}').errors.map((e) => e.message), ['Expected a JSON object of resource names here']);
  assert.deepEqual(parseTfJson('// c\n{}').errors.map((e) => e.message), ['Comments are not allowed in JSON; use a "//" property instead']);
  // Deep JSON: an error, not a crash; moderately deep values are cut at the nesting limit.
  const deep = parseTfJson(`{"locals": {"a": ${'['.repeat(2000)}${']'.repeat(2000)}}}`);
  assert.deepEqual(deep.errors.map((e) => e.message), ['Nesting is too deep (more than 500 levels)']);
  assert.equal(blocks(deep)[0].body.items.length, 1);
  assert.deepEqual(parseTfJson(`{"a": ${'['.repeat(200000)}${']'.repeat(200000)}}`).errors.map((e) => e.message), ['The JSON is nested too deeply to be read']);
  for (const garbage of ['{', '{"a": ', '{"resource": {"x": {"y": {"z": "${', '}}}}', '"\\u12', 'null', '{"a": "\\uZZZZ${x}"}']) {
    const f = parseTfJson(garbage);
    assert.ok(Array.isArray(f.errors) && Array.isArray(f.body.items), garbage);
    for (const e of f.errors) assert.ok(e.span.start >= 0 && e.span.end <= garbage.length && e.span.start <= e.span.end, garbage);
  }
});
