import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHcl } from '../../server/src/engine/parse/terraform';
import type { Attribute, Block, Body, BodyItem, Expr, HclFile, Span } from '../../server/src/engine/parse/terraform';

// ---- helpers -------------------------------------------------------------------------------------------

/** Parses and asserts there is no syntax error. */
function ok(text: string): HclFile {
  const f = parseHcl(text);
  assert.deepEqual(f.errors, [], `unexpected errors for ${JSON.stringify(text)}`);
  checkSpans(f, text);
  return f;
}

function slice(text: string, s: Span): string {
  return text.slice(s.start, s.end);
}

function attr(body: Body | HclFile | Block, name: string): Attribute {
  const items = 'body' in body ? body.body.items : body.items;
  const a = items.find((i): i is Attribute => i.kind === 'attribute' && i.name === name);
  assert.ok(a, `attribute ${name}`);
  return a;
}

function block(body: Body | HclFile | Block, type: string, ...labels: string[]): Block {
  const items = 'body' in body ? body.body.items : body.items;
  const b = items.find((i): i is Block => i.kind === 'block' && i.type === type && labels.every((l, k) => i.labels[k]?.value === l));
  assert.ok(b, `block ${type} ${labels.join(' ')}`);
  return b;
}

/** The expression of `x = <source>`. */
function expr(source: string): { e: Expr; text: string } {
  const text = `x = ${source}\n`;
  const f = ok(text);
  return { e: attr(f, 'x').expr, text };
}

/** A compact rendering of an expression tree, to assert its shape in one line. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'template':
      return `(tpl ${e.parts.map(show).join(' ')})`;
    case 'templateIf':
      return `(%if ${show(e.cond)} [${e.then.map(show).join(' ')}]${e.else ? ` [${e.else.map(show).join(' ')}]` : ''})`;
    case 'templateFor':
      return `(%for ${e.keyVar ? `${e.keyVar},` : ''}${e.valueVar} ${show(e.collection)} [${e.body.map(show).join(' ')}])`;
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
    case 'splat':
      return `(splat ${show(e.source)} ${show(e.each)})`;
    case 'splatItem':
      return '*';
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')}${e.expandFinal ? '...' : ''})`;
    case 'for':
      return `(for ${e.keyVar ? `${e.keyVar},` : ''}${e.valueVar} ${show(e.collection)} : ${e.keyExpr ? `${show(e.keyExpr)} => ` : ''}${show(e.valueExpr)}${e.group ? '...' : ''}${e.cond ? ` if ${show(e.cond)}` : ''})`;
    case 'conditional':
      return `(${show(e.cond)} ? ${show(e.then)} : ${show(e.else)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'unary':
      return `(${e.op}${show(e.operand)})`;
    case 'paren':
      return `(paren ${show(e.expr)})`;
    case 'invalid':
      return '!invalid';
  }
}

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'template':
      return e.parts;
    case 'templateIf':
      return [e.cond, ...e.then, ...(e.else ?? [])];
    case 'templateFor':
      return [e.collection, ...e.body];
    case 'tuple':
      return e.items;
    case 'object':
      return e.items.flatMap((i) => [i.key, i.value]);
    case 'getattr':
      return [e.object];
    case 'index':
      return [e.object, e.key];
    case 'splat':
      return [e.source, e.each];
    case 'call':
      return e.args;
    case 'for':
      return [e.collection, e.valueExpr, ...(e.keyExpr ? [e.keyExpr] : []), ...(e.cond ? [e.cond] : [])];
    case 'conditional':
      return [e.cond, e.then, e.else];
    case 'binary':
      return [e.left, e.right];
    case 'unary':
      return [e.operand];
    case 'paren':
      return [e.expr];
    default:
      return [];
  }
}

/**
 * Invariants of every tree, however broken the input: spans lie inside the text and are ordered, and
 * every child lies inside its parent (splat items and legacy keys included). Iterative, and returns the
 * tree's depth.
 */
function checkSpans(f: HclFile, text: string): number {
  const within = (s: Span, outer: Span, what: string) => {
    assert.ok(s.start >= outer.start && s.end <= outer.end && s.start <= s.end, `${what} ${s.start}-${s.end} outside ${outer.start}-${outer.end}`);
  };
  const file = { start: 0, end: text.length };
  for (const e of f.errors) within(e.span, file, `error "${e.message}"`);
  for (const c of f.comments) within(c.span, file, 'comment');
  let depth = 0;
  const stack: { node: BodyItem | Expr; outer: Span; d: number }[] = f.body.items.map((node) => ({ node, outer: file, d: 1 }));
  while (stack.length > 0) {
    const { node, outer, d } = stack.pop()!;
    depth = Math.max(depth, d);
    within(node.span, outer, node.kind);
    if (node.kind === 'block') {
      within(node.typeSpan, node.span, 'block type');
      for (const l of node.labels) within(l.span, node.span, 'label');
      for (const item of node.body.items) stack.push({ node: item, outer: node.span, d: d + 1 });
    } else if (node.kind === 'attribute') {
      within(node.nameSpan, node.span, 'attribute name');
      stack.push({ node: node.expr, outer: node.span, d: d + 1 });
    } else {
      for (const c of children(node)) stack.push({ node: c, outer: node.span, d: d + 1 });
    }
  }
  return depth;
}

// ---- bodies --------------------------------------------------------------------------------------------

test('attributes and blocks with labels, spans and braces', () => {
  const text = 'region = "eu-west-1"\n\nresource "aws_vpc" main {\n  cidr_block = "10.0.0.0/16"\n  tags { Name = "x" }\n}\n';
  const f = ok(text);
  assert.equal(f.body.items.length, 2);
  const region = attr(f, 'region');
  assert.equal(slice(text, region.nameSpan), 'region');
  assert.equal(slice(text, region.span), 'region = "eu-west-1"');
  assert.deepEqual(region.expr, { kind: 'literal', value: 'eu-west-1', span: region.expr.span });
  assert.equal(slice(text, region.expr.span), '"eu-west-1"');

  const vpc = block(f, 'resource', 'aws_vpc', 'main');
  assert.equal(slice(text, vpc.typeSpan), 'resource');
  assert.deepEqual(
    vpc.labels.map((l) => [l.value, slice(text, l.span), l.quoted]),
    [
      ['aws_vpc', '"aws_vpc"', true],
      ['main', 'main', false],
    ],
  );
  assert.equal(text[vpc.openBrace], '{');
  assert.equal(text[vpc.closeBrace], '}');
  assert.equal(vpc.closeBrace, text.length - 2);
  assert.equal(slice(text, vpc.span), text.slice(text.indexOf('resource'), text.length - 1));
  assert.deepEqual(vpc.body.span, { start: vpc.openBrace + 1, end: vpc.closeBrace });
  assert.equal(attr(vpc.body, 'cidr_block').expr.kind, 'literal');

  // A one-line block is a block with one attribute.
  const tags = block(vpc.body, 'tags');
  assert.equal(slice(text, tags.span), 'tags { Name = "x" }');
  assert.equal(attr(tags.body, 'Name').expr.span.start, text.indexOf('"x"'));
});

test('empty blocks, empty files, blank lines and a missing final newline', () => {
  assert.deepEqual(ok('').body.items, []);
  assert.deepEqual(ok('\n\n  \n').body.items, []);
  const f = ok('a {}\nb "x" {\n}\n\n\n\nc = 1');
  assert.deepEqual(
    f.body.items.map((i) => i.kind),
    ['block', 'block', 'attribute'],
  );
  assert.equal(block(f, 'a').body.items.length, 0);
  assert.equal(attr(f, 'c').expr.span.end, 'a {}\nb "x" {\n}\n\n\n\nc = 1'.length);
});

test('comments of all three kinds are collected with their spans, wherever they are', () => {
  const text = '# top\r\n// slashes\n/* block\n   comment */\nresource "a" "b" { # after brace\n  x = [ # in list\n    1, /* inline */ 2\n  ]\n  y = 1 // trailing\n}\n# at the end';
  const f = ok(text);
  assert.deepEqual(
    f.comments.map((c) => c.text),
    ['# top', '// slashes', '/* block\n   comment */', '# after brace', '# in list', '/* inline */', '// trailing', '# at the end'],
  );
  for (const c of f.comments) assert.equal(slice(text, c.span), c.text);
  assert.deepEqual(show(attr(block(f, 'resource'), 'x').expr), '[1, 2]');
});

// ---- literals and strings ------------------------------------------------------------------------------

test('numbers, booleans and null', () => {
  const cases: [string, number | boolean | null][] = [
    ['1', 1],
    ['0.5', 0.5],
    ['1e3', 1000],
    ['1.5e-3', 0.0015],
    ['2E+2', 200],
    ['007', 7],
    ['true', true],
    ['false', false],
    ['null', null],
  ];
  for (const [source, value] of cases) {
    const { e, text } = expr(source);
    assert.equal(e.kind, 'literal');
    assert.equal(e.kind === 'literal' && e.value, value, source);
    assert.equal(slice(text, e.span), source);
  }
  // `-1` is the negation of a literal, as in HCL.
  assert.equal(show(expr('-1').e), '(-1)');
});

test('quoted strings decode every escape; plain strings are literals', () => {
  const { e, text } = expr('"a\\nb\\tc\\"d\\\\e\\u00e9\\U0001F600\\r"');
  assert.equal(e.kind, 'literal');
  assert.equal(e.kind === 'literal' && e.value, 'a\nb\tc"d\\eé😀\r');
  assert.equal(slice(text, e.span), '"a\\nb\\tc\\"d\\\\e\\u00e9\\U0001F600\\r"');
  assert.deepEqual(expr('"$${not} %%{not} $ % $$"').e.kind === 'literal' && expr('"$${not} %%{not} $ % $$"').e, {
    kind: 'literal',
    value: '${not} %{not} $ % $$',
    span: { start: 4, end: 28 },
  });
  const unicode = expr('"héllo wörld ✓ 😀"');
  assert.equal(unicode.e.kind === 'literal' && unicode.e.value, 'héllo wörld ✓ 😀');
  assert.equal(unicode.e.span.end, unicode.text.length - 1);
});

test('interpolation makes a template of literal parts and expressions, with spans', () => {
  const { e, text } = expr('"pre-${var.name}-${count.index}"');
  assert.equal(show(e), '(tpl "pre-" var.name "-" count.index)');
  assert.ok(e.kind === 'template' && !e.heredoc);
  if (e.kind !== 'template') return;
  assert.deepEqual(
    e.parts.map((p) => slice(text, p.span)),
    ['pre-', 'var.name', '-', 'count.index'],
  );
  assert.equal(slice(text, e.span), '"pre-${var.name}-${count.index}"');
  // Terraform 0.11 style: a template that is one interpolation (the evaluator unwraps it).
  assert.equal(show(expr('"${var.x}"').e), '(tpl var.x)');
  // Escapes in literal parts are decoded; `$${` stays literal.
  assert.equal(show(expr('"a\\"${x}$${y}"').e), '(tpl "a\\"" x "${y}")');
  // A nested template inside an interpolation.
  assert.equal(show(expr('"a${"b${c}"}"').e), '(tpl "a" (tpl "b" c))');
});

test('strip markers trim the whitespace next to them, line breaks included', () => {
  assert.equal(show(expr('"x  ${~ y ~}  z"').e), '(tpl "x" y "z")');
  assert.equal(show(expr('"x  ${~ y}  z"').e), '(tpl "x" y "  z")');
  assert.equal(show(expr('"x  ${y ~}\\n z"').e), '(tpl "x  " y "z")');
  const h = expr('<<EOT\n%{ for v in l ~}\n- ${v}\n%{ endfor ~}\nEOT');
  assert.equal(show(h.e), '(tpl (%for v l ["- " v "\\n"]))');
});

test('template directives nest: if / else / endif and for with one or two variables', () => {
  const { e, text } = expr('"%{ if var.on }yes%{ else }no%{ endif }!"');
  assert.equal(show(e), '(tpl (%if var.on ["yes"] ["no"]) "!")');
  if (e.kind !== 'template' || e.parts[0].kind !== 'templateIf') return assert.fail();
  assert.equal(slice(text, e.parts[0].span), '%{ if var.on }yes%{ else }no%{ endif }');
  assert.equal(slice(text, e.parts[0].cond.span), 'var.on');
  assert.equal(show(expr('"%{for k, v in var.m}${k}=${v};%{endfor}"').e), '(tpl (%for k,v var.m [k "=" v ";"]))');
  assert.equal(show(expr('"%{if a}A%{if b}B%{endif}%{endif}"').e), '(tpl (%if a ["A" (%if b ["B"])]))');
  assert.equal(show(expr('"%{for x in l}%{if x}y%{endif}%{endfor}"').e), '(tpl (%for x l [(%if x ["y"])]))');
});

test('heredocs: plain, indented (<<-), with interpolation, no backslash escapes', () => {
  const plain = expr('<<EOT\nhello\n  world\\n $${x}\nEOT');
  assert.equal(plain.e.kind, 'literal');
  assert.equal(plain.e.kind === 'literal' && plain.e.value, 'hello\n  world\\n ${x}\n');
  assert.equal(slice(plain.text, plain.e.span), '<<EOT\nhello\n  world\\n $${x}\nEOT');

  // `<<-` removes the indentation common to all non-blank lines; the closing marker may be indented.
  const indented = expr('<<-EOT\n    one\n      two\n\n    three\n  EOT');
  assert.equal(indented.e.kind === 'literal' && indented.e.value, 'one\n  two\n\nthree\n');
  const tabs = expr('<<-EOT\n\tone\n\t\ttwo\n\tEOT');
  assert.equal(tabs.e.kind === 'literal' && tabs.e.value, 'one\n\ttwo\n');
  // A line that starts with an interpolation has no indentation, so nothing is removed.
  assert.equal(show(expr('<<-EOT\n${x} at start\n    indented\n  EOT').e), '(tpl x " at start\\n    indented\\n")');

  const interpolated = expr('<<-EOT\n    name: ${var.name}\n    id: ${id}\n    EOT');
  assert.ok(interpolated.e.kind === 'template' && interpolated.e.heredoc);
  assert.equal(show(interpolated.e), '(tpl "name: " var.name "\\nid: " id "\\n")');
  if (interpolated.e.kind !== 'template') return;
  assert.equal(slice(interpolated.text, interpolated.e.parts[1].span), 'var.name');

  // A heredoc can be an argument; the call continues after the closing marker.
  assert.equal(show(expr('f(<<EOT\nx\nEOT\n, 2)').e), 'f("x\\n", 2)');
  assert.equal(ok('a = <<EOT\nEOT\nb = 1\n').body.items.length, 2);
});

// ---- collections ----------------------------------------------------------------------------------------

test('tuples: commas, trailing comma, line breaks, nesting', () => {
  assert.equal(show(expr('[1, "two", true, null]').e), '[1, "two", true, null]');
  assert.equal(show(expr('[\n  1,\n  2,\n]').e), '[1, 2]');
  assert.equal(show(expr('[[], [[1]], {}]').e), '[[], [[1]], {}]');
  const { e, text } = expr('[ a , b ]');
  assert.equal(slice(text, e.span), '[ a , b ]');
});

test('objects: every key form and both separators', () => {
  const { e, text } = expr('{ a = 1, "b" = 2, (var.k) = 3, c: 4, 5 = 6, "${x}" = 7 }');
  assert.equal(show(e), '{"a"=1, "b"=2, (paren var.k)=3, "c"=4, 5=6, (tpl x)=7}');
  if (e.kind !== 'object') return assert.fail();
  assert.deepEqual(
    e.items.map((i) => slice(text, i.key.span)),
    ['a', '"b"', '(var.k)', 'c', '5', '"${x}"'],
  );
  assert.equal(slice(text, e.items[0].span), 'a = 1');
  assert.equal(show(expr('{\n  a = 1\n  b = 2,\n\n  c = [1,\n  2]\n}').e), '{"a"=1, "b"=2, "c"=[1, 2]}');
  assert.equal(show(expr('{a = {b = {}}}').e), '{"a"={"b"={}}}');
});

// ---- traversals, splats, calls -------------------------------------------------------------------------

test('variables, attributes, indexes and the legacy .0 index', () => {
  const { e, text } = expr('data.aws_vpc.main.cidr_block');
  assert.equal(show(e), 'data.aws_vpc.main.cidr_block');
  if (e.kind !== 'getattr') return assert.fail();
  assert.equal(slice(text, e.nameSpan), 'cidr_block');
  assert.equal(slice(text, e.span), 'data.aws_vpc.main.cidr_block');
  assert.equal(show(expr('each.value["k"][0]').e), 'each.value["k"][0]');

  const legacy = expr('aws_subnet.a.0.id');
  assert.equal(show(legacy.e), 'aws_subnet.a[0].id');
  if (legacy.e.kind !== 'getattr' || legacy.e.object.kind !== 'index') return assert.fail();
  assert.deepEqual(legacy.e.object.key, { kind: 'literal', value: 0, span: { start: legacy.text.indexOf('0'), end: legacy.text.indexOf('0') + 1 } });
  assert.equal(slice(legacy.text, legacy.e.object.span), 'aws_subnet.a.0');
  // Names may contain dashes, so this is one variable, not a subtraction (as in HCL).
  assert.equal(show(expr('count.index-1').e), 'count.index-1');
  assert.equal(show(expr('count.index - 1').e), '(count.index - 1)');
  assert.equal(show(expr('ключ.значение').e), 'ключ.значение');
});

test('splats: [*] carries attributes and indexes, .* only attributes', () => {
  const full = expr('aws_instance.web[*].network[0].id');
  assert.equal(show(full.e), '(splat aws_instance.web *.network[0].id)');
  if (full.e.kind !== 'splat') return assert.fail();
  assert.equal(slice(full.text, full.e.span), 'aws_instance.web[*].network[0].id');
  assert.equal(slice(full.text, full.e.source.span), 'aws_instance.web');
  assert.equal(slice(full.text, full.e.each.span), '[*].network[0].id');

  const attrOnly = expr('aws_instance.web.*.network[0]');
  assert.equal(show(attrOnly.e), '(splat aws_instance.web *.network)[0]');
  assert.equal(show(expr('a[*]').e), '(splat a *)');
  assert.equal(show(expr('a.*').e), '(splat a *)');
  assert.equal(show(expr('a[*][0]').e), '(splat a *[0])');
  assert.equal(show(expr('a[*].b[*].c').e), '(splat (splat a *.b) *.c)');
  const item = expr('a[ * ].b');
  if (item.e.kind !== 'splat' || item.e.each.kind !== 'getattr') return assert.fail();
  assert.equal(slice(item.text, item.e.each.object.span), '[ * ]');
});

test('function calls: arguments, trailing comma, expansion, provider functions', () => {
  const { e, text } = expr('merge(var.a, { x = 1 }, )');
  assert.equal(show(e), 'merge(var.a, {"x"=1})');
  if (e.kind !== 'call') return assert.fail();
  assert.equal(slice(text, e.nameSpan), 'merge');
  assert.equal(slice(text, e.span), 'merge(var.a, { x = 1 }, )');
  assert.equal(show(expr('concat(var.lists...)').e), 'concat(var.lists...)');
  assert.equal(show(expr('f()').e), 'f()');
  assert.equal(show(expr('f(\n  1,\n  g(2)\n)').e), 'f(1, g(2))');
  const p = expr('provider::aws::arn_parse(var.arn).account_id');
  assert.equal(show(p.e), 'provider::aws::arn_parse(var.arn).account_id');
  if (p.e.kind !== 'getattr' || p.e.object.kind !== 'call') return assert.fail();
  assert.equal(slice(p.text, p.e.object.nameSpan), 'provider::aws::arn_parse');
});

test('for expressions: tuple and object forms, conditions and grouping', () => {
  assert.equal(show(expr('[for s in var.l : upper(s) if s != ""]').e), '(for s var.l : upper(s) if (s != ""))');
  assert.equal(show(expr('{for k, v in var.m : k => v...}').e), '(for k,v var.m : k => v...)');
  assert.equal(show(expr('{\n  for i, x in l :\n  x.k => x\n  if i > 0\n}').e), '(for i,x l : x.k => x if (i > 0))');
  const { e, text } = expr('[for x in l : x]');
  assert.ok(e.kind === 'for' && !e.object && !e.group);
  assert.equal(slice(text, e.span), '[for x in l : x]');
});

// ---- operators -----------------------------------------------------------------------------------------

test('operators follow HCL precedence and associativity', () => {
  assert.equal(show(expr('a || b && c == d < e + f * g').e), '(a || (b && (c == (d < (e + (f * g))))))');
  assert.equal(show(expr('a * b + c > d != e && f || g').e), '((((((a * b) + c) > d) != e) && f) || g)');
  assert.equal(show(expr('a - b - c').e), '((a - b) - c)');
  assert.equal(show(expr('a / b % c * d').e), '(((a / b) % c) * d)');
  assert.equal(show(expr('-a * b').e), '((-a) * b)');
  assert.equal(show(expr('!a == b').e), '((!a) == b)');
  assert.equal(show(expr('!!x.y').e), '(!(!x.y))');
  assert.equal(show(expr('(a + b) * c').e), '((paren (a + b)) * c)');
  assert.equal(show(expr('a <= b && c >= d').e), '((a <= b) && (c >= d))');
  assert.equal(show(expr('a ? b : c ? d : e').e), '(a ? b : (c ? d : e))');
  assert.equal(show(expr('a == 1 ? "x" : "y"').e), '((a == 1) ? "x" : "y")');
  const { e, text } = expr('x ? [\n1\n] : []');
  assert.equal(slice(text, e.span), 'x ? [\n1\n] : []');
  // Inside parentheses line breaks do not end the expression.
  assert.equal(show(expr('(\n1\n+\n2\n)').e), '(paren (1 + 2))');
});

// ---- line endings, BOM, tabs ---------------------------------------------------------------------------

test('a BOM is skipped and offsets still index the original string', () => {
  const text = '\uFEFF# c\nresource "a" "b" {\n  x = "y"\n}\n';
  const f = ok(text);
  const r = block(f, 'resource', 'a', 'b');
  assert.equal(slice(text, r.typeSpan), 'resource');
  assert.equal(slice(text, attr(r.body, 'x').expr.span), '"y"');
  assert.equal(f.comments[0].span.start, 1);
  assert.equal(ok('\uFEFFa = 1').body.items.length, 1);
});

test('CRLF line endings and tabs', () => {
  const text = 'locals {\r\n\ta = "x"\r\n\tb = [\r\n\t\t1,\r\n\t]\r\n\tc = <<EOT\r\nline\r\nEOT\r\n}\r\n';
  const f = ok(text);
  const locals = block(f, 'locals');
  assert.equal(locals.body.items.length, 3);
  assert.equal(slice(text, attr(locals.body, 'a').span), 'a = "x"');
  assert.equal(show(attr(locals.body, 'b').expr), '[1]');
  // Heredoc text keeps its line endings as written, like HCL.
  const c = attr(locals.body, 'c').expr;
  assert.equal(c.kind === 'literal' && c.value, 'line\r\n');
  assert.equal(slice(text, c.span), '<<EOT\r\nline\r\nEOT');
});

// ---- errors and recovery -------------------------------------------------------------------------------

/** Parses text that must have errors; returns the file and the messages. */
function bad(text: string): { f: HclFile; messages: string[] } {
  const f = parseHcl(text);
  assert.ok(f.errors.length > 0, `expected errors for ${JSON.stringify(text)}`);
  checkSpans(f, text);
  return { f, messages: f.errors.map((e) => e.message) };
}

test('an unclosed block keeps what it holds and says where it was opened', () => {
  const text = 'resource "a" "b" {\n  x = 1\n  ingress {\n    from_port = 443\n';
  const { f, messages } = bad(text);
  const r = block(f, 'resource', 'a', 'b');
  assert.equal(r.closeBrace, -1);
  assert.equal(attr(r.body, 'x').expr.kind, 'literal');
  const ingress = block(r.body, 'ingress');
  assert.equal(ingress.closeBrace, -1);
  assert.equal(show(attr(ingress.body, 'from_port').expr), '443');
  assert.deepEqual(messages, ["Expected '}' to close the block opened at line 3", "Expected '}' to close the block opened at line 1"]);
  assert.equal(f.errors[0].span.start, text.indexOf('{', text.indexOf('ingress')));
  assert.equal(slice(text, r.span), text.slice(0, text.indexOf('443') + 3));
});

test('an unclosed block ends at the next top-level block in column 0', () => {
  const text = 'locals {\n  a = 1\n\nresource "x" "y" {\n  b = 2\n}\n';
  const { f, messages } = bad(text);
  assert.deepEqual(messages, ["Expected '}' to close the block opened at line 1 before the block at line 4"]);
  assert.equal(block(f, 'locals').closeBrace, -1);
  assert.equal(show(attr(block(f, 'resource', 'x', 'y').body, 'b').expr), '2');
  // Inside a check block, a data block in column 0 is nested, not a new top-level block.
  const checked = ok('check "c" {\ndata "http" "h" {\n  url = "x"\n}\n}\n');
  assert.equal(block(block(checked, 'check', 'c').body, 'data', 'http', 'h').body.items.length, 1);
});

test('half-typed input at the end of a file keeps the resources before it', () => {
  const resources = 'resource "aws_vpc" "a" {\n  cidr_block = "10.0.0.0/16"\n}\n\nresource "aws_security_group" "sg" {\n';
  // A bare name is not an item yet; everything else typed so far is.
  const tails: [string, number][] = [
    ['  ingress {', 1],
    ['  from_port = ', 1],
    ['  from_port', 0],
    ['  tags = {', 1],
    ['  x = [1, ', 1],
    ['  y = "abc', 1],
    ['  z = aws_vpc.', 1],
    ['  w = f(', 1],
    ['  dynamic "ingress" { content {', 1],
  ];
  for (const [tail, count] of tails) {
    const { f } = bad(resources + tail);
    assert.equal(f.body.items.length, 2, tail);
    assert.equal(block(f, 'resource', 'aws_vpc', 'a').body.items.length, 1, tail);
    const sg = block(f, 'resource', 'aws_security_group', 'sg');
    assert.equal(sg.closeBrace, -1, tail);
    assert.equal(sg.body.items.length, count, tail);
  }
  const { f, messages } = bad('resource "a" "b" {\n  from_port = ');
  const fp = attr(block(f, 'resource'), 'from_port');
  assert.equal(fp.expr.kind, 'invalid');
  assert.equal(messages[0], "Expected a value after '=' for 'from_port'");
  // Typing a traversal keeps the part before the dot, for completion.
  const dot = bad('a = aws_vpc.\n').f;
  assert.equal(show(attr(dot, 'a').expr), 'aws_vpc.');
});

test('an unterminated string ends at the line, and the next attribute still parses', () => {
  const text = 'a = "abc\nb = 2\n';
  const { f, messages } = bad(text);
  assert.deepEqual(messages, ['Unterminated string: expected a closing \'"\' before the end of the line']);
  assert.equal(slice(text, f.errors[0].span), '"abc');
  assert.equal(show(attr(f, 'a').expr), '"abc"');
  assert.equal(show(attr(f, 'b').expr), '2');
});

test('an unterminated interpolation is reported and the string still closes', () => {
  const text = 'a = "x ${var.y"\nb = 2\n';
  const { f, messages } = bad(text);
  assert.equal(messages[0], "Unterminated template interpolation: expected '}' to close the '${' here");
  assert.equal(slice(text, f.errors[0].span), '${var.y');
  assert.equal(show(attr(f, 'a').expr), '(tpl "x " var.y)');
  assert.equal(show(attr(f, 'b').expr), '2');
  // An interpolation left open at the end of the line does not swallow the lines after it.
  const open = bad('a = "${x\nb = 2\nc = <<EOT\n${f(\nEOT\nd = 1\n').f;
  assert.deepEqual(
    open.body.items.map((i) => (i.kind === 'attribute' ? `${i.name}=${show(i.expr)}` : i.type)),
    ['a=(tpl x)', 'b=2', 'c=(tpl f(EOT) "\\n")', 'd=1'],
  );
  const heredoc = bad('a = <<EOT\nno end\n').messages;
  assert.deepEqual(heredoc, ["Unterminated heredoc: expected a line containing only 'EOT'"]);
});

test('a garbage line between two resources: both resources parse', () => {
  const text = 'resource "a" "one" {\n  x = 1\n}\n\n!!! this is not HCL (at all\n\nresource "a" "two" {\n  y = 2\n}\n';
  const { f, messages } = bad(text);
  assert.equal(messages.length, 1);
  assert.equal(f.errors[0].span.start, text.indexOf('!!!'));
  assert.equal(show(attr(block(f, 'resource', 'a', 'one'), 'x').expr), '1');
  assert.equal(show(attr(block(f, 'resource', 'a', 'two'), 'y').expr), '2');
});

test('errors inside expressions keep the items around them', () => {
  const cases: [string, string, string][] = [
    ['a = [1, 2 3, 4]\nb = 1\n', '[1, 2]', "Expected ',' or ']' after the list item, found '3'"],
    ['a = {x = 1 y = 2}\nb = 1\n', '{"x"=1}', "Expected ',' or a line break between object items, found 'y'"],
    ['a = {\n  x = 1\n  y 2\n  z = 3\n}\nb = 1\n', '{"x"=1, "z"=3}', "Expected '=' after the object key, found '2'"],
    ['a = f(1 2)\nb = 1\n', 'f(1)', "Expected ',' or ')' after the argument to 'f', found '2'"],
    ['a = x ? y\nb = 1\n', '(x ? y : !invalid)', "Expected ':' in the conditional expression, found the end of the line"],
    ['a = 1 +\nb = 1\n', '(1 + !invalid)', "Expected an expression after '+'"],
    ['a = 10.0.0.1\nb = 1\n', '!invalid', "Invalid number literal '10.0.0.1' (an IP address must be a quoted string)"],
    ["a = 'x'\nb = 1\n", '!invalid', 'Single quotes are not valid; use double quotes (") to enclose strings'],
    ['a = "\\q"\nb = 1\n', '"\\\\q"', "Invalid escape sequence '\\q'; use '\\\\' for a literal backslash"],
    ['a = "%{if x}y"\nb = 1\n', '(tpl (%if x ["y"]))', "Expected '%{endif}' to close the '%{if}' directive at line 1"],
    ['a = "%{endif}"\nb = 1\n', '(tpl )', "'%{endif}' without a matching '%{if}'"],
    ['a = [for x in l]\nb = 1\n', '(for x l : !invalid)', "Expected ':' after the collection of the for expression, found ']'"],
  ];
  for (const [text, shape, message] of cases) {
    const { f, messages } = bad(text);
    assert.equal(messages[0], message, text);
    assert.equal(show(attr(f, 'a').expr), shape, text);
    assert.equal(show(attr(f, 'b').expr), '1', text);
  }
});

test('HCL rules on body layout are reported, with the tree kept', () => {
  const cases: [string, string][] = [
    ['a = 1\na = 2\n', "Argument 'a' is already set at line 1; each argument may be set only once"],
    ['a {\n  b = 1}\n', "Missing line break after the argument; put the closing '}' on its own line"],
    ['a { b = 1\n}\n', 'A block whose first argument is on the same line as its "{" must be closed on that line too; put the argument on its own line'],
    ['a { b = 1 c = 2 }\n', "Expected a line break after the value of 'b', found 'c'"],
    ['a { b {} }\n', 'A single-line block cannot contain a nested block; put the nested block on its own line'],
    ['a {} b {}\n', "Expected a line break after the block's closing '}', found 'b'"],
    ['a = 1, b = 2\n', "Unexpected ',' after the argument; arguments are separated by line breaks, not commas"],
    ['}\n', "Unexpected '}': there is no open block to close here"],
    ['resource "a" "b"\n{\n}\n', "The '{' that opens a block must be on the same line as the block type and labels"],
    ['resource "a" "${x}" {}\n', 'A block label must be a plain string; template sequences ("${" or "%{") are not allowed here'],
    ['variable\n', "Expected '=' and a value, or a block, after 'variable'"],
    ['a = $x\n', "Invalid character '$'"],
  ];
  for (const [text, message] of cases) assert.equal(bad(text).messages[0], message, text);
  // The blocks themselves are still there.
  assert.equal(block(bad('a {} b {}\n').f, 'b').closeBrace, 8);
  assert.equal(block(bad('resource "a" "b"\n{\n  x = 1\n}\n').f, 'resource').body.items.length, 1);
  assert.equal(bad('a = 1\na = 2\n').f.body.items.length, 2);
});

test('nesting deeper than the limit is reported once and skipped without recursion', () => {
  const n = 20000;
  const cases = [
    'x = ' + '['.repeat(n) + ']'.repeat(n),
    'x = ' + '{a = '.repeat(n) + '1' + '}'.repeat(n),
    'x = ' + '('.repeat(n) + '1' + ')'.repeat(n),
    'x = ' + '"${'.repeat(n) + 'v' + '}"'.repeat(n),
    'x {\n'.repeat(n) + '}\n'.repeat(n),
    'x = ' + 'a ? b : '.repeat(n) + 'c',
    'x = ' + '!'.repeat(n) + 'a',
    'x = ' + 'a + '.repeat(n) + 'b',
    'x = a' + '.b'.repeat(n),
    'x = a' + '[*].b'.repeat(n),
    'x = "' + '%{if a}'.repeat(n) + '"',
  ];
  for (const c of cases) {
    const text = c + '\nafter = 1\n';
    const f = parseHcl(text);
    assert.ok(f.errors.some((e) => e.message.startsWith('Nesting is too deep')), c.slice(0, 20));
    assert.equal(show(attr(f, 'after').expr), '1', c.slice(0, 20));
    // However long the chain, the tree stays shallow enough for recursive consumers.
    assert.ok(checkSpans(f, text) < 1100, c.slice(0, 20));
  }
});

test('pathological input stays linear (the checkov hcl_timeout case and friends)', () => {
  // The shape of checkov's hcl_timeout/main.tf: a call left open inside an object, then a new block.
  const timeout = 'resource "aws_glue_connection" "example" {\n  name = "example-connection"\n  connection_properties = {\n             startswith(each.value.connection_properties[x], "$${abcded:"\n\n\nvariable "connection_properties" {\n\n}';
  const one = bad(timeout);
  assert.equal(attr(block(one.f, 'resource'), 'name').expr.kind, 'literal');
  assert.equal(block(one.f, 'variable', 'connection_properties').closeBrace, timeout.length - 1);
  const inputs = [
    timeout.repeat(2000),
    'a = "${'.repeat(50000),
    'a = <<EOT\n' + 'x ${y}\n'.repeat(50000),
    '{'.repeat(50000),
    '}'.repeat(50000),
    '"'.repeat(50000),
    '/*'.repeat(50000),
    'x = 1 2\n'.repeat(50000),
    'a = f(\n' + 'resource "x" "y" {}\n'.repeat(10000),
    '[{("${'.repeat(20000),
  ];
  for (const text of inputs) {
    const started = performance.now();
    const f = parseHcl(text);
    const ms = performance.now() - started;
    checkSpans(f, text);
    // Generous: these take milliseconds; a quadratic path would take minutes.
    assert.ok(ms < 3000, `${text.slice(0, 20)}: ${ms} ms`);
  }
});

test('random damage never throws, never hangs and keeps spans consistent', () => {
  const sample = [
    '# sample',
    'resource "aws_vpc_endpoint" "this" {',
    '  vpc_id            = aws_vpc.main.id',
    '  service_name      = "com.amazonaws.${var.region}.s3"',
    '  security_group_ids = [aws_security_group.sg[*].id, local.extra...]',
    '  subnet_ids = [for s in aws_subnet.private : s.id if s.tags["tier"] == "app"]',
    '  policy = <<-EOT',
    '    {"Statement": [%{ for a in var.actions ~}"${a}",%{ endfor ~}]}',
    '    EOT',
    '  tags = merge(var.tags, { Name = "x-${count.index}" /* c */ })',
    '  dynamic "dns_options" {',
    '    for_each = var.dns ? [1] : []',
    '    content { dns_record_ip_type = "ipv4" }',
    '  }',
    '}',
  ].join('\n');
  // A deterministic generator, so that a failure can be replayed.
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = '{}[]()"$%~\\#/*=<>-!?:,.\n \t\'`@a1';
  for (let round = 0; round < 2000; round++) {
    let text = sample;
    const edits = 1 + rand(4);
    for (let k = 0; k < edits; k++) {
      const at = rand(text.length + 1);
      const kind = rand(3);
      if (kind === 0) text = text.slice(0, at) + text.slice(at + 1 + rand(20));
      else if (kind === 1) text = text.slice(0, at) + alphabet[rand(alphabet.length)] + text.slice(at);
      else text = text.slice(0, at);
    }
    const f = parseHcl(text);
    checkSpans(f, text);
  }
});
