import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer, DEFAULT_SETTINGS, LineIndex } from '../../server/src/engine';

/** Input no editor should ever choke on: binary bytes, a BOM, CRLF, tabs, non-ASCII text, huge files. */
function analyze(file: string, text: string) {
  const a = new Analyzer();
  a.setFile(file, text);
  return a.analyze(DEFAULT_SETTINGS);
}

test('binary content in a .tf file gives a parse error, not an exception', () => {
  const bytes = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
  const r = analyze('/ws/blob.tf', `\u0000\u0001${bytes}`);
  assert.ok(r.findings.some((f) => f.ruleId === 'parse-error'));
});

test('binary content in a .json file is not taken for a template', () => {
  const r = analyze('/ws/blob.json', '\u0000\u0001\u0002AWS::garbage\u00ff');
  assert.deepEqual(r.findings, []);
});

test('a BOM, CRLF line ends and tabs keep positions right', () => {
  const text = '\uFEFFresource "aws_security_group" "a" {\r\n\tingress {\r\n\t\tfrom_port = \r\n\t}\r\n}\r\n';
  const r = analyze('/ws/a.tf', text);
  const err = r.findings.find((f) => f.ruleId === 'parse-error');
  assert.ok(err, 'the missing value is a syntax error');
  const pos = new LineIndex(text).position(err.location.span.start);
  assert.equal(pos.line, 2, JSON.stringify(err));
});

test('non-ASCII text: spans are UTF-16 offsets, so LSP positions count surrogate pairs as two', () => {
  const text = 'resource "aws_vpc_endpoint_service" "s" {\n  # 日本語 😀 comment\n  acceptance_required = false\n}\n';
  const r = analyze('/ws/u.tf', text);
  const pl016 = r.findings.find((f) => f.ruleId === 'PL016');
  assert.ok(pl016);
  const pl014 = r.findings.find((f) => f.ruleId === 'PL014')!;
  assert.equal(text.slice(pl014.location.span.start, pl014.location.span.end), 'acceptance_required = false');
  assert.equal(new LineIndex(text).position(pl014.location.span.start).line, 2);
});

test('a very large file is read without a hang', () => {
  const block = (i: number) => `resource "aws_security_group" "g${i}" {\n  ingress {\n    from_port   = ${i % 65535}\n    to_port     = ${i % 65535}\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n`;
  const text = Array.from({ length: 20000 }, (_, i) => block(i)).join('');
  assert.ok(text.length > 3_000_000);
  const r = analyze('/ws/big.tf', text);
  assert.equal(r.resources.length, 20000);
});

test('terraform.tfvars.json sets variables (lists and numbers are values, not blocks)', () => {
  const a = new Analyzer();
  a.setFile('/ws/main.tf', 'variable "ports" {}\nvariable "cidrs" {}\nresource "x_thing" "t" {\n  ports = var.ports\n  cidrs = var.cidrs\n}\n');
  a.setFile('/ws/terraform.tfvars.json', '{ "ports": [443, 8443], "cidrs": ["10.0.0.0/16"] }');
  const r = a.analyze(DEFAULT_SETTINGS);
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'parse-error'), []);
  const t = r.resources.find((x) => x.address === 'x_thing.t')!;
  assert.deepEqual(t.attrs.ports.kind === 'list' && t.attrs.ports.items.map((i) => (i.kind === 'number' ? i.value : null)), [443, 8443]);
});
