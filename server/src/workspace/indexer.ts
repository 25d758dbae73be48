/**
 * Keeps the analyzer's set of files in step with the disk and the open documents. Open documents win:
 * while a file is open its buffer is the truth and disk events for it are ignored; when it closes, the disk
 * copy is read again. Every text goes through the content cache, so the engine re-parses only what changed.
 */
import type { Analyzer } from '../engine';
import { ContentCache, discoverFiles, isDirectory, readTextFile, relativeTo } from './files';
import type { Folder, WorkspaceFolders } from './folders';

/** How many files are read concurrently: enough to hide disk latency, few enough not to exhaust descriptors. */
const READ_BATCH = 32;

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

  constructor(
    private readonly analyzer: Analyzer,
    private readonly folders: WorkspaceFolders,
    private readonly isOpen: (file: string) => boolean,
    private readonly log: (msg: string) => void,
  ) {}

  /** Hands a text to the analyzer unless it already has exactly this text. True when something changed. */
  setText(file: string, text: string): boolean {
    if (!this.cache.update(file, text) && this.analyzer.hasFile(file)) return false;
    this.analyzer.setFile(file, text);
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
    await this.readAll(first, stats, total, options.progress);
    if (first.length > 0 && rest.length > 0) options.afterPriority?.(rest.length);
    await this.readAll(rest, stats, total, options.progress);
    if (options.reread) {
      // Whatever the analyzer holds below these folders that is neither on disk nor open is gone.
      for (const f of this.analyzer.files()) {
        if (found.has(f) || this.isOpen(f)) continue;
        if (folders.some((folder) => relativeTo(folder.path, f) !== undefined) && this.remove(f)) stats.removed++;
      }
    }
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

  private async readAll(files: readonly string[], stats: IndexStats, total: number, progress?: IndexProgress): Promise<void> {
    for (let i = 0; i < files.length; i += READ_BATCH) {
      const batch = files.slice(i, i + READ_BATCH);
      const results = await Promise.all(batch.map((f) => readTextFile(f)));
      batch.forEach((file, j) => {
        const r = results[j];
        // The document may have been opened while we were reading; its buffer wins.
        if (this.isOpen(file)) return;
        if (r.kind === 'text') {
          stats.read++;
          stats.bytes += r.bytes;
          if (this.setText(file, r.text)) stats.changed++;
        } else {
          stats.skipped++;
          if (r.kind === 'tooLarge') this.log(`skipped ${file}: ${(r.bytes / 1048576).toFixed(1)} MB is above the 5 MB limit`);
          else if (r.kind === 'error') this.log(`cannot read ${file}: ${r.message}`);
          if (this.remove(file)) stats.removed++;
        }
      });
      progress?.report(stats.read + stats.skipped, total);
    }
  }
}
