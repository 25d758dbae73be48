/**
 * Checks that the extension manifest, the client, the grammar and the packaging agree with each other:
 * the mistakes here (a command nobody handles, a setting the server never reads, a grammar rule that
 * includes a key that does not exist) fail silently inside VS Code, so they are caught here instead.
 *
 * The grammar is also run through a small TextMate tokenizer written below. VS Code uses vscode-textmate
 * with Oniguruma; this one uses JavaScript regexes, which is a fair stand-in only because another test
 * here keeps the grammar inside the syntax both engines read the same way.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DEFAULT_SETTINGS } from '../../server/src/engine/settings';
import { PathsRequest, ServerCommands, StatusNotification, CONFIGURATION_SECTION } from '../../server/src/shared/protocol';
import { RestartPolicy } from '../../client/src/restartPolicy';

const root = process.cwd();
const read = (f: string) => readFileSync(join(root, f), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the manifest is untyped JSON; each test checks the shape it uses
const pkg: any = JSON.parse(read('package.json'));
const contributes = pkg.contributes;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(root, dir))) {
    const p = join(dir, name);
    if (statSync(join(root, p)).isDirectory()) sourceFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}
const clientSource = sourceFiles('client/src').map(read).join('\n');

describe('manifest: commands and menus', () => {
  const ids: string[] = contributes.commands.map((c: { command: string }) => c.command);

  test('every command has a title and the PrivateLink Lens category', () => {
    assert.ok(ids.includes('privatelinkLens.showPath') && ids.includes('privatelinkLens.reanalyze'));
    for (const c of contributes.commands) {
      assert.ok(typeof c.title === 'string' && c.title.length > 0, `${c.command} has no title`);
      assert.equal(c.category, 'PrivateLink Lens', `${c.command} category`);
    }
  });

  test('every contributed command is registered by the client', () => {
    for (const id of ids) assert.ok(clientSource.includes(`registerCommand('${id}'`), `client/src never registers ${id}`);
  });

  test('menus name only contributed commands; showPath is in the editor context menu for the right languages', () => {
    for (const [menu, items] of Object.entries(contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) assert.ok(ids.includes(item.command), `${menu} names unknown command ${item.command}`);
    }
    const ctx = contributes.menus['editor/context'].find((m: { command: string }) => m.command === 'privatelinkLens.showPath');
    assert.ok(ctx, 'showPath is not in editor/context');
    for (const lang of ['terraform', 'yaml', 'json']) assert.match(ctx.when, new RegExp(`editorLangId == ${lang}\\b`));
  });

  test('server commands cannot collide with VS Code commands (the language client registers them too)', () => {
    for (const cmd of Object.values(ServerCommands)) assert.ok(!ids.includes(cmd), `${cmd} is both a server and a client command`);
  });
});

describe('manifest: configuration', () => {
  const props: Record<string, { default?: unknown; scope?: string; markdownDescription?: string; description?: string }> =
    contributes.configuration.properties;
  const prefix = `${CONFIGURATION_SECTION}.`;

  test('every Settings field has a privatelinkLens.* property and vice versa', () => {
    const settingKeys = Object.keys(DEFAULT_SETTINGS).sort();
    const contributed = Object.keys(props)
      .filter((k) => k !== `${prefix}trace.server`)
      .map((k) => {
        assert.ok(k.startsWith(prefix), `${k} is outside the ${CONFIGURATION_SECTION} section`);
        return k.slice(prefix.length);
      })
      .sort();
    assert.deepEqual(contributed, settingKeys);
  });

  test('contributed defaults equal DEFAULT_SETTINGS', () => {
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) assert.deepEqual(props[prefix + key].default, value, key);
  });

  test('every property is documented and scoped', () => {
    assert.equal(contributes.configuration.title, 'PrivateLink Lens');
    for (const [key, p] of Object.entries(props)) {
      assert.ok((p.markdownDescription ?? p.description ?? '').length > 20, `${key} lacks a description`);
      assert.ok(['resource', 'window'].includes(p.scope ?? ''), `${key} scope ${p.scope}`);
    }
    assert.deepEqual((props[`${prefix}trace.server`] as { enum?: string[] }).enum, ['off', 'messages', 'verbose']);
  });

  test('the language client id is the settings section, so privatelinkLens.trace.server takes effect', () => {
    assert.match(read('client/src/languageClient.ts'), new RegExp(`CLIENT_ID = '${CONFIGURATION_SECTION}'`));
  });

  test('configurationDefaults declare the CloudFormation short tags for Red Hat YAML', () => {
    const tags: string[] = contributes.configurationDefaults['yaml.customTags'];
    for (const t of tags) assert.match(t, /^!\w+ (scalar|sequence|mapping)$/);
    for (const t of ['!Ref scalar', '!GetAtt scalar', '!GetAtt sequence', '!Sub scalar', '!Sub sequence', '!ImportValue scalar', '!Join sequence']) {
      assert.ok(tags.includes(t), `missing ${t}`);
    }
  });
});

describe('manifest: languages, activation, packaging', () => {
  test('languages: .tf, .tfvars, and .tf.json/.tfvars.json as JSON', () => {
    const lang = (id: string) => contributes.languages.filter((l: { id: string }) => l.id === id);
    assert.ok(lang('terraform').some((l: { extensions: string[] }) => l.extensions.includes('.tf')));
    assert.ok(lang('terraform-vars').some((l: { extensions: string[] }) => l.extensions.includes('.tfvars')));
    const json = lang('json').flatMap((l: { extensions?: string[] }) => l.extensions ?? []);
    assert.ok(json.includes('.tf.json') && json.includes('.tfvars.json'));
    for (const l of contributes.languages) if (l.configuration) assert.ok(existsSync(join(root, l.configuration)), l.configuration);
  });

  test('grammars: both Terraform languages, one file, a scope name of our own', () => {
    const grammar = JSON.parse(read('syntaxes/terraform.tmLanguage.json'));
    const langs = contributes.grammars.map((g: { language: string }) => g.language).sort();
    assert.deepEqual(langs, ['terraform', 'terraform-vars']);
    for (const g of contributes.grammars) {
      assert.equal(g.scopeName, grammar.scopeName);
      assert.equal(g.path, './syntaxes/terraform.tmLanguage.json');
    }
    // HashiCorp's extension owns source.hcl.terraform; registering that name again would replace their file.
    assert.notEqual(grammar.scopeName, 'source.hcl.terraform');
  });

  test('activation events cover every file type the server reads', () => {
    const events: string[] = pkg.activationEvents;
    for (const e of ['onLanguage:terraform', 'onLanguage:terraform-vars', 'onLanguage:yaml', 'onLanguage:json', 'workspaceContains:**/*.tf', 'workspaceContains:**/*.tf.json', 'workspaceContains:**/*.tfvars']) {
      assert.ok(events.includes(e), `missing ${e}`);
    }
    assert.ok(events.some((e) => e.startsWith('workspaceContains:') && e.includes('yaml')));
    assert.ok(!events.includes('*'));
    // Nearly every repository has some .json file; activating on that alone would start the server everywhere.
    assert.ok(!events.includes('workspaceContains:**/*.json'));
  });

  test('entry points: main, bin, and no prepublish rebuild', () => {
    assert.equal(pkg.main, './dist/extension.js');
    assert.equal(pkg.bin['privatelink-lens'], 'dist/cli.js');
    assert.equal(pkg.scripts['vscode:prepublish'], undefined);
    assert.ok(pkg.repository && pkg.license === 'MIT');
    assert.match(read('LICENSE'), /^MIT License\n\nCopyright \(c\) 2026 PrivateLink Lens contributors/);
  });

  test('.vscodeignore is an allow-list of the bundles and assets', () => {
    const lines = read('.vscodeignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '**');
    for (const f of ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/webview/webview.js', 'syntaxes/**', 'language-configuration.json', 'LICENSE', 'package.json']) {
      assert.ok(lines.includes(`!${f}`), `.vscodeignore does not allow ${f}`);
    }
    assert.ok(!lines.some((l) => l.includes('node_modules') && l.startsWith('!')));
  });

  test('custom protocol names carry the privatelinkLens prefix', () => {
    assert.equal(PathsRequest.method, PathsRequest.type.method);
    assert.equal(StatusNotification.method, StatusNotification.type.method);
    for (const m of [PathsRequest.method, StatusNotification.method]) assert.match(m, /^privatelinkLens\//);
  });

  test('the packaged .vsix holds the bundles and no node_modules', () => {
    const vsix = join(root, `${pkg.name}-${pkg.version}.vsix`);
    // Package what `npm test` has just built, so the check always runs (it takes a few seconds, offline).
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, `scripts/package.mjs failed:\n${r.stdout}\n${r.stderr}`);
    assert.ok(existsSync(vsix), `${vsix} was not written`);
    const entries = zipEntries(readFileSync(vsix));
    for (const b of ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/webview/webview.js', 'syntaxes/terraform.tmLanguage.json', 'package.json']) {
      assert.ok(entries.includes(`extension/${b}`), `${b} missing from the package`);
    }
    assert.ok(!entries.some((e) => e.includes('node_modules/') || e.endsWith('.map')), 'the package holds node_modules or source maps');
  });
});

describe('language-configuration.json', () => {
  test('comments, brackets and auto-closing pairs; every pattern compiles', () => {
    const c = JSON.parse(read('language-configuration.json'));
    assert.equal(c.comments.lineComment, '#');
    assert.deepEqual(c.comments.blockComment, ['/*', '*/']);
    assert.deepEqual(c.brackets.map((b: string[]) => b[0]).sort(), ['(', '[', '{']);
    assert.ok(c.autoClosingPairs.some((p: { open: string }) => p.open === '${'));
    for (const re of [c.wordPattern, c.folding.markers.start, c.folding.markers.end, c.indentationRules.increaseIndentPattern, c.indentationRules.decreaseIndentPattern]) {
      assert.doesNotThrow(() => new RegExp(re), re);
    }
    assert.match('# region networking', new RegExp(c.folding.markers.start));
    assert.match('  // endregion', new RegExp(c.folding.markers.end));
  });
});

// ---------------------------------------------------------------------------------------------------
// The grammar

interface Captures {
  [group: string]: { name?: string; patterns?: Rule[] };
}
interface Rule {
  include?: string;
  name?: string;
  contentName?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Captures;
  beginCaptures?: Captures;
  endCaptures?: Captures;
  patterns?: Rule[];
}
interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const grammar: Grammar = JSON.parse(read('syntaxes/terraform.tmLanguage.json'));

function* walk(rule: Rule, where: string): Generator<[Rule, string]> {
  yield [rule, where];
  for (const [i, p] of (rule.patterns ?? []).entries()) yield* walk(p, `${where}.patterns[${i}]`);
  for (const key of ['captures', 'beginCaptures', 'endCaptures'] as const) {
    for (const [g, c] of Object.entries(rule[key] ?? {})) {
      for (const [i, p] of (c.patterns ?? []).entries()) yield* walk(p, `${where}.${key}[${g}].patterns[${i}]`);
    }
  }
}
function* allRules(): Generator<[Rule, string]> {
  for (const [i, p] of grammar.patterns.entries()) yield* walk(p, `patterns[${i}]`);
  for (const [k, r] of Object.entries(grammar.repository)) yield* walk(r, `repository.${k}`);
}

function groupCount(source: string): number {
  return new RegExp(`${source}|`).exec('')!.length - 1;
}

describe('grammar: structure', () => {
  test('every include names an existing repository key (or $self), and every key is reachable', () => {
    const reached = new Set<string>();
    const visit = (rule: Rule) => {
      for (const [r] of walk(rule, '')) {
        if (!r.include) continue;
        if (r.include === '$self' || r.include === '$base') continue;
        assert.match(r.include, /^#/, `external include ${r.include}`);
        const key = r.include.slice(1);
        assert.ok(key in grammar.repository, `include ${r.include} has no repository entry`);
        if (!reached.has(key)) {
          reached.add(key);
          visit(grammar.repository[key]);
        }
      }
    };
    grammar.patterns.forEach(visit);
    assert.deepEqual(Object.keys(grammar.repository).filter((k) => !reached.has(k)), [], 'unreachable repository keys');
  });

  test('every regex compiles in JavaScript and avoids Oniguruma-only syntax', () => {
    // \G, \A, \z, \h, possessive and atomic groups, inline flags and extended mode compile (or mean
    // something else) in one engine but not the other; keeping them out keeps the tokenizer below honest.
    const onigOnly = /\\[GAzZhH]|[*+?}]\+|\(\?>|\(\?[imx]+[:)]/;
    for (const [rule, where] of allRules()) {
      for (const key of ['match', 'begin', 'end'] as const) {
        const source = rule[key];
        if (source === undefined) continue;
        assert.ok(!onigOnly.test(source), `${where}.${key} uses Oniguruma-only syntax: ${source}`);
        assert.doesNotThrow(() => new RegExp(source), `${where}.${key}: ${source}`);
      }
      // A back-reference in `end` refers to a group of `begin`.
      for (const m of (rule.end ?? '').matchAll(/\\(\d)/g)) {
        assert.ok(rule.begin && Number(m[1]) <= groupCount(rule.begin), `${where}.end refers to a missing begin group \\${m[1]}`);
      }
      assert.ok(!(rule.begin && !rule.end), `${where} has begin without end`);
    }
  });

  test('every scope name is ours (ends in .terraform)', () => {
    for (const [rule, where] of allRules()) {
      const names = [rule.name, rule.contentName, ...(['captures', 'beginCaptures', 'endCaptures'] as const).flatMap((k) => Object.values(rule[k] ?? {}).map((c) => c.name))];
      for (const n of names) for (const s of (n ?? '').split(' ').filter(Boolean)) assert.match(s, /\.terraform$/, `${where}: ${s}`);
    }
  });
});

// A TextMate tokenizer in miniature: begin/end/match rules, captures (with nested patterns), includes,
// and end patterns with back-references to the begin captures. Enough to see what VS Code would colour.

interface Token {
  text: string;
  scopes: string[];
}
interface Frame {
  rule: Rule;
  end: RegExp;
  /** Scopes of the begin/end delimiters. */
  outer: string[];
  /** Scopes of the text between them. */
  inner: string[];
}

function resolve(patterns: Rule[]): Rule[] {
  return patterns.flatMap((p) => {
    if (p.include === '$self' || p.include === '$base') return resolve(grammar.patterns);
    if (p.include) {
      const r = grammar.repository[p.include.slice(1)];
      return r.match || r.begin ? [r] : resolve(r.patterns ?? []);
    }
    return [p];
  });
}

const regexCache = new Map<string, RegExp>();
function compiled(source: string): RegExp {
  let re = regexCache.get(source);
  if (!re) regexCache.set(source, (re = new RegExp(source, 'gd')));
  return re;
}

function withScopes(scopes: string[], name?: string): string[] {
  return name ? [...scopes, ...name.split(' ')] : scopes;
}

/** Splits a match into tokens, giving each capture group its scope (and its own patterns, if any). */
function emitMatch(m: RegExpExecArray, scopes: string[], captures: Captures | undefined, out: Token[]): void {
  const base = withScopes(scopes, captures?.['0']?.name);
  const start = m.index;
  let pos = start;
  const groups = Object.entries(captures ?? {})
    .filter(([g]) => g !== '0')
    .map(([g, c]) => ({ c, span: m.indices?.[Number(g)] }))
    .filter((x): x is { c: Captures[string]; span: [number, number] } => x.span !== undefined && x.span[1] > x.span[0])
    .sort((a, b) => a.span[0] - b.span[0]);
  const text = m.input;
  for (const { c, span } of groups) {
    if (span[0] < pos) continue; // nested groups are not used by this grammar
    if (span[0] > pos) out.push({ text: text.slice(pos, span[0]), scopes: base });
    const scoped = withScopes(base, c.name);
    if (c.patterns) tokenizeLine(text.slice(span[0], span[1]), [{ rule: { patterns: c.patterns }, end: /$^/g, outer: scoped, inner: scoped }], out);
    else out.push({ text: text.slice(span[0], span[1]), scopes: scoped });
    pos = span[1];
  }
  if (pos < start + m[0].length) out.push({ text: text.slice(pos, start + m[0].length), scopes: base });
}

function tokenizeLine(line: string, stack: Frame[], out: Token[]): void {
  let pos = 0;
  for (let guard = 0; guard < 10000; guard++) {
    const frame = stack[stack.length - 1];
    let best: { m: RegExpExecArray; rule?: Rule } | undefined;
    if (stack.length > 1) {
      frame.end.lastIndex = pos;
      const m = frame.end.exec(line);
      if (m) best = { m };
    }
    for (const rule of resolve(frame.rule.patterns ?? [])) {
      const re = compiled((rule.match ?? rule.begin)!);
      re.lastIndex = pos;
      const m = re.exec(line);
      // The earliest match wins; on a tie the end pattern, then the first rule listed.
      if (m && (!best || m.index < best.m.index)) best = { m, rule };
    }
    if (!best) {
      if (pos < line.length) out.push({ text: line.slice(pos), scopes: frame.inner });
      return;
    }
    const { m, rule } = best;
    if (m.index > pos) out.push({ text: line.slice(pos, m.index), scopes: frame.inner });
    const after = m.index + m[0].length;
    if (!rule) {
      emitMatch(m, frame.outer, frame.rule.endCaptures, out);
      stack.pop();
    } else if (rule.match) {
      emitMatch(m, withScopes(frame.inner, rule.name), rule.captures, out);
    } else {
      const outer = withScopes(frame.inner, rule.name);
      emitMatch(m, outer, rule.beginCaptures ?? rule.captures, out);
      const endSource = rule.end!.replace(/\\(\d)/g, (_, g: string) => (m[Number(g)] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      stack.push({ rule, end: new RegExp(endSource, 'gd'), outer, inner: withScopes(outer, rule.contentName) });
    }
    if (after === pos && !(rule && rule.begin)) {
      // An empty match that changes nothing: step over a character, as vscode-textmate does.
      if (pos >= line.length) return;
      out.push({ text: line[pos], scopes: stack[stack.length - 1].inner });
      pos++;
    } else {
      pos = after;
    }
    if (pos > line.length) return;
  }
  throw new Error(`tokenizer loop on: ${line}`);
}

function tokenize(source: string): Token[][] {
  const stack: Frame[] = [{ rule: { patterns: grammar.patterns }, end: /$^/g, outer: [grammar.scopeName], inner: [grammar.scopeName] }];
  return source.split('\n').map((line) => {
    const out: Token[] = [];
    tokenizeLine(line, stack, out);
    return out;
  });
}

/** The scopes of the `nth` token of a line whose text is exactly `text`. */
function scopesOf(lines: Token[][], line: number, text: string, nth = 0): string[] {
  const found = lines[line].filter((t) => t.text.trim() === text);
  assert.ok(found[nth], `no token "${text}" on line ${line}: ${JSON.stringify(lines[line].map((t) => t.text))}`);
  return found[nth].scopes;
}

function has(scopes: string[], scope: string): void {
  assert.ok(scopes.includes(scope), `expected ${scope} in ${scopes.join(' ')}`);
}

describe('grammar: tokens', () => {
  const sample = [
    /* 0 */ '# PrivateLink consumer side',
    /* 1 */ 'resource "aws_vpc_endpoint" "api" {',
    /* 2 */ '  vpc_id            = aws_vpc.main.id // the consumer VPC',
    /* 3 */ '  service_name      = "com.amazonaws.vpce.${var.region}.vpce-svc-${local.svc_id}"',
    /* 4 */ '  private_dns_enabled = true',
    /* 5 */ '  subnet_ids        = [for s in data.aws_subnet.private : s.id if s.map_public_ip_on_launch == false]',
    /* 6 */ '  policy            = <<-EOT',
    /* 7 */ '    { "Statement": "${jsonencode(var.x)}", "literal": "$${not_interpolated}" }',
    /* 8 */ '  EOT',
    /* 9 */ '  count             = length(var.azs) > 0 ? 1 : null',
    /* 10 */ '  ingress {',
    /* 11 */ '    cidr_blocks = [cidrsubnet(var.cidr, 8, 1), "10.0.0.0/16"]',
    /* 12 */ '  }',
    /* 13 */ '  tags = { Name = "api-${each.key}", Tier = "a\\"b\\n" }',
    /* 14 */ '  lifecycle { create_before_destroy = true }',
    /* 15 */ '}',
    /* 16 */ '/* block',
    /* 17 */ '   comment */',
    /* 18 */ 'output "dns" {',
    /* 19 */ '  value = "%{ if var.on }${provider::aws::arn_parse(module.svc.arn).region}%{ else }none%{ endif }"',
    /* 20 */ '}',
  ].join('\n');
  const lines = tokenize(sample);

  test('comments of all three kinds', () => {
    has(scopesOf(lines, 0, '#'), 'punctuation.definition.comment.terraform');
    has(scopesOf(lines, 0, 'PrivateLink consumer side'), 'comment.line.number-sign.terraform');
    has(scopesOf(lines, 2, 'the consumer VPC'), 'comment.line.double-slash.terraform');
    has(scopesOf(lines, 16, 'block'), 'comment.block.terraform');
    has(scopesOf(lines, 17, 'comment'), 'comment.block.terraform');
    has(scopesOf(lines, 17, '*/'), 'comment.block.terraform');
  });

  test('block types and labels', () => {
    has(scopesOf(lines, 1, 'resource'), 'storage.type.terraform');
    has(scopesOf(lines, 1, 'aws_vpc_endpoint'), 'entity.name.label.terraform');
    has(scopesOf(lines, 1, 'api'), 'entity.name.label.terraform');
    has(scopesOf(lines, 10, 'ingress'), 'entity.name.type.terraform');
    has(scopesOf(lines, 18, 'output'), 'storage.type.terraform');
    has(scopesOf(lines, 14, 'lifecycle'), 'entity.name.type.terraform');
  });

  test('attribute names, references and members', () => {
    has(scopesOf(lines, 2, 'vpc_id'), 'entity.other.attribute-name.terraform');
    has(scopesOf(lines, 2, 'aws_vpc'), 'variable.other.readwrite.terraform');
    has(scopesOf(lines, 2, 'main'), 'variable.other.member.terraform');
    has(scopesOf(lines, 9, 'var'), 'variable.language.terraform');
    has(scopesOf(lines, 5, 'data'), 'variable.language.terraform');
    has(scopesOf(lines, 14, 'create_before_destroy'), 'entity.other.attribute-name.terraform');
    has(scopesOf(lines, 13, 'Name'), 'variable.other.property.terraform');
  });

  test('strings with escapes and interpolations that hold highlighted expressions', () => {
    const v = scopesOf(lines, 3, 'var');
    has(v, 'variable.language.terraform');
    has(v, 'meta.interpolation.terraform');
    has(v, 'string.quoted.double.terraform');
    has(scopesOf(lines, 3, 'region'), 'variable.other.member.terraform');
    has(scopesOf(lines, 3, '${'), 'punctuation.definition.template-expression.begin.terraform');
    has(scopesOf(lines, 13, '\\"'), 'constant.character.escape.terraform');
    has(scopesOf(lines, 13, '\\n'), 'constant.character.escape.terraform');
    has(scopesOf(lines, 13, 'each'), 'variable.language.terraform');
  });

  test('template directives', () => {
    has(scopesOf(lines, 19, 'if'), 'keyword.control.directive.terraform');
    has(scopesOf(lines, 19, 'endif'), 'keyword.control.directive.terraform');
    has(scopesOf(lines, 19, 'provider::aws::arn_parse'), 'support.function.terraform');
    has(scopesOf(lines, 19, 'module'), 'variable.language.terraform');
  });

  test('heredoc: content is a string with interpolations, and the marker ends it', () => {
    has(scopesOf(lines, 6, '<<-'), 'keyword.operator.heredoc.terraform');
    has(scopesOf(lines, 7, 'jsonencode'), 'support.function.terraform');
    has(scopesOf(lines, 7, 'jsonencode'), 'string.unquoted.heredoc.terraform');
    has(scopesOf(lines, 7, '$${'), 'constant.character.escape.template.terraform');
    has(scopesOf(lines, 8, 'EOT'), 'keyword.control.heredoc.terraform');
    // After the marker the block body is code again.
    const count = scopesOf(lines, 9, 'count');
    has(count, 'entity.other.attribute-name.terraform');
    assert.ok(!count.some((s) => s.startsWith('string')), count.join(' '));
  });

  test('for-expressions, literals, operators and calls', () => {
    for (const k of ['for', 'in', 'if']) has(scopesOf(lines, 5, k), 'keyword.control.terraform');
    has(scopesOf(lines, 5, '=='), 'keyword.operator.comparison.terraform');
    has(scopesOf(lines, 5, 'false'), 'constant.language.boolean.terraform');
    has(scopesOf(lines, 4, 'true'), 'constant.language.boolean.terraform');
    has(scopesOf(lines, 9, 'null'), 'constant.language.null.terraform');
    has(scopesOf(lines, 9, 'length'), 'support.function.terraform');
    has(scopesOf(lines, 9, '0'), 'constant.numeric.terraform');
    has(scopesOf(lines, 9, '?'), 'keyword.operator.conditional.terraform');
    has(scopesOf(lines, 11, 'cidrsubnet'), 'support.function.terraform');
    has(scopesOf(lines, 11, '8'), 'constant.numeric.terraform');
  });

  test('braces balance: the block closes and the next top-level block is recognised', () => {
    has(scopesOf(lines, 15, '}'), 'punctuation.section.block.end.terraform');
    assert.deepEqual(scopesOf(lines, 15, '}').filter((s) => s === 'meta.block.terraform').length, 1);
    has(scopesOf(lines, 20, '}'), 'punctuation.section.block.end.terraform');
  });

  test('.tfvars content (attributes at the top level)', () => {
    const t = tokenize('region = "eu-west-1"\nazs    = ["a", "b"]\nmap    = { x = 1 }');
    has(scopesOf(t, 0, 'region'), 'entity.other.attribute-name.terraform');
    has(scopesOf(t, 1, 'azs'), 'entity.other.attribute-name.terraform');
    has(scopesOf(t, 2, 'x'), 'variable.other.property.terraform');
  });
});

// ---------------------------------------------------------------------------------------------------

describe('client restart policy', () => {
  test('restarts with a doubling delay, then gives up after 5 crashes in 3 minutes', () => {
    const p = new RestartPolicy();
    const t0 = 1_000_000;
    const delays = [0, 1, 2, 3, 4].map((i) => p.onCrash(t0 + i * 1000));
    assert.ok(delays.every((d) => d.restart));
    assert.deepEqual(delays.map((d) => d.delayMs), [500, 1000, 2000, 4000, 8000]);
    assert.equal(p.onCrash(t0 + 5000).restart, false);
  });

  test('old crashes fall out of the window, and reset forgets them', () => {
    const p = new RestartPolicy();
    for (let i = 0; i < 5; i++) p.onCrash(i);
    assert.equal(p.onCrash(4 * 60 * 1000).restart, true);
    for (let i = 0; i < 6; i++) p.onCrash(10 * 60 * 1000);
    p.reset();
    assert.deepEqual(p.onCrash(10 * 60 * 1000 + 1), { restart: true, delayMs: 500, crashes: 1 });
  });
});

/** File names from a zip's central directory (a .vsix is a plain zip). */
function zipEntries(buf: Buffer): string[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip archive');
  const names: string[] = [];
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = buf.readUInt16LE(eocd + 10); i > 0; i--) {
    const n = buf.readUInt16LE(p + 28);
    names.push(buf.toString('utf8', p + 46, p + 46 + n));
    p += 46 + n + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return names;
}
