/**
 * Keeps docs/rules/ in step with the rule catalog: every rule has a page with the four required sections,
 * the page states the catalog's default severity, quick-fix flag and short name, unimplemented rules say so
 * (and implemented ones do not), no page exists for an unknown id, and the index lists every rule with the
 * catalog's values. Paths are relative to the repository root (tests run from there).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/engine/rules/catalog';

const dir = join(process.cwd(), 'docs', 'rules');
const STATUS_LINE = 'Status: specified; this version does not report it yet.';
const SECTIONS = ['What it finds', 'Why', 'Example', 'Fix'];
const EXTRA_PAGES = new Set(['README.md', 'parse-error.md']);

const read = (name: string) => readFileSync(join(dir, name), 'utf8').replace(/\r\n/g, '\n');

/** The page's summary line: `Default severity: **x** · Quick fix: **yes|no** · Short name: `name``. */
function summary(text: string): { severity?: string; fix?: string; name?: string } {
  const m = /^Default severity: \*\*(\w+)\*\* · Quick fix: \*\*(yes|no)\*\* · Short name: `([a-z0-9-]+)`$/m.exec(text);
  return m ? { severity: m[1], fix: m[2], name: m[3] } : {};
}

/** Level-2 headings, outside fenced code blocks. */
function headings(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    else if (!fenced && line.startsWith('## ')) out.push(line.slice(3).trim());
  }
  return out;
}

describe('rule docs: one page per catalog rule', () => {
  test('the catalog has rules with unique ids', () => {
    assert.ok(RULES.length > 0);
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
  });

  for (const rule of RULES) {
    test(`${rule.id} (${rule.name})`, () => {
      const file = `${rule.id}.md`;
      assert.ok(existsSync(join(dir, file)), `docs/rules/${file} is missing`);
      const text = read(file);
      assert.ok(text.startsWith(`# ${rule.id}:`), `${file} must start with "# ${rule.id}:"`);

      const found = headings(text);
      for (const s of SECTIONS) assert.ok(found.includes(s), `${file} has no "## ${s}" section`);
      const order = SECTIONS.map((s) => found.indexOf(s));
      assert.deepEqual([...order].sort((a, b) => a - b), order, `${file}: sections must come in the order ${SECTIONS.join(', ')}`);

      const head = summary(text);
      assert.equal(head.severity, rule.severity, `${file} states default severity ${head.severity ?? '(none)'}, the catalog says ${rule.severity}`);
      assert.equal(head.fix, rule.fixable ? 'yes' : 'no', `${file}: quick fix flag differs from the catalog`);
      assert.equal(head.name, rule.name, `${file}: short name differs from the catalog`);

      const hasStatus = text.split('\n').some((l) => l.trim() === STATUS_LINE);
      if (rule.implemented) assert.ok(!hasStatus, `${file} has the "not reported yet" status line, but ${rule.id} is implemented`);
      else assert.ok(hasStatus, `${file} lacks the line "${STATUS_LINE}"`);
      // The status line belongs near the top, before the first section.
      if (hasStatus) assert.ok(text.indexOf(STATUS_LINE) < text.indexOf('\n## '), `${file}: the status line must come before the first section`);

      assert.ok(text.includes(`privatelink-lens-ignore ${rule.id}`), `${file} does not say how to silence ${rule.id}`);
    });
  }
});

describe('rule docs: no stray pages, and the index', () => {
  test('every page in docs/rules is a catalog rule, README.md or parse-error.md', () => {
    const ids = new Set(RULES.map((r) => r.id));
    const stray = readdirSync(dir).filter((f) => f.endsWith('.md') && !EXTRA_PAGES.has(f) && !ids.has(f.replace(/\.md$/, '')));
    assert.deepEqual(stray, [], `pages for ids not in the catalog: ${stray.join(', ')}`);
  });

  test('parse-error.md exists and starts with its heading', () => {
    assert.ok(read('parse-error.md').startsWith('# parse-error:'));
  });

  test('README.md lists every rule, linked, with the catalog values', () => {
    const readme = read('README.md');
    const rows = new Map<string, string[]>();
    for (const line of readme.split('\n')) {
      const m = /^\| \[(PL\d{3})\]\(\1\.md\) \|(.*)\|$/.exec(line);
      if (m) rows.set(m[1], m[2].split('|').map((c) => c.trim()));
    }
    for (const rule of RULES) {
      const cells = rows.get(rule.id);
      assert.ok(cells, `README.md does not list ${rule.id} as a linked table row`);
      // Title | Short name | Severity | Fix | Implemented
      assert.equal(cells[1], `\`${rule.name}\``, `README.md: short name of ${rule.id}`);
      assert.equal(cells[2], rule.severity, `README.md: severity of ${rule.id}`);
      assert.equal(cells[3], rule.fixable ? 'yes' : 'no', `README.md: fix column of ${rule.id}`);
      assert.equal(cells[4], rule.implemented ? 'yes' : 'no', `README.md: implemented column of ${rule.id}`);
      const title = /^# PL\d{3}: (.*)$/m.exec(read(`${rule.id}.md`))?.[1];
      assert.equal(cells[0], title, `README.md: title of ${rule.id} differs from its page`);
    }
    assert.equal(rows.size, RULES.length, 'README.md lists rules that are not in the catalog');
  });
});

test('every rule the catalog calls implemented has a check registered, and no check is missing from the catalog', async () => {
  const { RULE_CHECKS } = await import('../../server/src/engine/rules');
  const { RULES } = await import('../../server/src/engine/rules/catalog');
  const registered = RULE_CHECKS.map((r) => r.id).sort();
  const implemented = RULES.filter((r) => r.implemented).map((r) => r.id).sort();
  assert.deepEqual(registered, implemented);
});

test('every rule has a one-sentence why for the hover', () => {
  for (const r of RULES) assert.match(r.why, /^[A-Z].{30,}\.$/, `${r.id} why: ${r.why}`);
});
