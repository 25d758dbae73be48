// The reference-oracle test: for every .tf file of the shared corpus, our parser must read what
// HashiCorp's own HCL parser reads, as seen through @cdktf/hcl2json (HCL 2.17 compiled to WASM).
//
// Rather than spot-checking, the test renders our tree into exactly the JSON that hcl2json produces and
// compares the whole document. That rendering follows hcl2json's converter (tmccombs/hcl2json as forked
// by cdktf), rule by rule:
//   - a block becomes `{type: {label1: {label2: [body, ...]}}}`; blocks with the same type and labels
//     append to the array; attributes are written after blocks, so an attribute wins over a block of the
//     same name;
//   - a literal (number, bool, null, a string without interpolation, a heredoc without interpolation) is
//     its JSON value; `-1` and `!true` (a unary operator on a literal) are evaluated;
//   - a tuple or an object is converted item by item (keys: a bare name or traversal as written, a
//     quoted key by its value, anything else as "${source}");
//   - a template is the concatenation of its parts: literal text as decoded, interpolations as
//     "${source}", directives rebuilt as "%{if cond}...%{else}...%{endif}" / "%{for ...}...%{endfor}";
//     an interpolated `${a ? b : c}` next to text is rendered as an if directive (hcl2json converts
//     every ConditionalExpr part that way); a template that is a single interpolation is its expression;
//   - any other expression is "${" + its exact source text + "}", so every expression's span is checked
//     against the source too;
//   - string values keep the template escapes: the cdktf fork writes a literal `${` as `$${` and `%{` as
//     `%%{`, so the rendering re-escapes them.
// Files hcl2json rejects must give us at least one syntax error, unless the rejection is not about
// syntax (its message does not start with "parse config"); those are counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse as hcl2json } from '@cdktf/hcl2json';
import { parseHcl, parseTfJson } from '../../server/src/engine/parse/terraform';
import type { Body, Expr, HclFile, TemplateExpr } from '../../server/src/engine/parse/terraform';

/** The repository root: the nearest folder above this (compiled) test that holds package.json. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && resolve(dir, '..') !== dir) dir = resolve(dir, '..');
  return existsSync(join(dir, 'package.json')) ? dir : process.cwd();
}

const CORPUS = resolve(repoRoot(), '..', 'shared', 'corpus');

/**
 * Files where hcl2json and HCL genuinely disagree in a way the rendering cannot reproduce, with the
 * reason. Empty: every difference found so far was ours to fix.
 */
const ALLOWED_MISMATCHES: Record<string, string> = {};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === '.git' || name === 'node_modules') continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (st.isFile()) out.push(p);
  }
  return out;
}

/**
 * The JSON value of an expression that needs no evaluation context: a literal, a unary operator on a
 * number or bool literal, or a tuple/object made only of those. Undefined for anything else.
 */
function literalValue(e: Expr): { value: Json } | undefined {
  switch (e.kind) {
    case 'literal':
      return { value: e.value };
    case 'unary': {
      if (e.operand.kind !== 'literal') return undefined;
      const v = e.operand.value;
      if (e.op === '-' && typeof v === 'number') return { value: -v };
      if (e.op === '!' && typeof v === 'boolean') return { value: !v };
      return undefined;
    }
    case 'tuple': {
      const out: Json[] = [];
      for (const item of e.items) {
        const v = literalValue(item);
        if (!v) return undefined;
        out.push(v.value);
      }
      return { value: out };
    }
    case 'object': {
      const out: { [key: string]: Json } = {};
      for (const item of e.items) {
        const k = literalValue(item.key);
        const v = literalValue(item.value);
        if (!k || !v || (typeof k.value !== 'string' && typeof k.value !== 'number')) return undefined;
        out[String(k.value)] = v.value;
      }
      return { value: out };
    }
    default:
      return undefined;
  }
}

/** Renders one file's tree the way hcl2json converts the same source. */
class Hcl2JsonRenderer {
  literalAttributes = 0;
  expressionAttributes = 0;

  constructor(private readonly text: string) {}

  /** hcl2json's rangeSource, including its habit of taking a `)` that directly follows the range. */
  private source(e: Expr): string {
    let end = e.span.end;
    if (this.text.charCodeAt(end) === 41) end++;
    return this.text.slice(e.span.start, end);
  }

  private wrap(e: Expr): string {
    return '${' + this.source(e) + '}';
  }

  private escape(s: string): string {
    return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  }

  body(body: Body): { [key: string]: Json } {
    const out: { [key: string]: Json } = {};
    for (const item of body.items) {
      if (item.kind !== 'block') continue;
      let key = item.type;
      let target = out;
      for (const label of item.labels) {
        if (key in target) {
          const next = target[key];
          if (next === null || typeof next !== 'object' || Array.isArray(next)) throw new Error(`Unable to convert Block to JSON: ${item.type}`);
          target = next;
        } else {
          const next: { [key: string]: Json } = {};
          target[key] = next;
          target = next;
        }
        key = label.value;
      }
      const value = this.body(item.body);
      const current = target[key];
      if (current === undefined) target[key] = [value];
      else if (Array.isArray(current)) current.push(value);
      else throw new Error(`Unable to convert Block to JSON: ${item.type}`);
    }
    for (const item of body.items) {
      if (item.kind !== 'attribute') continue;
      if (literalValue(item.expr)) this.literalAttributes++;
      else this.expressionAttributes++;
      out[item.name] = this.expression(item.expr);
    }
    return out;
  }

  expression(e: Expr): Json {
    switch (e.kind) {
      case 'literal':
        return typeof e.value === 'string' ? this.escape(e.value) : e.value;
      case 'unary': {
        const v = literalValue(e);
        if (e.operand.kind === 'literal' && typeof e.operand.value !== 'string') {
          if (!v) throw new Error(`hcl2json cannot evaluate ${this.source(e)}`);
          return v.value;
        }
        return this.wrap(e);
      }
      case 'template':
        return this.template(e);
      case 'tuple':
        return e.items.map((item) => this.expression(item));
      case 'object': {
        const out: { [key: string]: Json } = {};
        for (const item of e.items) out[this.key(item.key)] = this.expression(item.value);
        return out;
      }
      default:
        return this.wrap(e);
    }
  }

  /** Whether a template part is an interpolation (as opposed to literal text between them). */
  private isInterpolation(part: Expr): boolean {
    if (part.kind !== 'literal') return part.kind !== 'templateIf' && part.kind !== 'templateFor';
    // Literal text follows the template's start or a `}`; an interpolated literal follows `${`.
    let q = part.span.start - 1;
    while (q >= 0 && /\s/.test(this.text[q])) q--;
    if (this.text[q] === '~') q--;
    return this.text[q] === '{' && (this.text[q - 1] === '$' || this.text[q - 1] === '%');
  }

  private template(t: TemplateExpr): Json {
    if (t.parts.length === 1 && this.isInterpolation(t.parts[0])) return this.expression(t.parts[0]);
    return this.parts(t.parts);
  }

  private parts(parts: Expr[]): string {
    let s = '';
    for (const p of parts) s += this.stringPart(p, !this.isInterpolation(p));
    return s;
  }

  private stringPart(p: Expr, text: boolean): string {
    switch (p.kind) {
      case 'literal':
        if (text || typeof p.value === 'string') return this.escape(String(p.value));
        return String(p.value);
      case 'template': {
        const v = this.template(p);
        return typeof v === 'string' ? v : JSON.stringify(v);
      }
      case 'conditional': {
        const then = this.stringPart(p.then, false);
        const otherwise = this.stringPart(p.else, false);
        return `%{if ${this.source(p.cond)}}${then}${otherwise.length > 0 ? `%{else}${otherwise}` : ''}%{endif}`;
      }
      case 'templateIf': {
        const then = this.parts(p.then);
        const otherwise = p.else ? this.parts(p.else) : '';
        return `%{if ${this.source(p.cond)}}${then}${otherwise.length > 0 ? `%{else}${otherwise}` : ''}%{endif}`;
      }
      case 'templateFor':
        return `%{for ${p.keyVar !== undefined ? `${p.keyVar}, ` : ''}${p.valueVar} in ${this.source(p.collection)}}${this.parts(p.body)}%{endfor}`;
      default:
        return this.wrap(p);
    }
  }

  private key(k: Expr): string {
    if (k.kind === 'literal') return String(k.value);
    if (this.isTraversal(k)) return this.source(k);
    return this.stringPart(k, false);
  }

  /** HCL folds a name followed by `.attr`, `[literal]` and `.0` steps into one traversal. */
  private isTraversal(e: Expr): boolean {
    for (;;) {
      if (e.kind === 'variable') return true;
      if (e.kind === 'getattr') e = e.object;
      else if (e.kind === 'index' && e.key.kind === 'literal') e = e.object;
      else return false;
    }
  }
}

/** The first place where two JSON values differ, as a path, or undefined when they are equal. */
function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b)) ? undefined : `${path}: ${a} != ${b}`;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return a === b ? undefined : `${path}: ${JSON.stringify(a)?.slice(0, 200)} != ${JSON.stringify(b)?.slice(0, 200)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items != ${b.length} items`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of [...keys].sort()) {
    if (!(k in ao)) return `${path}.${k}: missing in ours`;
    if (!(k in bo)) return `${path}.${k}: missing in hcl2json`;
    const d = firstDifference(ao[k], bo[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/**
 * Small sources that exercise what the corpus barely has (template directives, strip markers, `<<-`
 * heredocs, escapes, splats, provider-less edge cases). hcl2json must accept each and read it as we do.
 */
const ORACLE_ACCEPT: string[] = [
  'a = "x\\ty\\\\z\\"q\\u00e9\\U0001F600"\n',
  'a = "$${x} and %%{y} and $$ and %%"\n',
  'a = "pre ${var.x} mid $${lit} post"\n',
  'a = "x ${~ var.y ~} z"\n',
  'a = "%{ if var.a ~} yes %{~ else ~} no %{~ endif ~}"\n',
  'a = "%{if var.a}A%{if var.b}B%{endif}%{endif}"\n',
  'a = "%{for k, v in var.m}${k}=${v};%{endfor}"\n',
  'a = "%{for v in var.l ~}\\n${v}\\n%{~ endfor}"\n',
  'a = "${var.c ? "y" : "n"}-x"\n',
  'a = "x${var.c ? var.y : ""}"\n',
  'a = "${1}"\n',
  'a = "a${1}b${true}"\n',
  'a = "${"s"}"\n',
  'a = "a${"b${c}"}"\n',
  'a = <<EOT\nhello ${name}\n  world $${x}\nEOT\n',
  'a = <<-EOT\n    one\n      two ${x}\n\n    three\n  EOT\n',
  'a = <<-EOT\n\tone\n\t\ttwo\n\tEOT\n',
  'a = <<-EOT\n  ${x} at start\n    indented\n  EOT\n',
  'a = <<EOT\n%{ for x in l ~}\n- ${x}\n%{ endfor ~}\nEOT\n',
  'a = <<-EOT\n    {\n      "k": "${v}"\n    }\nEOT\n',
  'a = [<<EOT\nx\nEOT\n, 2]\n',
  'a = aws_instance.web[*].id\nb = aws_instance.web.*.id\nc = a.*.b[0]\nd = a[*].b[0].c\ne = a[*].b[*].c\nf = a.0.b\ng = a[0][1]\nh = a["k"].b\n',
  'a = x ? y : z ? w : v\nb = !a && b || c == d != e\nc = 1 + 2 * 3 - 4 / 5 % 6\nd = -x * 2\ne = (a + b) * c\nf = a < b && c >= d\n',
  'a = [for s in var.l : upper(s) if s != ""]\nb = {for k, v in var.m : k => v...}\nc = {for i, x in l : x.k => x if i > 0}\n',
  'a = { k = 1, "q" = 2, (var.x) = 3, r: 4, 5 = 6, a.b = 7 }\nb = {\n  x = 1\n  y = 2,\n  z = [1,\n2]\n}\n',
  'a = merge(var.a, { x = 1 })\nb = concat(var.l...)\nc = f(\n  1,\n  2,\n)\nd = f()\n',
  'a = -1\nb = !true\nc = 1e3\nd = 0.5\ne = 1.5e-3\nf = 10000000000000000000000\ng = -x\nh = - 2.5\n',
  '# top\n// also\n/* block\n comment */\nresource "a" "b" { # trailing\n  x = 1 // c\n  /* inline */ y = 2\n}\n',
  'resource "a" "b" { x = 1 }\nresource "a" "c" {}\nb { c = 1 }\nb { c = 2 }\nd "l1" "l2" { e = 1 }\nd "l1" "l3" {}\n',
  'resource "aws_security_group" "x" {\n  dynamic "ingress" {\n    for_each = var.rules\n    content {\n      from_port = ingress.value.from\n    }\n  }\n  ingress {\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n',
  'locals {\r\n  a = "x"\r\n  b = <<EOT\r\nline\r\nEOT\r\n}\r\n',
  'locals {\n  naïve = "héllo wörld ✓"\n  emoji = "😀 ${x}"\n  ключ = 1\n}\n',
  'a = "\\u00e9${x}"\nb = "tab\\there"\n',
  'module "m" {\n  source = "./m"\n  providers = {\n    aws = aws.east\n  }\n}\n',
  'a = "${var.x}"\nb = "${var.x}${var.y}"\nc = "${ var.x }"\n',
  'variable "v" {\n  type = object({\n    a = string\n    b = optional(list(number), [])\n  })\n}\n',
  'a = x.y.z\nb = x[0].y\nc = data.aws_vpc.main.cidr_block\nd = each.value["k"]\ne = count.index-1\n',
  'a = <<EOT\n  $${x} ${y}\nEOT\n',
  'a = "%{if x}${y}%{endif}"\n',
  'a = "${x}%{ if c }!%{ endif }"\n',
  'a = tomap({\n  "a" = 1\n})\n',
  'a = [\n  # comment in list\n  1, # after\n  2\n]\n',
  'a = {\n  # comment in object\n  b = 1 # after\n}\n',
  'a = {}\nb = []\nc = [{}]\nd = {a = {}}\n',
  'a = "\\\\${x}"\n',
  'a = x[*]\nb = x.*\nc = x[*][0]\n',
  'block {\n}\n\nother "x" {\n  nested {\n    deep {\n      v = 1\n    }\n  }\n}\n',
  'a = "${x}"   # comment\n',
  'a = (((1)))\nb = ((x))\n',
  'a = <<EOT\nEOT\nb = <<-EOT\n  EOT\n',
  'a = <<EOT\n${x}\nEOT\n',
  'a = "%{for x in l}${x}%{endfor}"\nb = "%{for x in l}%{if x}y%{endif}%{endfor}"\n',
  'a = "${x}${y}"\n',
  'a = 1 # no final newline',
  'a = "${x /* c */}"\n',
  'a = "${\nx\n}"\n',
  'a = x[*].y[*]\n',
  'a { b = { c = 1 } }\n',
  'a = [for k, v in m : {k = v}]\n',
  'a = {for k in l : k => [for x in k : x]}\n',
  'my-attr = 1\nb = b-c\nc = 1 - 2\nd = !!x\ne = -(-1)\nf = "a" == "b" ? 1 : 2\n',
  'a = <<-EOT\n    a\n  \n    b\nEOT\n',
  'a = f(<<EOT\nx\nEOT\n)\n',
  'a = jsonencode({\n  a = 1\n  b = [\n    {c = 2},\n  ]\n})\n',
  'a b c {}\n',
  '',
  '# only a comment\n',
  '\n\n\n',
  'a = {a = 1,}\nb = {a = 1,\n}\nc = {"a": 1}\n',
  'a = (\n1\n+\n2\n)\n',
  'a = x ? [\n1\n] : []\n',
  '\ta = 1\n\tb {\n\t\tc = 2\n\t}\n',
  'a = 1.0\nb = 1.10\nc = 0\nd = 007\n',
  'a = "${x ~}"\n',
  'a = "${~x}"\n',
  'a = [\n  for x in l:\n  x\n]\n',
  'a = x.y[0].z[*].w\n',
  'a = "${x}" == "${y}"\n',
  'a = <<-EOT\n    $${not} ${interp}\n    %%{not}\n    EOT\n',
  'a = <<EOT\n\nEOT\n',
  'resource "aws_instance" "web" {\n  count = 2\n  tags = {\n    Name = "web-${count.index}"\n  }\n}\n',
  'a = "${x}"\n\n\n# end',
  'a = 1\n# c\n\n',
  'a = try(var.x, null)\nb = can(regex("^a", var.y))\n',
  'a = x.0\nb = x.10.y\n',
  'a = {\n  "key with spaces" = 1\n  "${x}" = 2\n}\n',
  'a = ["a", "b",\n  "c"]\n',
  'a = "${x.y[*].z}"\n',
  'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = ">= 5.0"\n    }\n  }\n}\n',
  'a = "%{ for i, x in l }${i}:${x}%{ if i < 2 }, %{ endif }%{ endfor }"\n',
  'a = <<EOT\n  %{~ if x ~}\n  yes\n  %{~ endif ~}\nEOT\n',
  'a = "a\\nb"\n',
  'a = "x" # "quoted in comment ${}"\n',
  'a = 5 % 3\nb = 1 / 2\nc = a <= b\nd = a > b\n',
  'a = {\n  b = 1\n\n\n  c = 2\n}\n',
  'a = [ { b = 1 }, { c = 2 } ]\n',
  'a = {b = {c = {d = 1}}}\n',
  'a = "${x}${y}${z}"\n',
];

/** Sources HCL rejects: hcl2json must reject each, and we must report at least one error. */
const ORACLE_REJECT: string[] = [
  'resource "a" "b" {\n  x = 1\n',
  'a = "unterminated\nb = 2\n',
  'a = \nb = 2\n',
  'resource "a" "b" {\n  x = 1\n}\ngarbage here !\nresource "c" "d" {\n}\n',
  'a = "${x"\n',
  'a = "${x\n',
  'a = 10.0.0.1\n',
  'a = "\\q"\n',
  'a { b = 1\n}\n',
  'a { b = 1 c = 2 }\n',
  'a { b {} }\n',
  'a {\n  b = 1}\n',
  'a = 1\na = 2\n',
  'a = 1, b = 2\n',
  'a = [1 2]\n',
  'a = {b = 1 c = 2}\n',
  'a = f(1 2)\n',
  'a = "${a}%{endif}"\n',
  'a = "%{if a}x"\n',
  'a = <<EOT\nnever closed\n',
  'a = x ? y\n',
  'a = x.\n',
  'a = $x\n',
  "a = 'single'\n",
  'a = {\n  b = 1 +\n  2\n}\n',
  'a = x ||\n  y\n',
  'variable\n  name = 1\n}\n',
  'resource "a" "b"\n{\n}\n',
  'a {} b {}\n',
  'a = [for x in y]\n',
  'a = {for x in y : x}\n',
  'a = x.0.1\n',
  'a = /* unterminated\n',
  'a = "x" "y"\n',
  'a = 1 +\n',
  'a = "%{bogus}"\n',
  'a = f(x...,y)\n',
  '}\n',
  'resource "a" "${b}" {}\n',
  'a = <<EOT  \nx\nEOT  \n',
  'a = "${}"\n',
  'a = "%{}"\n',
  'a = "%{endfor}"\n',
  'a = "%{else}"\n',
  'a = "a',
  'a = <<EOT',
  'a = {',
  'a = [',
  'a = f(',
  'a = x[',
  'a = (1',
  'resource "a" {',
  'resource',
  'a = ~x\n',
  'a == 1\n',
  '"a" = 1\n',
  'a = 1 = 2\n',
  'a = {a = 1\n, b = 2}\n',
  'a = [for x in y : x if]\n',
  'locals {\n  a = 1\nresource "x" "y" {}\n',
  'a = "x\\u12"\n',
  'a = "\\U0011FFFF"\n',
  'a = x.*.y[*\n',
  'a = 1\n  b\n',
  'a = f(x y)\n',
  'a { b = 1, }\n',
  'a = [1,,2]\n',
  'a = {,}\n',
  'a = f(,)\n',
  'a = x[]\n',
  'a = (\n)\n',
  'a = x.*.\n',
  'a = {for k, v in m : k}\n',
  'a = [for k v in m : k]\n',
  'a = "%{for x}${x}%{endfor}"\n',
  'a = "${x}%{endfor}"\n',
  'a = "%{if x}a%{else}b%{else}c%{endif}"\n',
  'a = "%{if x}a%{endfor}"\n',
  'a = @\n',
  'a = 1 & 2\n',
  'a = 1 | 2\n',
  'a = "\n"\n',
];

test('inline fixtures read the same as with hcl2json, and HCL syntax errors are ours too', async () => {
  const problems: string[] = [];
  for (const text of ORACLE_ACCEPT) {
    const ours = parseHcl(text);
    let theirs: unknown;
    try {
      theirs = await hcl2json('fixture.tf', text);
    } catch (e) {
      problems.push(`hcl2json rejects ${JSON.stringify(text)}: ${String(e).slice(0, 200)}`);
      continue;
    }
    if (ours.errors.length > 0) {
      problems.push(`we report "${ours.errors[0].message}" for ${JSON.stringify(text)}`);
      continue;
    }
    const d = firstDifference(new Hcl2JsonRenderer(text).body(ours.body), theirs);
    if (d) problems.push(`${JSON.stringify(text)}: ${d}`);
  }
  for (const text of ORACLE_REJECT) {
    let accepted = true;
    try {
      await hcl2json('fixture.tf', text);
    } catch {
      accepted = false;
    }
    if (accepted) problems.push(`hcl2json accepts ${JSON.stringify(text)}`);
    if (parseHcl(text).errors.length === 0) problems.push(`we report no error for ${JSON.stringify(text)}`);
  }
  assert.deepEqual(problems, []);
});

const corpusPresent = existsSync(CORPUS);

test('every corpus .tf file reads the same as with hcl2json', { timeout: 600_000 }, async (t) => {
  if (!corpusPresent) {
    const reason = `corpus not found at ${CORPUS}; the hcl2json oracle comparison was not run`;
    console.log(reason);
    t.skip(reason);
    return;
  }
  const files = walk(CORPUS).filter((f) => f.endsWith('.tf'));
  let compared = 0;
  let literalAttributes = 0;
  let expressionAttributes = 0;
  let rejectedSyntax = 0;
  let rejectedOther = 0;
  const mismatches: string[] = [];
  const allowed: string[] = [];
  for (const file of files) {
    const rel = relative(CORPUS, file);
    const text = readFileSync(file, 'utf8');
    const ours = parseHcl(text);
    let theirs: unknown;
    try {
      theirs = await hcl2json(file, text);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message.startsWith('parse config')) {
        rejectedSyntax++;
        if (ours.errors.length === 0) mismatches.push(`${rel}: hcl2json rejects it (${message.slice(0, 200)}) but we report no syntax error`);
      } else {
        rejectedOther++;
      }
      continue;
    }
    compared++;
    let problem: string | undefined;
    if (ours.errors.length > 0) {
      const e = ours.errors[0];
      problem = `we report "${e.message}" at ${e.span.start} (${JSON.stringify(text.slice(e.span.start, e.span.end + 20))}) in a file hcl2json accepts`;
    } else {
      const renderer = new Hcl2JsonRenderer(text);
      try {
        problem = firstDifference(renderer.body(ours.body), theirs);
      } catch (e) {
        problem = `rendering failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      literalAttributes += renderer.literalAttributes;
      expressionAttributes += renderer.expressionAttributes;
    }
    if (problem) {
      if (ALLOWED_MISMATCHES[rel]) allowed.push(rel);
      else mismatches.push(`${rel}: ${problem}`);
    }
  }
  console.log(
    `hcl2json oracle: ${files.length} .tf files, ${compared} compared (${literalAttributes} literal and ${expressionAttributes} expression attributes), ` +
      `${rejectedSyntax} rejected by hcl2json for syntax (all with our errors unless listed below), ${rejectedOther} rejected for other reasons, ` +
      `${allowed.length} allowed mismatches, ${mismatches.length} mismatches`,
  );
  for (const m of mismatches.slice(0, 50)) console.log(`  mismatch: ${m}`);
  assert.equal(mismatches.length, 0, `${mismatches.length} files differ from hcl2json; first: ${mismatches[0]}`);
});

test('every corpus Terraform file parses without throwing, each in under a second', (t) => {
  if (!corpusPresent) {
    const reason = `corpus not found at ${CORPUS}; the corpus parse test was not run`;
    console.log(reason);
    t.skip(reason);
    return;
  }
  const files = walk(CORPUS).filter((f) => /\.(tf|tfvars|tf\.json|tfvars\.json)$/.test(f));
  let slowest = 0;
  let slowestFile = '';
  let bytes = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    bytes += text.length;
    const started = performance.now();
    let result: HclFile;
    if (file.endsWith('.json')) result = parseTfJson(text, { tfvars: file.endsWith('.tfvars.json') });
    else result = parseHcl(text);
    const ms = performance.now() - started;
    if (ms > slowest) {
      slowest = ms;
      slowestFile = relative(CORPUS, file);
    }
    assert.ok(Array.isArray(result.body.items) && Array.isArray(result.errors), file);
    assert.ok(ms < 1000, `${file} took ${ms.toFixed(0)} ms`);
  }
  console.log(`corpus parse: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; slowest ${slowest.toFixed(1)} ms (${slowestFile})`);
});
