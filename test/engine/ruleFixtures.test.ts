import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RULES } from '../../server/src/engine/rules/catalog';
import { analyzeFiles, applyEdits } from './helpers';
import type { Finding } from '../../server/src/engine';

/**
 * Rule fixtures with the expected findings written inline, under the offending span:
 *
 *   resource "aws_security_group" "endpoint" {
 *   #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ PL002
 *
 * A caret line (`#` or `//`, then carets, then the rule id and optionally the severity) marks the columns
 * of the finding on the nearest line above it that is not itself a caret line. Each rule has a folder
 * test/fixtures/rules/<ID>/ of cases: a file is a one-file workspace, a folder a workspace of its files.
 * Case names starting with `neg` must give no finding of the rule. For the rule under test, the findings
 * must equal the expectations exactly; and every fix of every finding, applied, must remove that finding
 * without a syntax error or a new error finding.
 */
const ROOT = resolve('test/fixtures/rules');
const CARET = /^(\s*)(?:#|\/\/)\s*(\^+)\s+(PL\d{3}|parse-error)(?:\s+(error|warning|info))?\s*$/;

interface Expected {
  file: string;
  line: number;
  start: number;
  end: number;
  severity?: string;
}

function readCase(path: string): Record<string, string> {
  const files: Record<string, string> = {};
  const add = (p: string) => {
    // Fixtures are named like workspace files; the analyzer sees them under a stable absolute root.
    files[`/fixtures/${p.slice(ROOT.length + 1)}`] = readFileSync(p, 'utf8');
  };
  if (statSync(path).isDirectory()) {
    const walk = (d: string) => {
      for (const n of readdirSync(d).sort()) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else add(p);
      }
    };
    walk(path);
  } else add(path);
  return files;
}

function expectations(files: Record<string, string>, ruleId: string): Expected[] {
  const out: Expected[] = [];
  for (const [file, text] of Object.entries(files)) {
    const lines = text.split('\n');
    let target = -1;
    lines.forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      const m = CARET.exec(line);
      if (!m) {
        target = i;
        return;
      }
      if (m[3] !== ruleId || target < 0) return;
      const start = line.indexOf('^');
      out.push({ file, line: target, start, end: start + m[2].length, severity: m[4] });
    });
  }
  return out;
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

function actual(files: Record<string, string>, f: Finding): Expected {
  const text = files[f.location.file];
  const s = position(text, f.location.span.start);
  const e = position(text, f.location.span.end);
  // A span that runs past its first line is marked up to the end of that line's text.
  const end = e.line === s.line ? e.character : text.split('\n')[s.line].replace(/\r$/, '').trimEnd().length;
  return { file: f.location.file, line: s.line, start: s.character, end, severity: f.severity };
}

const key = (x: Expected) => `${x.file}:${x.line + 1}:${x.start}-${x.end}`;

const rules = RULES.filter((r) => r.implemented);
for (const rule of rules) {
  const dir = join(ROOT, rule.id);
  test(`${rule.id} fixtures`, async (t) => {
    assert.ok(existsSync(dir), `${rule.id} is implemented but has no fixtures in test/fixtures/rules/${rule.id}/`);
    const cases = readdirSync(dir).sort();
    assert.ok(cases.some((c) => c.startsWith('pos')), `${rule.id} has no positive case`);
    assert.ok(cases.some((c) => c.startsWith('neg')), `${rule.id} has no negative case`);
    for (const c of cases) {
      await t.test(c, () => {
        const files = readCase(join(dir, c));
        const want = expectations(files, rule.id);
        if (c.startsWith('neg')) assert.equal(want.length, 0, 'a negative case has no expectations');
        else assert.ok(want.length > 0, 'a positive case marks at least one finding');
        const r = analyzeFiles(files);
        const found = r.findings.filter((f) => f.ruleId === rule.id);
        assert.deepEqual(
          found.map((f) => key(actual(files, f))).sort(),
          want.map(key).sort(),
          `findings of ${rule.id}:\n${found.map((f) => `  ${key(actual(files, f))} ${f.message}`).join('\n')}`,
        );
        for (const w of want) {
          if (!w.severity) continue;
          const f = found.find((x) => key(actual(files, x)) === key(w))!;
          assert.equal(f.severity, w.severity, `severity at ${key(w)}`);
        }
        assert.deepEqual(r.findings.filter((f) => f.ruleId === 'parse-error').map((f) => f.message), [], 'fixtures parse');
        const errorsBefore = new Set(r.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}|${f.message}`));
        for (const f of found) {
          for (const fix of f.fixes) {
            const fixed = applyEdits(files, fix.edits);
            const again = analyzeFiles(fixed);
            assert.deepEqual(again.findings.filter((x) => x.ruleId === 'parse-error').map((x) => x.message), [], `"${fix.title}" leaves valid syntax:\n${fix.edits.map((e) => e.newText).join('\n---\n')}`);
            assert.ok(!again.findings.some((x) => x.ruleId === f.ruleId && x.message === f.message), `"${fix.title}" removes the finding "${f.message}"`);
            const newErrors = again.findings.filter((x) => x.severity === 'error' && !errorsBefore.has(`${x.ruleId}|${x.message}`));
            assert.deepEqual(newErrors.map((x) => `${x.ruleId} ${x.message}`), [], `"${fix.title}" adds no error`);
          }
        }
      });
    }
  });
}
