/**
 * Drives the bundled language server over stdio the way an editor would, for the protocol tests.
 * Everything that arrives from the server is recorded, and tests wait on conditions over what arrived
 * (a promise per waiter, resolved when a matching message comes in), never on fixed sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
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
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { StatusNotification } from '../../server/src/shared/protocol';

/** How long a waiter waits before failing with what it saw instead. Generous: CI machines are slow. */
export const WAIT_MS = 15_000;

/** The repository root: the nearest directory above this file with the extension's package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'privatelink-lens') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
    dir = up;
  }
}

/** The bundle under test. The test runner does not build; `npm test` does, and so must a person first. */
export function serverBundle(): string {
  const bundle = join(repoRoot(), 'dist', 'server.js');
  if (!existsSync(bundle)) {
    throw new Error(`${bundle} does not exist: build it first with \`node scripts/build.mjs\` (\`npm test\` builds before testing)`);
  }
  return bundle;
}

/** Temporary workspaces not yet cleaned up; removed when the test process exits, whatever happened. */
const temporary = new Set<string>();
process.on('exit', () => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of fixture folders in a temporary directory, so tests can edit and delete files freely. */
export function copyFixtures(...names: string[]): { root: string; dir(name: string): string; cleanup(): void } {
  // Without a bundle there is nothing to test: fail before making anything that would need cleaning up.
  serverBundle();
  const root = mkdtempSync(join(tmpdir(), 'pl-protocol-'));
  temporary.add(root);
  for (const n of names) cpSync(join(repoRoot(), 'test', 'fixtures', 'protocol', n), join(root, n), { recursive: true });
  return {
    root,
    dir: (name) => join(root, name),
    cleanup: () => {
      rmSync(root, { recursive: true, force: true });
      temporary.delete(root);
    },
  };
}

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

type SettingsFor = (scopeUri: string | undefined) => unknown;

export interface StartOptions {
  folders: string[];
  /** The `privatelinkLens` section the fake client answers `workspace/configuration` with. */
  settings?: unknown | SettingsFor;
  capabilities?: ClientCapabilities;
}

interface Waiter<T> {
  test: (value: T) => boolean;
  resolve: (value: T) => void;
}

export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
    executeCommand: {},
  },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
    },
    codeLens: {},
    definition: { linkSupport: false },
  },
};

export class Server {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly progressTokens: (string | number)[] = [];
  readonly registrations: string[] = [];
  readonly logs: string[] = [];
  stderr = '';
  initializeResult!: InitializeResult;
  private settingsFor: SettingsFor;
  private readonly diagnosticWaiters = new Set<Waiter<PublishDiagnosticsParams>>();
  private readonly notificationWaiters = new Set<Waiter<{ method: string; params: unknown }>>();
  private readonly versions = new Map<string, number>();
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    settings: unknown,
  ) {
    this.settingsFor = typeof settings === 'function' ? (settings as SettingsFor) : () => settings;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      settle(this.diagnosticWaiters, p);
    });
    connection.onNotification(LogMessageNotification.type, (p) => this.logs.push(p.message));
    connection.onNotification(StatusNotification.type, (p) => this.record(StatusNotification.method, p));
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) => (item.section === 'privatelinkLens' ? (this.settingsFor(item.scopeUri) ?? null) : null)));
    connection.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
      this.progressTokens.push(p.token);
      // Progress values arrive on `$/progress`, routed by token; record them as notifications of their kind.
      connection.onProgress(WorkDoneProgress.type, p.token, (value) => this.record(`$/progress:${value.kind}`, { token: p.token, ...value }));
      return null;
    });
    connection.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations.map((r) => r.method));
      return null;
    });
  }

  private record(method: string, params: unknown): void {
    const n = { method, params };
    this.notifications.push(n);
    settle(this.notificationWaiters, n);
  }

  /** Spawns the bundled server with `--stdio`, initializes it with the given folders and sends `initialized`. */
  static async start(options: StartOptions): Promise<Server> {
    const child = spawn(process.execPath, [serverBundle(), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const server = new Server(child, connection, options.settings ?? {});
    connection.listen();
    try {
      server.initializeResult = await withTimeout(
        connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri: options.folders.length > 0 ? uriOf(options.folders[0]) : null,
          workspaceFolders: options.folders.map((f) => ({ uri: uriOf(f), name: f.slice(f.lastIndexOf('/') + 1) })),
          capabilities: options.capabilities ?? DEFAULT_CAPABILITIES,
        }),
        WAIT_MS,
      );
      await connection.sendNotification(InitializedNotification.type, {});
    } catch (e) {
      // The caller never gets a server to stop, so this one must not outlive the failure.
      await server.stop();
      throw new Error(`the server did not initialize: ${e instanceof Error ? e.message : String(e)}\n--- stderr ---\n${server.stderr}`);
    }
    return server;
  }

  setSettings(settings: unknown | SettingsFor): void {
    this.settingsFor = typeof settings === 'function' ? (settings as SettingsFor) : () => settings;
  }

  /** Tells the server the settings changed; it pulls them again (the payload is empty, as VS Code's is). */
  async changeSettings(settings: unknown | SettingsFor): Promise<void> {
    this.setSettings(settings);
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** Resolves with the first diagnostics for `uri` (the latest already received, or a later one) that pass `test`. */
  waitForDiagnostics(uri: string, test: (diagnostics: Diagnostic[], params: PublishDiagnosticsParams) => boolean, what: string): Promise<PublishDiagnosticsParams> {
    const current = this.diagnostics.get(uri);
    if (current && test(current.diagnostics, current)) return Promise.resolve(current);
    return this.wait(this.diagnosticWaiters, (p) => p.uri === uri && test(p.diagnostics, p), () => {
      const last = this.diagnostics.get(uri);
      return `diagnostics for ${uri}: ${what}; last received: ${last ? JSON.stringify({ version: last.version, diagnostics: last.diagnostics.map((d) => [d.code, d.range.start.line, d.message]) }) : 'none'}`;
    });
  }

  /** Resolves with the first notification of `method` (already received or later) whose params pass `test`. */
  waitForNotification<T>(method: string, test: (params: T) => boolean = () => true, options: { after?: number } = {}): Promise<T> {
    const seen = this.notifications.slice(options.after ?? 0).find((n) => n.method === method && test(n.params as T));
    if (seen) return Promise.resolve(seen.params as T);
    return this.wait(this.notificationWaiters, (n) => n.method === method && test(n.params as T), () => `notification ${method}`).then((n) => n.params as T);
  }

  private wait<T>(waiters: Set<Waiter<T>>, test: (v: T) => boolean, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const w: Waiter<T> = {
        test,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${describe()}\n--- server log (last 20) ---\n${this.logs.slice(-20).join('\n')}\n--- stderr ---\n${this.stderr.slice(-2000)}`));
      }, WAIT_MS);
      waiters.add(w);
    });
  }

  async open(path: string, text?: string, languageId = languageOf(path)): Promise<{ uri: string; text: string; version: number }> {
    const uri = uriOf(path);
    const content = text ?? readFileSync(path, 'utf8');
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text: content } });
    return { uri, text: content, version: 1 };
  }

  /** Replaces the whole text of an open document; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** An incremental change, as editors send while typing. */
  async edit(uri: string, edits: TextEdit[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async fileEvents(changes: { path: string; type: FileChangeType }[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: changes.map((c) => ({ uri: uriOf(c.path), type: c.type })) });
  }

  /** shutdown + exit, then waits for the process to end; kills it by pid if it will not. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 5000);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // Fall through to the kill below.
    }
    const code = await withTimeout(this.exited, 5000).catch(() => {
      if (this.child.pid !== undefined) process.kill(this.child.pid, 'SIGKILL');
      return this.exited;
    });
    this.connection.dispose();
    return code;
  }
}

/** Resolves (and forgets) every waiter the value satisfies. */
function settle<T>(waiters: Set<Waiter<T>>, value: T): void {
  for (const w of [...waiters]) {
    if (!w.test(value)) continue;
    waiters.delete(w);
    w.resolve(value);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

export function languageOf(path: string): string {
  if (/\.tfvars$/.test(path)) return 'terraform-vars';
  if (/\.tf$/.test(path)) return 'terraform';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.json$/.test(path)) return 'json';
  return 'plaintext';
}

/** Applies a workspace edit (either form) to texts, by URI; files it does not touch are read from disk. */
export function applyWorkspaceEdit(edit: WorkspaceEdit, textOf: (uri: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  const apply = (uri: string, edits: TextEdit[]) => {
    const before = out.get(uri) ?? textOf(uri);
    out.set(uri, TextDocument.applyEdits(TextDocument.create(uri, 'plaintext', 0, before), edits));
  };
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) apply(uri, edits);
  for (const change of edit.documentChanges ?? []) {
    if ('textDocument' in change) apply(change.textDocument.uri, change.edits as TextEdit[]);
    else if (change.kind === 'create' && !out.has(change.uri)) out.set(change.uri, '');
  }
  return out;
}

/** The 0-based line of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" is not in the text`);
  return i;
}

export { FileChangeType };
