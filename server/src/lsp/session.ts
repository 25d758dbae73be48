/**
 * The server's state and the one pipeline every change goes through: inputs change (a keystroke, a file
 * event, a settings change) → an analysis is scheduled → it runs on a serial queue (so it never sees a half
 * indexed folder) → a new snapshot → diagnostics and status are published. Handlers read the snapshot.
 */
import type { ClientCapabilities, Connection, Diagnostic, InitializeParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer, normalizeSettings, type Finding, type Settings } from '../engine';
import { CONFIGURATION_SECTION, StatusNotification, type StatusParams } from '../shared/protocol';
import { toEnginePath } from '../workspace/files';
import { WorkspaceFolders, type Folder } from '../workspace/folders';
import { Indexer, type FileEvent, type IndexStats } from '../workspace/indexer';
import { applyFolderRules } from '../workspace/settings';
import { fileToUri, toDiagnostic, uriToFile, type EditOptions } from './convert';
import { Snapshot } from './snapshot';

/** Above this many files still to read, the files next to open documents are analysed on their own first. */
const EARLY_ANALYSIS_THRESHOLD = 200;

export interface ClientSupport {
  configuration: boolean;
  configurationChangeRegistration: boolean;
  workspaceFolders: boolean;
  workDoneProgress: boolean;
  watchedFilesRegistration: boolean;
  documentChanges: boolean;
  createFiles: boolean;
}

export function clientSupport(c: ClientCapabilities): ClientSupport {
  return {
    configuration: c.workspace?.configuration === true,
    configurationChangeRegistration: c.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    workspaceFolders: c.workspace?.workspaceFolders === true,
    workDoneProgress: c.window?.workDoneProgress === true,
    watchedFilesRegistration: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
    createFiles: c.workspace?.workspaceEdit?.resourceOperations?.includes('create') === true,
  };
}

export class Session {
  readonly analyzer = new Analyzer();
  readonly folders = new WorkspaceFolders();
  readonly indexer: Indexer;
  support: ClientSupport = clientSupport({});
  /** The latest analysis; undefined until the first one ran. */
  snapshot: Snapshot | undefined;

  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private analysisQueued = false;
  /** Bumped by every change to the analysis inputs; an analysis with nothing new to see is skipped. */
  private inputs = 0;
  private analysedInputs = -1;
  /**
   * Files with a disk event, a close or a re-read waiting on the queue: the snapshot may no longer match
   * them, so their fixes are refused until the queued task (which ends with an analysis) has run.
   */
  private readonly pending = new Map<string, number>();
  /** Per URI, what was last published, to send only what changed. */
  private published = new Map<string, Published>();
  private lastStatus = '';
  /** Open documents: engine file -> the URI the client uses for it (publish under the client's spelling). */
  private readonly openFiles = new Map<string, string>();
  /** TextDocuments reports an open as an open plus a content change; the change must not re-debounce it. */
  private justOpened: TextDocument | undefined;

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
  ) {
    this.indexer = new Indexer(this.analyzer, this.folders, (f) => this.openFiles.has(f), (m) => this.log(m));
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  error(context: string, e: unknown): void {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.connection.console.error(`${context}: ${detail}`);
  }

  /** file: URIs of files that are not open, made once: publishing asks for them after every analysis. */
  private readonly uris = new Map<string, string>();

  uriOf = (file: string): string => {
    const open = this.openFiles.get(file);
    if (open !== undefined) return open;
    let uri = this.uris.get(file);
    if (uri === undefined) {
      uri = fileToUri(file);
      this.uris.set(file, uri);
    }
    return uri;
  };

  // ---- initialize / initialized ------------------------------------------------------------------

  /** Remembers the client's capabilities and the folders it opened with (settings come later, pulled). */
  initialize(params: InitializeParams): void {
    this.support = clientSupport(params.capabilities);
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    for (const f of folders) {
      const path = uriToFile(f.uri);
      if (path) this.folders.add(f.uri, path);
    }
    if (folders.length === 0 && params.rootPath) {
      const path = toEnginePath(params.rootPath);
      this.folders.add(fileToUri(path), path);
    }
  }

  /** Pulls settings, then indexes every folder (folders with open documents first) and analyses. */
  start(): Promise<void> {
    return this.enqueue('indexing', async () => {
      await this.pullSettings();
      const progress = await this.beginProgress('PrivateLink Lens', 'Indexing workspace');
      try {
        const priorityDirs = [...this.openFiles.keys()].map((f) => f.slice(0, f.lastIndexOf('/')));
        const stats = await this.indexer.index({
          priorityDirs,
          progress: { report: (done, total) => progress.report(total === 0 ? 100 : Math.floor((done / total) * 100), `${done}/${total} files`) },
          afterPriority: (remaining) => {
            if (remaining > EARLY_ANALYSIS_THRESHOLD) this.analyzeNow(true);
          },
        });
        this.logIndex('index', stats);
      } finally {
        progress.done();
      }
      this.inputs++;
      this.analyzeNow(true);
    });
  }

  private async beginProgress(title: string, message: string): Promise<{ report(percent: number, message: string): void; done(): void }> {
    if (!this.support.workDoneProgress) return { report: () => undefined, done: () => undefined };
    try {
      const reporter = await withTimeout(this.connection.window.createWorkDoneProgress(), CLIENT_REPLY_MS, 'window/workDoneProgress/create');
      reporter.begin(title, 0, message, false);
      return { report: (p, m) => reporter.report(p, m), done: () => reporter.done() };
    } catch (e) {
      this.error('cannot create progress', e);
      return { report: () => undefined, done: () => undefined };
    }
  }

  private logIndex(what: string, s: IndexStats): void {
    this.log(
      `${what}: ${s.ms} ms, ${s.discovered} files found, ${s.read} read (${(s.bytes / 1024).toFixed(0)} KB), ${s.changed} changed, ${s.skipped} skipped, ${s.removed} removed`,
    );
  }

  // ---- settings ----------------------------------------------------------------------------------

  /**
   * Pulls `privatelinkLens` for every folder (and once unscoped, for files outside folders). Returns the
   * folders whose excludes changed. Without the configuration capability, settings stay at their defaults
   * or at what the client pushed with didChangeConfiguration.
   */
  private async pullSettings(folders: readonly Folder[] = this.folders.list()): Promise<Folder[]> {
    if (!this.support.configuration) return [];
    const items = [...folders.map((f) => ({ scopeUri: f.uri, section: CONFIGURATION_SECTION })), { section: CONFIGURATION_SECTION }];
    let values: unknown[];
    try {
      values = await withTimeout(this.connection.workspace.getConfiguration(items), CLIENT_REPLY_MS, 'workspace/configuration');
    } catch (e) {
      this.error('workspace/configuration failed; keeping the previous settings', e);
      return [];
    }
    const changed: Folder[] = [];
    folders.forEach((f, i) => {
      if (this.folders.setSettings(f.uri, normalizeSettings(values[i]))) changed.push(f);
    });
    this.folders.setGlobalSettings(normalizeSettings(values[folders.length]));
    return changed;
  }

  /** didChangeConfiguration: pull again (or take the pushed value), re-index where excludes changed, analyse. */
  settingsChanged(pushed: unknown): Promise<void> {
    return this.enqueue('settings', async () => {
      let changed: Folder[];
      if (this.support.configuration) {
        changed = await this.pullSettings();
      } else {
        const section = pushed && typeof pushed === 'object' ? (pushed as Record<string, unknown>)[CONFIGURATION_SECTION] : undefined;
        // A notification without our section says nothing about our settings; keep what we have.
        if (section === undefined) return;
        const settings: Settings = normalizeSettings(section);
        changed = this.folders.list().filter((f) => this.folders.setSettings(f.uri, settings));
        this.folders.setGlobalSettings(settings);
      }
      if (changed.length > 0) this.logIndex('re-index after exclude change', await this.indexer.applyExcludes(changed));
      this.inputs++;
      this.analyzeNow(true);
    });
  }

  // ---- workspace changes -------------------------------------------------------------------------

  foldersChanged(added: readonly { uri: string }[], removed: readonly { uri: string }[]): Promise<void> {
    return this.enqueue('workspace folders', async () => {
      for (const r of removed) {
        const folder = this.folders.remove(r.uri);
        if (folder) this.log(`folder removed: ${folder.path}, ${this.indexer.dropFolder(folder)} files dropped`);
      }
      const fresh: Folder[] = [];
      for (const a of added) {
        const path = uriToFile(a.uri);
        if (path) fresh.push(this.folders.add(a.uri, path));
      }
      if (fresh.length > 0) {
        await this.pullSettings(fresh);
        this.logIndex('index added folders', await this.indexer.index({ folders: fresh }));
      }
      this.inputs++;
      this.analyzeNow(true);
    });
  }

  filesChanged(events: readonly FileEvent[]): Promise<void> {
    const files = events.map((e) => e.file);
    this.hold(files);
    return this.enqueue('file events', async () => {
      try {
        if (await this.indexer.applyEvents(events)) {
          this.inputs++;
          this.analyzeNow(false);
        }
      } finally {
        this.release(files);
      }
    });
  }

  /** The reanalyze command: forget every cached text, rediscover and re-read all folders, analyse. */
  reanalyze(): Promise<void> {
    const files = this.analyzer.files();
    this.hold(files);
    return this.enqueue('reanalyze', async () => {
      try {
        const progress = await this.beginProgress('PrivateLink Lens', 'Re-reading workspace');
        try {
          // `reread` empties the content cache, so open documents are handed to the engine again as well.
          const stats = await this.indexer.index({ reread: true, progress: { report: (d, t) => progress.report(t === 0 ? 100 : Math.floor((d / t) * 100), `${d}/${t} files`) } });
          this.logIndex('re-index', stats);
        } finally {
          progress.done();
        }
        this.inputs++;
        this.analyzeNow(true);
      } finally {
        this.release(files);
      }
    });
  }

  // ---- documents ---------------------------------------------------------------------------------

  documentOpened(doc: TextDocument): void {
    const file = uriToFile(doc.uri);
    if (!file) return;
    this.openFiles.set(file, doc.uri);
    this.justOpened = doc;
    this.inputs++;
    this.requestAnalysis(0);
  }

  documentChanged(doc: TextDocument): void {
    if (this.justOpened === doc) {
      this.justOpened = undefined;
      return;
    }
    const file = uriToFile(doc.uri);
    if (!file) return;
    this.inputs++;
    this.requestAnalysis(this.folders.debounceFor(file));
  }

  documentClosed(doc: TextDocument): void {
    const file = uriToFile(doc.uri);
    if (!file) return;
    this.openFiles.delete(file);
    this.hold([file]);
    void this.enqueue('close', async () => {
      try {
        // The buffer may have had unsaved edits: the disk copy is the truth again.
        await this.indexer.documentClosed(file);
        this.inputs++;
        this.analyzeNow(true);
      } finally {
        this.release([file]);
      }
    });
  }

  private hold(files: readonly string[]): void {
    for (const f of files) this.pending.set(f, (this.pending.get(f) ?? 0) + 1);
  }

  private release(files: readonly string[]): void {
    for (const f of files) {
      const n = (this.pending.get(f) ?? 1) - 1;
      if (n <= 0) this.pending.delete(f);
      else this.pending.set(f, n);
    }
  }

  isOpen(file: string): boolean {
    return this.openFiles.has(file);
  }

  /**
   * Whether the snapshot still describes `file` exactly, so offsets computed then are valid now: an open
   * document must be at the version the analysis saw, and no event may have touched the file since.
   */
  isCurrent(file: string): boolean {
    const snap = this.snapshot;
    if (!snap || this.pending.has(file)) return false;
    const uri = this.openFiles.get(file);
    if (uri === undefined) return true;
    const doc = this.documents.get(uri);
    return doc !== undefined && snap.versions.get(uri) === doc.version;
  }

  editOptions(snap: Snapshot): EditOptions {
    return {
      documentChanges: this.support.documentChanges,
      createFiles: this.support.createFiles,
      versionOf: (uri) => snap.versions.get(uri) ?? null,
      hasFile: (file) => snap.hasFile(file),
    };
  }

  // ---- analysis ----------------------------------------------------------------------------------

  /** Schedules an analysis after `delayMs`, replacing one already scheduled (the debounce). */
  requestAnalysis(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.analysisQueued) return;
      this.analysisQueued = true;
      void this.enqueue('analysis', () => {
        this.analysisQueued = false;
        this.analyzeNow(false);
      });
    }, delayMs);
  }

  /** Runs `task` after every task queued before it; errors are logged, never thrown at the caller. */
  enqueue(name: string, task: () => Promise<void> | void): Promise<void> {
    const run = this.queue.then(task).catch((e) => this.error(`${name} failed`, e));
    this.queue = run;
    return run;
  }

  /** Hands open documents to the engine, analyses, publishes. Only ever called from a queued task. */
  analyzeNow(force: boolean): void {
    if (!force && this.analysedInputs === this.inputs) return;
    this.analysedInputs = this.inputs;
    const started = Date.now();
    const versions = new Map<string, number>();
    for (const doc of this.documents.all()) {
      const file = uriToFile(doc.uri);
      if (!file || !this.openFiles.has(file)) continue;
      if (!this.folders.acceptsOpenFile(file)) {
        this.indexer.remove(file);
        continue;
      }
      this.indexer.setText(file, doc.getText());
      versions.set(doc.uri, doc.version);
    }
    const texts = this.analyzer.textsSnapshot();
    let result;
    try {
      result = this.analyzer.analyze(this.folders.engineSettings());
    } catch (e) {
      // The engine promises not to throw; if it does anyway, keep serving the previous snapshot.
      this.error('analysis failed', e);
      return;
    }
    const findings = applyFolderRules(
      result.findings,
      (f) => this.folders.folderOf(f),
      this.folders.list().some((f) => Object.keys(f.settings.rules).length > 0),
    );
    // Not `{ ...result, findings }`: spreading would build the flat resource list, which nothing here needs.
    const analysed = result;
    const snap = new Snapshot(
      {
        findings,
        paths: analysed.paths,
        get resources() {
          return analysed.resources;
        },
        stats: analysed.stats,
        securityGroups: analysed.securityGroups,
        lookup: analysed.lookup,
      },
      texts,
      versions,
      this.uriOf,
    );
    this.snapshot = snap;
    const s = result.stats;
    const t = this.analyzer.timings();
    const detail = t ? `: ${t.rootsResolved}/${t.roots} roots resolved in ${t.resolveMs} ms, ${t.componentsEvaluated}/${t.components} components evaluated in ${t.graphMs} ms` : '';
    this.log(
      `analysis: ${Date.now() - started} ms (analyze ${s.analyzeMs.toFixed(0)} ms${detail}), ${texts.size} files, ${t?.resources ?? '?'} resources, ${result.paths.length} paths, ${findings.length} findings`,
    );
    this.publishDiagnostics(snap);
    this.publishStatus(snap);
  }

  /**
   * Publishes diagnostics for every analysed file with findings (open or not), an empty list for files
   * whose findings are gone, and each open document's state with the version it was computed for. Only
   * what changed since the last publish is sent.
   */
  private publishDiagnostics(snap: Snapshot): void {
    const next = new Map<string, Published>();
    const send = (uri: string, version: number | undefined, file: string | undefined, findings: readonly Finding[]) => {
      const prev = this.published.get(uri);
      const text = file === undefined ? undefined : snap.texts.get(file);
      // The engine hands back the very same finding objects for what an edit did not touch, so in a large
      // workspace most files are skipped here without converting or comparing their diagnostics.
      if (prev && prev.version === version && prev.text === text && sameItems(prev.findings, findings)) {
        next.set(uri, prev);
        return;
      }
      const diagnostics: Diagnostic[] = findings.map((f) => toDiagnostic(snap, f));
      const key = JSON.stringify([version ?? null, diagnostics]);
      next.set(uri, { key, version, text, findings });
      if (prev?.key === key) return;
      void this.connection.sendDiagnostics({ uri, version, diagnostics }).catch((e) => this.error('publishDiagnostics failed', e));
    };
    for (const file of snap.filesWithFindings()) {
      const uri = snap.uri(file);
      send(uri, snap.versions.get(uri), file, snap.findings(file));
    }
    // Open documents are reported even without findings, so a client knows which version was checked.
    for (const [uri, version] of snap.versions) {
      if (!next.has(uri)) send(uri, version, undefined, []);
    }
    for (const uri of this.published.keys()) {
      if (!next.has(uri)) {
        void this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch((e) => this.error('publishDiagnostics failed', e));
      }
    }
    this.published = next;
  }

  private publishStatus(snap: Snapshot): void {
    // The engine counts the files it actually analysed: other YAML and JSON in the workspace do not count.
    const status: StatusParams = { open: 0, blocked: 0, unknown: 0, files: snap.result.stats.files };
    for (const p of snap.result.paths) status[p.verdict]++;
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification(StatusNotification.type, status).catch((e) => this.error('status notification failed', e));
  }
}

/** What was published for a URI: the diagnostics as JSON, and what they were computed from. */
interface Published {
  key: string;
  version: number | undefined;
  text: string | undefined;
  findings: readonly Finding[];
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * How long the server waits for the client to answer one of its own requests. Analysis runs in one queue, so
 * a client that never answers (a Neovim handler that returns nil sends no response) must not stall it.
 */
const CLIENT_REPLY_MS = 10_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
