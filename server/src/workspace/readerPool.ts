/**
 * Reading and parsing a large workspace on worker threads. Reading 10,000 files and parsing them is most
 * of what indexing costs besides resolving modules, and it needs nothing from the Analyzer, so workers do
 * it (dist/reader.js, see readerWorker.ts) while the thread that owns the Analyzer takes the results, in
 * order, and resolves what is complete. Without the reader bundle (the engine tests run from sources) or
 * when a worker fails, the caller reads the rest itself: the pool is only ever a faster way to the same
 * result.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { ParsedFile } from '../engine';
import type { ReadResult } from './files';

export interface ReaderRequest {
  id: number;
  files: string[];
}

export interface ReadOutcome {
  file: string;
  read: ReadResult;
  /** sha1 of the text, for the content cache. */
  hash?: string;
  /** `parseFile(file, text)`; absent when the worker could not compute it. */
  parsed?: ParsedFile;
}

export interface ReaderReply {
  id: number;
  results: ReadOutcome[];
}

/** Files per message: large enough that messaging costs nothing, small enough to keep every worker busy. */
const BATCH = 48;
/** Requests in flight per worker, so a worker never waits for the owner to send the next one. */
const IN_FLIGHT = 2;
/** Idle workers are stopped after this long: they hold memory, and the next large read is rare. */
const IDLE_MS = 10_000;

/** The reader bundle beside the running bundle (dist/reader.js), if there is one. */
export function readerScript(): string | undefined {
  const p = join(__dirname, 'reader.js');
  return existsSync(p) ? p : undefined;
}

/**
 * How many reader threads: one per core besides the owner's (which resolves modules meanwhile), at most
 * four; at least one.
 */
export function readerCount(): number {
  return Math.max(1, Math.min(4, cpus().length - 1));
}

export class ReaderPool {
  private workers: Worker[] = [];
  private nextId = 1;
  private idle: NodeJS.Timeout | undefined;
  private failed = false;

  constructor(
    private readonly script: string,
    private readonly size: number,
    private readonly log: (msg: string) => void,
  ) {}

  /**
   * Reads and parses `files` on the workers and hands the outcomes to `onBatch` in the order of `files`.
   * Resolves with how many files (from the start of `files`) were handed over: all of them, or fewer when
   * the workers failed, in which case the caller reads the rest itself.
   */
  read(files: readonly string[], onBatch: (outcomes: ReadOutcome[]) => void): Promise<number> {
    if (this.failed || files.length === 0) return Promise.resolve(0);
    if (this.idle) clearTimeout(this.idle);
    const workers = this.start();
    const batches: string[][] = [];
    for (let i = 0; i < files.length; i += BATCH) batches.push(files.slice(i, i + BATCH));
    const base = this.nextId;
    this.nextId += batches.length;
    return new Promise<number>((resolve) => {
      const done = new Map<number, ReadOutcome[]>();
      let sent = 0;
      let applied = 0;
      let handed = 0;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        for (const w of workers) {
          w.off('message', onMessage);
          w.off('error', onFailure);
          w.off('exit', onExit);
        }
        this.idle = setTimeout(() => this.stop(), IDLE_MS);
        this.idle.unref();
        resolve(handed);
      };
      const send = (w: Worker) => {
        if (sent >= batches.length) return;
        const req: ReaderRequest = { id: base + sent, files: batches[sent] };
        sent++;
        w.postMessage(req);
      };
      const onMessage = function (this: Worker, reply: ReaderReply) {
        const i = reply.id - base;
        if (i < 0 || i >= batches.length || finished) return;
        done.set(i, reply.results);
        send(this);
        while (done.has(applied)) {
          const outcomes = done.get(applied)!;
          done.delete(applied);
          applied++;
          handed += outcomes.length;
          onBatch(outcomes);
        }
        if (applied === batches.length) finish();
      };
      const onFailure = (e: unknown) => {
        this.log(`reader thread failed, reading on the main thread instead: ${e instanceof Error ? e.message : String(e)}`);
        this.failed = true;
        this.stop();
        finish();
      };
      const onExit = (code: number) => onFailure(new Error(`exited with code ${code}`));
      for (const w of workers) {
        w.on('message', onMessage);
        w.on('error', onFailure);
        w.on('exit', onExit);
        for (let k = 0; k < IN_FLIGHT; k++) send(w);
      }
    });
  }

  private start(): Worker[] {
    while (this.workers.length < this.size) {
      const w = new Worker(this.script);
      // A pool waiting for work must not keep a CLI or a test process alive.
      w.unref();
      this.workers.push(w);
    }
    return this.workers;
  }

  /** Stops the workers (they are started again by the next read). */
  stop(): void {
    if (this.idle) clearTimeout(this.idle);
    const ws = this.workers;
    this.workers = [];
    for (const w of ws) {
      w.removeAllListeners('exit');
      void w.terminate();
    }
  }
}
