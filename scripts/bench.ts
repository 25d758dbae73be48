/**
 * The benchmark (issue 9): `npm run bench` prints a table, `npm run bench -- --json` prints one JSON line
 * (the last line on stdout).
 *
 * - generated: a generated workspace of 10,000 Terraform files in a temporary folder; cold analysis (discover,
 *   read, parse, resolve, graph, paths, rules) in a fresh child process, with that process's peak RSS.
 * - corpus: the same over ../shared/corpus (or PRIVATELINK_LENS_CORPUS); skipped with the reason when absent.
 * - edit: the bundled language server over stdio with the generated workspace as its folder; after indexing,
 *   didChange edits to one open file that flip a port (so the diagnostics really change), each timed from
 *   sending the change to the publishDiagnostics of that version.
 * - baseline: the same Terraform parsed by @cdktf/hcl2json and by our reader, as a throughput ratio, so
 *   it means the same on a fast or a noisy machine.
 *
 * Options: --json, --files N (10000), --edits N (200), --seed N (1), --debounce MS (0), --only a,b,
 * --baseline-files N (600), --keep (leave the generated workspace), --workspace DIR (reuse one),
 * --server-node-args ARGS (node options for the server, e.g. to profile it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { Analyzer, normalizeSettings } from '../server/src/engine';
import { parseHcl } from '../server/src/engine/parse/terraform';
import { WorkspaceFolders } from '../server/src/workspace/folders';
import { Indexer } from '../server/src/workspace/indexer';
import { toEnginePath } from '../server/src/workspace/files';
import { generateWorkspace } from './benchWorkspace';

// ---- options ------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
function opt(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
function num(name: string, def: number): number {
  const v = opt(name);
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : def;
}

/** The repository root: dist/bench.js lives one level below it. */
const ROOT = resolve(__dirname, '..');
const SERVER = join(ROOT, 'dist', 'server.js');

// ---- the cold measurement (runs in a child process) ------------------------------------------------

interface ColdResult {
  ms: number;
  /** Candidate files found and read. */
  discovered: number;
  /** Files the engine analysed (Terraform and CloudFormation templates). */
  files: number;
  bytes: number;
  resources: number;
  paths: number;
  findings: number;
  readMs: number;
  parseMs: number;
  analyzeMs: number;
  /** CPU time (user + system) of the measuring process: on a busy machine, wall time says less. */
  cpuMs: number;
  /** The main thread's share of it (Linux only): what the reader threads and GC helpers did not take. */
  mainCpuMs?: number;
  phases?: Record<string, number>;
  rssMB: number;
  heapMB: number;
  liveMB?: number;
}

/**
 * What the language server does when a folder opens, minus the protocol: discover and read every file
 * through the workspace layer, hand it to the engine, analyse once. Peak RSS is the process's own maximum
 * resident set (getrusage), which includes everything the measurement allocated.
 */
async function coldChild(dir: string): Promise<void> {
  const t0 = performance.now();
  const analyzer = new Analyzer();
  const folders = new WorkspaceFolders();
  const path = toEnginePath(resolve(dir));
  folders.add(pathToFileURL(path).href, path);
  const indexer = new Indexer(analyzer, folders, () => false, () => undefined);
  const stats = await indexer.index({});
  const t1 = performance.now();
  const result = analyzer.analyze(normalizeSettings({}));
  const t2 = performance.now();
  const out: ColdResult = {
    ms: Math.round(t2 - t0),
    discovered: stats.discovered,
    files: result.stats.files,
    bytes: stats.bytes,
    resources: result.resources.length,
    paths: result.paths.length,
    findings: result.findings.length,
    readMs: Math.round(t1 - t0),
    parseMs: result.stats.parseMs,
    analyzeMs: Math.round(t2 - t1),
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    mainCpuMs: mainThreadCpuMs(),
    phases: analyzer.timings() as unknown as Record<string, number>,
    rssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapMB: Math.round(process.memoryUsage().heapUsed / 1048576),
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    // Under --expose-gc (for investigating memory), also report what stays live after the analysis.
    gc();
    out.liveMB = Math.round(process.memoryUsage().heapUsed / 1048576);
    void analyzer;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** CPU time of this process's main thread, from /proc (undefined elsewhere). */
function mainThreadCpuMs(): number | undefined {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Math.round(((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
  } catch {
    return undefined;
  }
}

function runCold(dir: string): Promise<ColdResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, '--cold-child', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolvePromise(JSON.parse(line) as ColdResult);
      } catch (e) {
        reject(new Error(`cold analysis of ${dir} failed: ${(e as Error).message}\n${err.slice(-2000)}`));
      }
    });
  });
}

// ---- the edit measurement: the real server over LSP --------------------------------------------------

interface EditResult {
  n: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
  debounceMs: number;
  indexMs: number;
  /** Whether the published diagnostics of the edited file alternated as the port flipped. */
  diagnosticsChanged: boolean;
  /** The server's own "analysis: N ms" log lines during the edits (p50/p95). */
  serverAnalysisP50Ms?: number;
  serverAnalysisP95Ms?: number;
  serverRssMB?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Finds `from_port = <port>` and `to_port = <port>` in the text: the ranges of the two numbers. */
function portRanges(text: string, port: number): { line: number; start: number; end: number }[] {
  const out: { line: number; start: number; end: number }[] = [];
  text.split('\n').forEach((l, line) => {
    const m = /^(\s*(?:from_port|to_port)\s*=\s*)(\d+)/.exec(l);
    if (m && Number(m[2]) === port) out.push({ line, start: m[1].length, end: m[1].length + m[2].length });
  });
  return out;
}

async function runEdits(dir: string, editFile: string, text: string, port: number, otherPort: number, edits: number, debounceMs: number): Promise<EditResult> {
  // --server-node-args '--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server (written when it exits).
  const nodeArgs = opt('server-node-args')?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const folderUri = pathToFileURL(dir).href;
  const uri = pathToFileURL(join(dir, editFile)).href;

  let progressEnded = false;
  let analysedAfterIndex = false;
  const analysisLogs: number[] = [];
  let onEvent: () => void = () => undefined;
  const published = new Map<number, PublishDiagnosticsParams>();
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (p.uri === uri && p.version !== undefined) published.set(p.version, p);
    onEvent();
  });
  conn.onNotification(LogMessageNotification.type, (p) => {
    const m = /^analysis: (\d+) ms/.exec(p.message);
    if (m) {
      analysisLogs.push(Number(m[1]));
      if (progressEnded) analysedAfterIndex = true;
    }
    onEvent();
  });
  // The benchmark's settings: the debounce is the one knob that matters for latency; it is reported.
  conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'privatelinkLens' ? { debounceMs } : null)));
  conn.onRequest(RegistrationRequest.type, () => null);
  conn.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
    conn.onProgress(WorkDoneProgress.type, p.token, (v) => {
      if (v.kind === 'end') progressEnded = true;
      onEvent();
    });
    return null;
  });
  conn.listen();
  const until = (cond: () => boolean, what: string, ms = 600_000): Promise<void> =>
    new Promise((res, rej) => {
      if (cond()) return res();
      const timer = setTimeout(() => rej(new Error(`timed out waiting for ${what}\n${stderr.slice(-2000)}`)), ms);
      onEvent = () => {
        if (cond()) {
          clearTimeout(timer);
          onEvent = () => undefined;
          res();
        }
      };
    });

  const t0 = performance.now();
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: folderUri,
    workspaceFolders: [{ uri: folderUri, name: 'bench' }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
      window: { workDoneProgress: true },
      textDocument: { synchronization: { dynamicRegistration: false }, publishDiagnostics: { relatedInformation: true, versionSupport: true } },
    },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'terraform', version: 1, text } });
  // Indexing is over when its progress ends and the analysis that follows it has been logged.
  await until(() => progressEnded && analysedAfterIndex && published.has(1), 'indexing and the first analysis');
  const indexMs = performance.now() - t0;
  analysisLogs.length = 0;

  let current = text;
  let currentPort = port;
  const times: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < edits; i++) {
    const version = i + 2;
    const next = currentPort === port ? otherPort : port;
    const ranges = portRanges(current, currentPort);
    if (ranges.length === 0) throw new Error(`no port ${currentPort} to edit in ${editFile}`);
    const lines = current.split('\n');
    for (const r of ranges) lines[r.line] = lines[r.line].slice(0, r.start) + String(next) + lines[r.line].slice(r.end);
    const started = performance.now();
    // Later ranges first, so earlier edits do not shift them (LSP applies content changes in order).
    await conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [...ranges].reverse().map((r) => ({ range: { start: { line: r.line, character: r.start }, end: { line: r.line, character: r.end } }, text: String(next) })),
    });
    await until(() => published.has(version), `diagnostics for version ${version}`, 60_000);
    times.push(performance.now() - started);
    counts.push(published.get(version)!.diagnostics.length);
    published.delete(version - 1);
    current = lines.join('\n');
    currentPort = next;
  }
  let serverRssMB: number | undefined;
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) serverRssMB = Math.round(Number(m[1]) / 1024);
  } catch {
    // Not Linux: the server's peak memory is not reported.
  }
  try {
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
  } catch {
    // The kill below ends it.
  }
  await new Promise<void>((res) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      res();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(t);
      res();
    });
  });
  conn.dispose();
  const sorted = [...times].sort((a, b) => a - b);
  const logs = [...analysisLogs].sort((a, b) => a - b);
  return {
    n: times.length,
    p50Ms: round1(percentile(sorted, 50)),
    p95Ms: round1(percentile(sorted, 95)),
    maxMs: round1(sorted[sorted.length - 1]),
    meanMs: round1(times.reduce((a, b) => a + b, 0) / times.length),
    debounceMs,
    indexMs: Math.round(indexMs),
    diagnosticsChanged: counts.length > 1 && counts.every((c, i) => i === 0 || c !== counts[i - 1]),
    serverAnalysisP50Ms: logs.length > 0 ? percentile(logs, 50) : undefined,
    serverAnalysisP95Ms: logs.length > 0 ? percentile(logs, 95) : undefined,
    serverRssMB,
  };
}

// ---- the baseline: hcl2json versus our reader ---------------------------------------------------------

interface BaselineResult {
  parseSpeedupVsHcl2json: number;
  oursMBps: number;
  hcl2jsonMBps: number;
  files: number;
  MB: number;
}

async function runBaseline(texts: string[]): Promise<BaselineResult> {
  // hcl2json is Go compiled to WebAssembly, loaded on first use; it stays external to the bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hcl2json = require('@cdktf/hcl2json') as { parse(file: string, text: string): Promise<unknown> };
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const MB = bytes / 1048576;
  // Warm both up (WASM instantiation, JIT), outside the timing.
  for (const t of texts.slice(0, 20)) {
    await hcl2json.parse('warm.tf', t);
    parseHcl(t);
  }
  const time = async (f: () => Promise<void> | void, rounds: number) => {
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      await f();
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  const theirs = await time(async () => {
    for (let i = 0; i < texts.length; i++) await hcl2json.parse(`f${i}.tf`, texts[i]);
  }, 2);
  let sink = 0;
  const ours = await time(() => {
    for (const t of texts) sink += parseHcl(t).body.items.length;
  }, 5);
  void sink;
  return {
    parseSpeedupVsHcl2json: round1(theirs / ours),
    oursMBps: round1(MB / (ours / 1000)),
    hcl2jsonMBps: round1(MB / (theirs / 1000)),
    files: texts.length,
    MB: round1(MB),
  };
}

// ---- the machine ----------------------------------------------------------------------------------

function machine(): Record<string, string | number> {
  const cpu = cpus();
  let model = cpu[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1].trim();
  } catch {
    // Not Linux: the model from os.cpus() stays.
  }
  return {
    nproc: availableParallelism(),
    cpuModel: model,
    memGiB: Math.round((totalmem() / 1073741824) * 10) / 10,
    freeGiB: Math.round((freemem() / 1073741824) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    // Other work on the machine skews wall-clock times; the load says how much there was.
    loadAvg: loadavg()
      .map((x) => Math.round(x * 100) / 100)
      .join(' '),
  };
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (argv[0] === '--cold-child') return coldChild(argv[1]);
  const json = argv.includes('--json');
  const only = opt('only')?.split(',');
  const want = (part: string) => !only || only.includes(part);
  const totalFiles = num('files', 10_000);
  const editsN = num('edits', 200);
  const seed = num('seed', 1);
  const debounceMs = num('debounce', 0);
  const log = (m: string) => {
    if (!json) process.stdout.write(`${m}\n`);
    else process.stderr.write(`${m}\n`);
  };

  const result: Record<string, unknown> = {};
  const gen = generateWorkspace(totalFiles, seed);
  const reuse = opt('workspace');
  const dir = reuse ? resolve(reuse) : mkdtempSync(join(tmpdir(), 'pl-bench-'));
  const keep = argv.includes('--keep') || reuse !== undefined;
  let bytes = 0;
  for (const [rel, text] of gen.files) {
    bytes += Buffer.byteLength(text);
    const p = join(dir, rel);
    if (reuse && existsSync(p) && readFileSync(p, 'utf8') === text) continue;
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  // A reused folder keeps only the generated files (another --files or --seed leaves others behind).
  if (reuse) removeOthers(dir, dir, new Set(gen.files.keys()));
  log(`generated ${gen.files.size} files (${(bytes / 1048576).toFixed(1)} MB) in ${dir}`);
  try {
    if (want('generated')) {
      log('cold analysis of the generated workspace...');
      const g = await runCold(dir);
      result.generated = { coldMs: g.ms, files: g.files, rssMB: g.rssMB, MB: round1(g.bytes / 1048576), readMs: g.readMs, parseMs: g.parseMs, analyzeMs: g.analyzeMs, cpuMs: g.cpuMs, mainCpuMs: g.mainCpuMs, resources: g.resources, paths: g.paths, findings: g.findings, phases: g.phases };
    }
    if (want('corpus')) {
      const corpus = process.env.PRIVATELINK_LENS_CORPUS ? resolve(process.env.PRIVATELINK_LENS_CORPUS) : resolve(ROOT, '../shared/corpus');
      if (!existsSync(corpus)) {
        result.corpus = { skipped: `corpus not found at ${corpus} (set PRIVATELINK_LENS_CORPUS to measure another folder)` };
      } else {
        log(`cold analysis of ${corpus}...`);
        const c = await runCold(corpus);
        result.corpus = { coldMs: c.ms, files: c.files, rssMB: c.rssMB, MB: round1(c.bytes / 1048576), readMs: c.readMs, parseMs: c.parseMs, analyzeMs: c.analyzeMs, cpuMs: c.cpuMs, mainCpuMs: c.mainCpuMs, resources: c.resources, paths: c.paths, phases: c.phases };
      }
    }
    if (want('edit')) {
      if (!existsSync(SERVER)) throw new Error(`${SERVER} does not exist: build first (npm run bench builds)`);
      log(`${editsN} edits through the language server (debounce ${debounceMs} ms)...`);
      result.edit = await runEdits(dir, gen.edit.file, gen.edit.text, gen.edit.port, gen.edit.otherPort, editsN, debounceMs);
    }
    if (want('baseline')) {
      const n = num('baseline-files', 600);
      const tf = [...gen.files.entries()].filter(([f]) => f.endsWith('.tf'));
      const step = Math.max(1, Math.floor(tf.length / n));
      const texts = tf.filter((_, i) => i % step === 0).slice(0, n).map(([, t]) => t);
      log(`parsing ${texts.length} files with @cdktf/hcl2json and with our reader...`);
      result.baseline = await runBaseline(texts);
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  result.machine = machine();

  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  printTable(result);
}

function removeOthers(root: string, dir: string, keep: Set<string>): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) removeOthers(root, p, keep);
    else if (!keep.has(relative(root, p).split(sep).join('/'))) rmSync(p);
  }
}

function printTable(r: Record<string, unknown>): void {
  const g = r.generated as Record<string, number> | undefined;
  const c = r.corpus as (Record<string, number> & { skipped?: string }) | undefined;
  const e = r.edit as EditResult | undefined;
  const b = r.baseline as BaselineResult | undefined;
  const rows: [string, string, string, string][] = [];
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  if (g) {
    rows.push(['generated.coldMs', `${g.coldMs} ms (${g.files} files, ${g.MB} MB)`, '<= 6000', mark(g.coldMs <= 6000)]);
    rows.push(['generated.rssMB', `${g.rssMB} MB`, '<= 500', mark(g.rssMB <= 500)]);
  }
  if (c?.skipped) rows.push(['corpus.coldMs', `skipped: ${c.skipped}`, '<= 3000', '-']);
  else if (c) rows.push(['corpus.coldMs', `${c.coldMs} ms (${c.files} files, ${c.MB} MB)`, '<= 3000', mark(c.coldMs <= 3000)]);
  if (e) {
    rows.push(['edit.p50Ms', `${e.p50Ms} ms (n=${e.n}, debounce ${e.debounceMs} ms)`, '', '']);
    rows.push(['edit.p95Ms', `${e.p95Ms} ms (max ${e.maxMs} ms)`, '<= 30', mark(e.p95Ms <= 30)]);
  }
  if (b) rows.push(['baseline.parseSpeedupVsHcl2json', `${b.parseSpeedupVsHcl2json}x (${b.oursMBps} vs ${b.hcl2jsonMBps} MB/s)`, '>= 5', mark(b.parseSpeedupVsHcl2json >= 5)]);
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((x) => x[i].length), ['measure', 'result', 'target', ''][i].length));
  const line = (x: string[]) => `| ${x.map((s, i) => s.padEnd(w[i])).join(' | ')} |`;
  console.log('');
  console.log(line(['measure', 'result', 'target', '']));
  console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  const details: string[] = [];
  if (g) details.push(`generated: read ${g.readMs} ms, parse ${g.parseMs} ms (inside read), analyze ${g.analyzeMs} ms; ${g.resources} resources, ${g.paths} paths, ${g.findings} findings`);
  if (g && (g as unknown as { phases?: Record<string, number> }).phases) details.push(`generated phases: ${JSON.stringify((g as unknown as { phases: Record<string, number> }).phases)}`);
  if (c && !c.skipped) details.push(`corpus: read ${c.readMs} ms, parse ${c.parseMs} ms, analyze ${c.analyzeMs} ms, peak RSS ${c.rssMB} MB`);
  if (e) details.push(`edit: indexing ${e.indexMs} ms; diagnostics changed on every edit: ${e.diagnosticsChanged}; server analysis p50 ${e.serverAnalysisP50Ms} ms, p95 ${e.serverAnalysisP95Ms} ms; server peak RSS ${e.serverRssMB ?? '?'} MB`);
  const m = r.machine as Record<string, string | number>;
  details.push(`machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memGiB} GiB, node ${m.node}, ${m.platform}, load average ${m.loadAvg}`);
  console.log('');
  for (const d of details) console.log(d);
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
