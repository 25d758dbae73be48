/**
 * Neovim 0.7 (Debian's `neovim`) as a second real LSP client: headless, with Neovim's own client
 * capabilities and its own code for positions, diagnostics and workspace edits, on a copy of the protocol
 * fixture (consumer/ + provider/, PL002 on the endpoint SG). test/neovim/client.lua drives Neovim and
 * prints one JSON object; this file asserts on it and on the files Neovim wrote. Without `nvim` on PATH the
 * tests skip and say so.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Location, MarkupContent, Position, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyWorkspaceEdit, copyFixtures, lineOf, repoRoot, serverBundle, uriOf } from '../protocol/harness';

/** What one `vim.wait` in client.lua may take. Generous: CI machines are slow. */
const WAIT_MS = 20_000;
/** After this long the Neovim process group is killed: Neovim itself hangs (a failed wait ends the session). */
const KILL_AFTER_MS = 120_000;

/** What client.lua prints (the parts used here). */
interface NvimResult {
  nvim: string;
  steps: string[];
  ms: Record<string, number>;
  total_ms: number;
  failed?: { step: string; number: number; error: string };
  filetype: string;
  offset_encoding: string;
  diagnostics: { code: string; source: string; severity: number; lnum: number; col: number; end_col: number; message: string }[];
  pl002: { range: { start: Position; end: Position } };
  hover: MarkupContent;
  hover_lines: string[];
  severity_after_settings: number;
  code_action_menu: string[];
  code_actions: { title: string; kind: string; isPreferred: boolean; has_edit: boolean }[];
  applied: { title: string; edit: WorkspaceEdit };
  version_after: number;
  modified_after_write: boolean;
  republished: { version: number; codes: string[] };
  after_fix: string[];
  after_reanalyze: string[];
  code_lenses: { line: number; title: string }[];
  definition: Location[];
  jumped_to: { file: string; line: number; col: number };
  active_clients: string[];
  provider_clients: number;
  server_stopped: boolean;
  server_exit?: { code: number; signal: number };
  server_log: string[];
}

/** Why the Neovim tests cannot run here, or undefined when they can. */
function whyNoNeovim(): string | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return 'nvim is not on PATH (`apt-get install -y neovim` provides 0.7.2)';
  // An nvim that is there but does not work is a failure, not a reason to skip.
  assert.ok(!r.error && r.status === 0, `nvim --version failed: ${r.error?.message ?? `exit ${r.status}`} ${r.stderr}`);
  const m = /NVIM v(\d+)\.(\d+)/.exec(r.stdout);
  assert.ok(m, `cannot read the version of nvim from: ${r.stdout.split('\n')[0]}`);
  if (Number(m[1]) === 0 && Number(m[2]) < 7) return `nvim ${m[0]} is older than 0.7 (client.lua needs nvim_create_autocmd)`;
  return undefined;
}

function skipWithoutNeovim(t: TestContext): boolean {
  const why = whyNoNeovim();
  if (why === undefined) return false;
  console.log(`neovim tests skipped: ${why}`);
  t.skip(why);
  return true;
}

/**
 * The endpoint SG's header, in the copy Neovim opens, gets a comment with non-ASCII text (2-byte UTF-8
 * characters and one of 4 bytes that is 2 UTF-16 units) between its labels. PL002's range ends after it, so
 * where Neovim puts the end of the diagnostic tells whether server and client count positions alike
 * (UTF-16: Neovim 0.7 sends no position encodings and assumes UTF-16; the server counts in JS strings).
 * It changes no finding.
 */
const SG_HEADER = 'resource "aws_security_group" "endpoint" {';
const SG_HEADER_NON_ASCII = 'resource "aws_security_group" /* ünïcödé 🔒 */ "endpoint" {';

interface Run {
  result: NvimResult;
  consumer: string;
  provider: string;
  /** The consumer file as Neovim opened it, and as it is on disk after the session. */
  before: string;
  after: string;
  providerText: string;
}

/**
 * Runs client.lua in headless Neovim on a fresh copy of the fixture workspace. `config` is Lua that sets the
 * client up instead of client.lua's own start_client (the README's snippet). Resolves when Neovim exited.
 */
async function runNeovim(config?: (bundle: string) => string): Promise<Run> {
  const bundle = serverBundle(); // throws "build it first" when dist/server.js is missing
  const ws = copyFixtures('consumer', 'provider');
  const home = mkdtempSync(join(tmpdir(), 'pl-neovim-'));
  try {
    const consumer = join(ws.dir('consumer'), 'main.tf');
    const provider = join(ws.dir('provider'), 'main.tf');
    const original = readFileSync(consumer, 'utf8');
    assert.ok(original.includes(`\n${SG_HEADER}\n`), `the consumer fixture has the line ${SG_HEADER}`);
    const before = original.replace(`\n${SG_HEADER}\n`, `\n${SG_HEADER_NON_ASCII}\n`);
    writeFileSync(consumer, before);
    const configFile = config ? join(home, 'config.lua') : undefined;
    if (configFile && config) writeFileSync(configFile, config(bundle));

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // Neovim writes its logs, shada and swap files under these: keep them out of the home directory.
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_STATE_HOME: join(home, 'state'),
      // `node` in the Lua is this very Node.
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
      PL_SERVER: bundle,
      PL_ROOT: ws.root,
      PL_WAIT_MS: String(WAIT_MS),
    };
    if (configFile) env.PL_CONFIG = configFile;
    else delete env.PL_CONFIG;
    const script = join(repoRoot(), 'test', 'neovim', 'client.lua');
    // Its own process group (detached), so Neovim and the server it started can be killed together.
    const child = spawn('nvim', ['--headless', '-n', '-i', 'NONE', '-u', script], { cwd: ws.root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    };
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      killGroup();
    }, KILL_AFTER_MS);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c) => resolve(c));
    }).finally(() => clearTimeout(timer));
    // Whatever Neovim left behind (a server that did not exit) goes with the group.
    killGroup();

    const describe = () => `nvim exit code ${code}${killed ? ` (killed after ${KILL_AFTER_MS} ms)` : ''}\n--- stdout ---\n${stdout.slice(0, 6000)}\n--- stderr ---\n${stderr.slice(-3000)}`;
    let result: NvimResult;
    try {
      result = JSON.parse(stdout) as NvimResult;
    } catch {
      assert.fail(`client.lua printed no JSON result: ${describe()}`);
    }
    assert.equal(result.failed, undefined, `step "${result.failed?.step}" failed: ${result.failed?.error}\n${describe()}`);
    assert.equal(code, 0, describe());
    console.log(`neovim ${result.nvim} (${config ? 'README snippet' : 'client.lua'}): ${result.total_ms.toFixed(0)} ms, ${Object.entries(result.ms).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
    return { result, consumer, provider, before, after: readFileSync(consumer, 'utf8'), providerText: readFileSync(provider, 'utf8') };
  } finally {
    rmSync(home, { recursive: true, force: true });
    ws.cleanup();
  }
}

/** The assertions both runs share: the whole session, step by step. */
function assertSession({ result, consumer, provider, before, after, providerText }: Run): void {
  assert.equal(result.filetype, 'terraform');
  assert.equal(result.offset_encoding, 'utf-16');

  // Diagnostics: PL002 from privatelink-lens on the endpoint SG, as Neovim stores them (vim.diagnostic).
  const sgLine = lineOf(before, SG_HEADER_NON_ASCII);
  const pl002 = result.diagnostics.filter((d) => d.code === 'PL002');
  assert.equal(pl002.length, 1, `one PL002: ${JSON.stringify(result.diagnostics)}`);
  assert.equal(pl002[0].source, 'privatelink-lens');
  assert.equal(pl002[0].severity, 1, 'an error');
  assert.equal(pl002[0].lnum, sgLine, `PL002 on the endpoint SG's line ${sgLine}: ${JSON.stringify(pl002[0])}`);
  assert.match(pl002[0].message, /aws_security_group\.endpoint/);
  // PL002 spans the labels; its end, after the non-ASCII comment, lands where it should in both units.
  const labelsEnd = SG_HEADER_NON_ASCII.indexOf('"endpoint"') + '"endpoint"'.length;
  assert.deepEqual(result.pl002.range.end, { line: sgLine, character: labelsEnd }, 'the server counts UTF-16 units');
  assert.equal(pl002[0].end_col, Buffer.byteLength(SG_HEADER_NON_ASCII.slice(0, labelsEnd)), 'Neovim places the end after "endpoint" (a byte column)');

  // Hover on the endpoint SG: markdown naming the resource, which Neovim turns into lines for its float.
  assert.equal(result.hover.kind, 'markdown');
  assert.match(result.hover.value, /`aws_security_group\.endpoint`/);
  assert.match(result.hover.value, /PL002/);
  assert.ok(result.hover_lines.some((l) => l.includes('aws_security_group.endpoint')), 'Neovim renders the hover');

  // Settings pushed with didChangeConfiguration (Neovim 0.7 offers no workspace/configuration) apply.
  assert.equal(result.severity_after_settings, 2, 'PL002 configured to "warning" is republished as one');

  // The quick fix: offered, preferred, applied by Neovim to the buffer, written to disk.
  const fix = result.code_actions.find((a) => /^Allow TCP 443 from aws_security_group\.app\b/.test(a.title));
  assert.ok(fix, `an "Allow TCP 443 from …" action among ${JSON.stringify(result.code_actions.map((a) => a.title))}`);
  assert.equal(fix.isPreferred, true);
  assert.equal(fix.kind, 'quickfix');
  assert.ok(result.code_action_menu.includes(fix.title), `vim.lsp.buf.code_action() on the finding offers it: ${JSON.stringify(result.code_action_menu)}`);
  assert.equal(result.modified_after_write, false, ':wa wrote the buffer');
  // Neovim applied exactly the server's edit (its positions converted from UTF-16 by Neovim's own code).
  assert.equal(after, applyWorkspaceEdit(result.applied.edit, () => before).get(uriOf(consumer)), 'the file on disk is the text with the fix applied');
  const sg = after.split('\n').slice(sgLine, after.split('\n').indexOf('}', sgLine) + 1).join('\n');
  assert.match(sg, /ingress \{[^}]*from_port\s*=\s*443[^}]*security_groups\s*=\s*\[aws_security_group\.app\.id\][^}]*\}/, `the endpoint SG on disk admits the app SG on 443:\n${sg}`);

  // Re-analysed for exactly the edited version, without PL002; and still so after re-reading the disk.
  assert.equal(result.republished.version, result.version_after);
  assert.ok(!result.republished.codes.includes('PL002'), `no PL002 after the fix: ${JSON.stringify(result.republished)}`);
  assert.ok(!result.after_fix.includes('PL002'), `vim.diagnostic has no PL002 after the fix: ${JSON.stringify(result.after_fix)}`);
  assert.ok(!result.after_reanalyze.includes('PL002'), 'no PL002 after privatelinkLens.server.reanalyze');

  // The CodeLens above the endpoint now counts an open path.
  const endpointLine = lineOf(after, 'resource "aws_vpc_endpoint" "orders"');
  assert.deepEqual(result.code_lenses, [{ line: endpointLine, title: 'PrivateLink: 1 path open' }]);

  // Definition from the endpoint's service_name: the endpoint service in provider/, and Neovim jumps there.
  const serviceLine = lineOf(providerText, 'resource "aws_vpc_endpoint_service" "orders"');
  assert.deepEqual(result.definition.map((l) => [l.uri, l.range.start.line]), [[uriOf(provider), serviceLine]]);
  assert.equal(result.jumped_to.file, provider);
  assert.equal(result.jumped_to.line, serviceLine);

  // One server for both buffers, stopped cleanly at the end.
  assert.deepEqual(result.active_clients, ['privatelink-lens'], 'one client, shared by both files');
  assert.equal(result.provider_clients, 1, 'provider/main.tf is attached to it');
  assert.equal(result.server_stopped, true, 'the server exits on shutdown + exit');
}

test('Neovim 0.7 gets diagnostics, a hover, a quick fix and a definition from the server', async (t) => {
  if (skipWithoutNeovim(t)) return;
  const run = await runNeovim();
  assertSession(run);
  assert.deepEqual(run.result.server_exit, { code: 0, signal: 0 }, 'the server exited with 0');
});

test("the README's Neovim snippet, as written, works the same", async (t) => {
  if (skipWithoutNeovim(t)) return;
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const heading = readme.indexOf('## In Neovim and other LSP editors');
  assert.ok(heading >= 0, 'README.md has the section "In Neovim and other LSP editors"');
  const section = readme.slice(heading);
  const snippet = /```lua\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ', 1)))?.[1];
  assert.ok(snippet, 'README.md has a ```lua block in "In Neovim and other LSP editors"');
  const placeholder = '/path/to/privatelink-lens/dist/server.js';
  assert.ok(snippet.includes(placeholder), `the README snippet starts ${placeholder}`);
  // The placeholder is a Lua string: put the real path in as one.
  assertSession(await runNeovim((bundle) => snippet.replace(`'${placeholder}'`, JSON.stringify(bundle))));
});
