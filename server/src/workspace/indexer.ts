/**
 * Keeps the analyzer's set of files in step with the disk and the open documents. Open documents win:
 * while a file is open its buffer is the truth and disk events for it are ignored; when it closes, the disk
 * copy is read again. Every text goes through the content cache, so the engine re-parses only what changed.
 */
import type { Analyzer, ParsedFile } from '../engine';
import { ContentCache, discoverFiles, isDirectory, readTextFile, readTextFileSync, relativeTo, type ReadResult } from './files';
import type { Folder, WorkspaceFolders } from './folders';
import { ReaderPool, readerCount, readerScript } from './readerPool';

/** How many files are read between two turns of the event loop. */
const READ_BATCH = 32;
/**
 * From this many files on, reading and parsing go to worker threads. Below it, reading on this thread is
 * faster: a worker starts with a cold JIT and its results must be copied over, and the analyzer can keep
 * the syntax trees it parsed for the analysis that follows, while from a worker it parses them again. Above
 * it, keeping every tree costs more memory than parsing twice, and resolving modules while the workers
 * read makes up for the copying.
 */
const POOL_MIN = 4000;

export interface IndexProgress {
  report(done: number, total: number): void;
}

export interface IndexStats {
  discovered: number;
  read: number;
  changed: number;
  skipped: number;
  removed: number;
  bytes: number;
  ms: number;
}

export interface FileEvent {
  file: string;
  deleted: boolean;
}

export class Indexer {
  private readonly cache = new ContentCache();
  /** Undefined until first needed; null when there is no reader bundle to run. */
  private pool: ReaderPool | null | undefined;

  constructor(
    private readonly analyzer: Analyzer,
    private readonly folders: WorkspaceFolders,
    private readonly isOpen: (file: string) => boolean,
    private readonly log: (msg: string) => void,
    /** The reader threads: from how many files on, and which bundle (tests point at dist/reader.js). */
    private readonly readers: { minFiles?: number; script?: string } = {},
  ) {}

  /**
   * Hands a text to the analyzer unless it already has exactly this text. True when something changed.
   * `parsed` and `hash`, when a reader thread computed them, save doing it again here.
   */
  setText(file: string, text: string, parsed?: ParsedFile, hash?: string): boolean {
    if (!this.cache.update(file, text, hash) && this.analyzer.hasFile(file)) return false;
    if (parsed) this.analyzer.setParsed(file, text, parsed);
    else this.analyzer.setFile(file, text);
    return true;
  }

  remove(file: string): boolean {
    this.cache.forget(file);
    if (!this.analyzer.hasFile(file)) return false;
    this.analyzer.removeFile(file);
    return true;
  }

  /**
   * Discovers and reads every file of the given folders (all folders when omitted). Files in `priorityDirs`
   * (the directories of open documents) are read first; `afterPriority` runs once they are in, so the
   * caller can analyse what the user is looking at before the rest of a large workspace has been read.
   * With `reread`, files are handed to the engine even when unchanged and files that vanished are dropped.
   */
  async index(options: {
    folders?: readonly Folder[];
    priorityDirs?: readonly string[];
    progress?: IndexProgress;
    afterPriority?: (remaining: number) => void;
    reread?: boolean;
  }): Promise<IndexStats> {
    const started = Date.now();
    const folders = options.folders ?? this.folders.list();
    if (options.reread) this.cache.clear();
    const found = new Set<string>();
    for (const folder of folders) {
      for (const f of await discoverFiles(folder.path, folder.path, folder.excluder, this.log)) {
        // When folders nest, the innermost folder's excludes decide about a file, not the outer walk's.
        if (this.folders.isIndexed(f)) found.add(f);
      }
    }
    const priority = options.priorityDirs ?? [];
    const first: string[] = [];
    const rest: string[] = [];
    for (const f of found) {
      if (this.isOpen(f)) continue;
      (priority.some((d) => relativeTo(d, f) !== undefined) ? first : rest).push(f);
    }
    const stats: IndexStats = { discovered: found.size, read: 0, changed: 0, skipped: 0, removed: 0, bytes: 0, ms: 0 };
    const total = first.length + rest.length;
    // Directories with files still to read: the analyzer resolves the modules of the others meanwhile.
    const unread = new Map<string, number>();
    for (const f of [...first, ...rest]) unread.set(dirOf(f), (unread.get(dirOf(f)) ?? 0) + 1);
    await this.readAll(first, stats, total, options.progress, unread);
    if (first.length > 0 && rest.length > 0) options.afterPriority?.(rest.length);
    await this.readAll(rest, stats, total, options.progress, unread);
    if (options.reread) {
      // Whatever the analyzer holds below these folders that is neither on disk nor open is gone.
      for (const f of this.analyzer.files()) {
        if (found.has(f) || this.isOpen(f)) continue;
        if (folders.some((folder) => relativeTo(folder.path, f) !== undefined) && this.remove(f)) stats.removed++;
      }
    }
    // The reader threads hold memory the analysis that follows can use; a later large read starts them again.
    this.pool?.stop();
    stats.ms = Date.now() - started;
    return stats;
  }

  /** Drops every file of a folder that is no longer part of the workspace (open documents stay). */
  dropFolder(folder: Folder): number {
    let removed = 0;
    for (const f of this.analyzer.files()) {
      if (relativeTo(folder.path, f) === undefined || this.isOpen(f)) continue;
      // Still covered by another (outer) folder: keep it.
      if (this.folders.isIndexed(f)) continue;
      if (this.remove(f)) removed++;
    }
    return removed;
  }

  /**
   * Applies file-watcher events: re-reads created and changed files, drops deleted ones. Events for open
   * files are ignored (the buffer is the truth). A deleted or created directory arrives as one event for
   * the directory, so those are expanded here. True when the analyzer's files changed.
   */
  async applyEvents(events: readonly FileEvent[]): Promise<boolean> {
    let changed = false;
    for (const { file, deleted } of events) {
      if (this.isOpen(file)) continue;
      if (deleted) {
        if (this.remove(file)) changed = true;
        const prefix = `${file}/`;
        for (const f of this.analyzer.files()) {
          if (f.startsWith(prefix) && !this.isOpen(f) && this.remove(f)) changed = true;
        }
        continue;
      }
      if (await isDirectory(file)) {
        const folder = this.folders.folderOf(file);
        if (!folder) continue;
        for (const f of await discoverFiles(folder.path, file, folder.excluder, this.log)) {
          if (!this.isOpen(f) && (await this.readOne(f))) changed = true;
        }
        continue;
      }
      if (!this.folders.isIndexed(file)) {
        // An excluded or irrelevant file: make sure it is not left over from an earlier setting.
        if (this.remove(file)) changed = true;
        continue;
      }
      if (await this.readOne(file)) changed = true;
    }
    return changed;
  }

  /**
   * After a settings change: drops files the new excludes rule out and reads files they no longer rule out.
   */
  async applyExcludes(folders: readonly Folder[]): Promise<IndexStats> {
    let removed = 0;
    for (const f of this.analyzer.files()) {
      if (this.isOpen(f)) continue;
      const folder = this.folders.folderOf(f);
      if (folder && folders.includes(folder) && !this.folders.isIndexed(f) && this.remove(f)) removed++;
    }
    const stats = await this.index({ folders });
    stats.removed += removed;
    return stats;
  }

  /** Reads a file from disk after its document closed, or drops it when it is not part of the workspace. */
  async documentClosed(file: string): Promise<boolean> {
    if (!this.folders.isIndexed(file)) return this.remove(file);
    return this.readOne(file);
  }

  /** Reads one file into the analyzer; a missing file is removed. True when the analyzer's files changed. */
  private async readOne(file: string): Promise<boolean> {
    const r = await readTextFile(file);
    switch (r.kind) {
      case 'text':
        return this.setText(file, r.text);
      case 'tooLarge':
        this.log(`skipped ${file}: ${(r.bytes / 1048576).toFixed(1)} MB is above the 5 MB limit`);
        return this.remove(file);
      case 'error':
        this.log(`cannot read ${file}: ${r.message}`);
        return false;
      default:
        return this.remove(file);
    }
  }

  /**
   * Reads files into the analyzer, in order. Many files go through the reader threads, and while they read
   * ahead this thread resolves the root modules whose directories are complete (`unread` counts what is
   * left per directory); what the threads did not do, or a small number of files, is read here.
   */
  private async readAll(files: readonly string[], stats: IndexStats, total: number, progress?: IndexProgress, unread?: Map<string, number>): Promise<void> {
    const settled = (dir: string) => (unread?.get(dir) ?? 0) === 0;
    const took = (file: string) => {
      const d = dirOf(file);
      unread?.set(d, (unread.get(d) ?? 1) - 1);
    };
    let start = 0;
    const pool = files.length >= (this.readers.minFiles ?? POOL_MIN) ? this.readerPool() : undefined;
    if (pool) {
      start = await pool.read(files, (outcomes) => {
        try {
          for (const o of outcomes) {
            this.take(o.file, o.read, stats, o.parsed, o.hash);
            took(o.file);
          }
          progress?.report(stats.read + stats.skipped, total);
          if (unread) this.analyzer.resolveSettled(settled);
        } catch (e) {
          this.log(`indexing error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
      });
    }
    for (let i = start; i < files.length; i += READ_BATCH) {
      // Synchronous reads cost a fifth of the CPU of a promise per stat, open, read and close, which for a
      // workspace already in the page cache is most of reading; yielding after each batch keeps the
      // server answering requests while it indexes.
      for (const file of files.slice(i, i + READ_BATCH)) {
        this.take(file, readTextFileSync(file), stats);
        took(file);
      }
      progress?.report(stats.read + stats.skipped, total);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** One file read from disk: into the analyzer, or out of it when it cannot be read. */
  private take(file: string, r: ReadResult, stats: IndexStats, parsed?: ParsedFile, hash?: string): void {
    // The document may have been opened while we were reading; its buffer wins.
    if (this.isOpen(file)) return;
    if (r.kind === 'text') {
      stats.read++;
      stats.bytes += r.bytes;
      if (this.setText(file, r.text, parsed, hash)) stats.changed++;
    } else {
      stats.skipped++;
      if (r.kind === 'tooLarge') this.log(`skipped ${file}: ${(r.bytes / 1048576).toFixed(1)} MB is above the 5 MB limit`);
      else if (r.kind === 'error') this.log(`cannot read ${file}: ${r.message}`);
      if (this.remove(file)) stats.removed++;
    }
  }

  private readerPool(): ReaderPool | undefined {
    if (this.pool === undefined) {
      const script = this.readers.script ?? readerScript();
      this.pool = script ? new ReaderPool(script, readerCount(), this.log) : null;
    }
    return this.pool ?? undefined;
  }

  /** Stops the reader threads now rather than when they have been idle a while. */
  dispose(): void {
    this.pool?.stop();
  }
}

/** The folder of an engine path, as the analyzer names folders. */
function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : file.slice(0, i);
}
