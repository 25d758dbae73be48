/**
 * The server after an edit in a larger workspace: it publishes the edited document's new diagnostics, and
 * nothing for files whose diagnostics did not change (every file with findings was published once, after
 * indexing). Driven directly over stdio so every publish can be counted.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { generateWorkspace } from '../../scripts/benchWorkspace';
import { Analyzer, DEFAULT_SETTINGS, type AnalysisResult } from '../../server/src/engine';
import { WorkspaceFolders } from '../../server/src/workspace/folders';
import { Indexer } from '../../server/src/workspace/indexer';
import { repoRoot, serverBundle, WAIT_MS } from './harness';

test('an edit republishes the edited document only, not the files whose diagnostics are unchanged', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pl-incremental-'));
  const child = spawn(process.execPath, [serverBundle(), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  try {
    const gen = generateWorkspace(300, 5);
    for (const [rel, text] of gen.files) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    const publishes: PublishDiagnosticsParams[] = [];
    const logs: string[] = [];
    let onEvent = () => undefined as void;
    const until = (cond: () => boolean, what: string) =>
      new Promise<void>((resolve, reject) => {
        if (cond()) return resolve();
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; log: ${logs.slice(-5).join(' | ')}`)), WAIT_MS * 2);
        onEvent = () => {
          if (!cond()) return;
          clearTimeout(timer);
          onEvent = () => undefined;
          resolve();
        };
      });
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      publishes.push(p);
      onEvent();
    });
    conn.onNotification(LogMessageNotification.type, (p) => {
      logs.push(p.message);
      onEvent();
    });
    conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'privatelinkLens' ? { debounceMs: 0 } : null)));
    conn.onRequest(RegistrationRequest.type, () => null);
    conn.listen();
    const folder = pathToFileURL(root).href;
    await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: folder, workspaceFolders: [{ uri: folder, name: 'ws' }], capabilities: { workspace: { configuration: true, workspaceFolders: true } } });
    await conn.sendNotification(InitializedNotification.type, {});
    const uri = pathToFileURL(join(root, gen.edit.file)).href;
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'terraform', version: 1, text: gen.edit.text } });
    // Indexing ends with an analysis of every file; the open document is published with its version.
    await until(() => logs.some((l) => l.startsWith('index:')) && publishes.some((p) => p.uri === uri && p.version === 1) && logs.filter((l) => l.startsWith('analysis:')).length >= 1, 'indexing');
    await until(() => logs.filter((l) => l.startsWith('analysis:')).length >= 1 && logs.findIndex((l) => l.startsWith('index:')) < logs.map((l) => l.startsWith('analysis:')).lastIndexOf(true), 'the analysis after indexing');
    // The log line comes before the analysis' publishes; a request answered after them makes sure they are in.
    await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
    const others = new Set(publishes.filter((p) => p.uri !== uri && p.diagnostics.length > 0).map((p) => p.uri));
    assert.ok(others.size > 3, `several other files have findings (${others.size})`);
    const before = publishes.length;

    const text = gen.edit.text.replace(new RegExp(`= ${gen.edit.port}\\b`, 'g'), `= ${gen.edit.otherPort}`);
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    await until(() => publishes.some((p) => p.uri === uri && p.version === 2), 'diagnostics for version 2');
    const v1 = publishes.filter((p) => p.uri === uri && p.version === 1).pop()!;
    const v2 = publishes.find((p) => p.uri === uri && p.version === 2)!;
    assert.notDeepEqual(v2.diagnostics.map((d) => d.message), v1.diagnostics.map((d) => d.message), 'the edit changed the diagnostics');
    await conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
    const after = publishes.slice(before).filter((p) => p.uri !== uri);
    // Files of the edited root module may change too; nothing else is sent again.
    const editedDir = pathToFileURL(dirname(join(root, gen.edit.file))).href;
    assert.deepEqual(after.filter((p) => !p.uri.startsWith(`${editedDir}/`)).map((p) => p.uri), []);
    assert.ok(logs.some((l) => /^analysis: \d+ ms \(analyze \d+ ms: 1\/\d+ roots resolved/.test(l)), `one root resolved again: ${logs.slice(-1)}`);
  } finally {
    try {
      await conn.sendRequest(ShutdownRequest.type);
      await conn.sendNotification(ExitNotification.type);
    } catch {
      // The kill below ends it.
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 5000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    conn.dispose();
    rmSync(root, { recursive: true, force: true });
  }
});

test('indexing on reader threads gives the analysis that reading on this thread gives', async () => {
  serverBundle();
  const root = mkdtempSync(join(tmpdir(), 'pl-readers-'));
  try {
    const gen = generateWorkspace(400, 9);
    for (const [rel, text] of gen.files) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    // A YAML template too, so CloudFormation results cross the thread boundary as well.
    writeFileSync(join(root, 'stack.yaml'), readFileSync(join(repoRoot(), 'examples', 'cloudformation', 'provider.yaml'), 'utf8'));
    const run = async (readers: { minFiles?: number; script?: string }) => {
      const analyzer = new Analyzer();
      const folders = new WorkspaceFolders();
      folders.add(pathToFileURL(root).href, root);
      const logs: string[] = [];
      const indexer = new Indexer(analyzer, folders, () => false, (m) => logs.push(m), readers);
      const stats = await indexer.index({});
      indexer.dispose();
      return { result: analyzer.analyze(DEFAULT_SETTINGS), stats, logs, resolvedLate: analyzer.timings()!.rootsResolved };
    };
    const canonical = (r: AnalysisResult) => ({
      findings: r.findings.map((f) => JSON.stringify(f)).sort(),
      paths: r.paths.map((p) => JSON.stringify(p)).sort(),
      resources: r.resources.map((x) => JSON.stringify(x)),
    });
    const here = await run({ minFiles: Infinity });
    const threads = await run({ minFiles: 1, script: join(repoRoot(), 'dist', 'reader.js') });
    assert.deepEqual(threads.logs.filter((l) => l.includes('reader thread failed')), []);
    assert.equal(threads.stats.read, here.stats.read);
    assert.ok(threads.resolvedLate < here.resolvedLate, 'roots were resolved while the threads read');
    assert.deepEqual(canonical(threads.result), canonical(here.result));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
