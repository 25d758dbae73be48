/**
 * Disk access for the workspace: discovering candidate files and reading them. Everything here is about
 * bytes and directories; which files matter and what they mean is decided elsewhere.
 */
import { promises as fs, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isCandidateFile } from '../engine';
import type { Excluder } from './glob';

/** Files larger than this are generated or data, not hand-written infrastructure; reading them would stall the editor. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** The engine names files by absolute path with forward slashes on every platform. */
export function toEnginePath(fsPath: string): string {
  return fsPath.replace(/\\/g, '/');
}

/** `file` relative to `folder` (both engine paths), or undefined when it is not inside it. */
export function relativeTo(folder: string, file: string): string | undefined {
  const base = folder.endsWith('/') ? folder : `${folder}/`;
  return file.startsWith(base) ? file.slice(base.length) : undefined;
}

export type ReadResult =
  | { kind: 'text'; text: string; bytes: number }
  | { kind: 'tooLarge'; bytes: number }
  | { kind: 'missing' }
  | { kind: 'notAFile' }
  | { kind: 'error'; message: string };

export async function readTextFile(file: string): Promise<ReadResult> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return { kind: 'notAFile' };
    if (st.size > MAX_FILE_BYTES) return { kind: 'tooLarge', bytes: st.size };
    let text = await fs.readFile(file, 'utf8');
    // Editors hide a byte-order mark; dropping it keeps offsets on disk and in open documents the same.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { kind: 'text', text, bytes: st.size };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * {@link readTextFile} without the event loop: a fifth of the CPU of a promise per stat, open, read and
 * close. For the reader threads, and for indexing, which yields to the event loop between batches.
 */
export function readTextFileSync(file: string): ReadResult {
  try {
    const st = statSync(file);
    if (!st.isFile()) return { kind: 'notAFile' };
    if (st.size > MAX_FILE_BYTES) return { kind: 'tooLarge', bytes: st.size };
    let text = readFileSync(file, 'utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { kind: 'text', text, bytes: st.size };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Every candidate file below `dir` (engine paths), skipping excluded directories without entering them.
 * `root` is the workspace folder the exclude globs are relative to. Symbolic links to directories are not
 * followed: a link back up the tree would otherwise make the walk endless.
 */
export async function discoverFiles(root: string, dir: string, excluder: Excluder, log: (msg: string) => void): Promise<string[]> {
  const out: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(current, { withFileTypes: true });
    } catch (e) {
      log(`cannot list ${current}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    for (const entry of entries) {
      const full = `${current.endsWith('/') ? current : `${current}/`}${entry.name}`;
      const rel = relativeTo(root, full) ?? entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = await fs.stat(full);
          isFile = st.isFile();
          isDir = false;
        } catch {
          continue;
        }
      }
      if (isDir) {
        if (!excluder.excludesDirectory(rel)) pending.push(full);
      } else if (isFile && isCandidateFile(full) && !excluder.excludesFile(rel)) {
        out.push(full);
      }
    }
  }
  return out.sort();
}

/**
 * Remembers a hash of the text last handed to the analyzer for each file, so re-reading an unchanged file
 * (a save without edits, a watcher event for a touch, a re-index) does not make the engine re-parse it.
 */
export class ContentCache {
  private readonly hashes = new Map<string, string>();

  /** Records `text` for `file` (or its hash, when already computed); true when it differs from before. */
  update(file: string, text: string, hash?: string): boolean {
    const h = hash ?? createHash('sha1').update(text).digest('hex');
    if (this.hashes.get(file) === h) return false;
    this.hashes.set(file, h);
    return true;
  }

  forget(file: string): void {
    this.hashes.delete(file);
  }

  clear(): void {
    this.hashes.clear();
  }
}
