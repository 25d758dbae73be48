/**
 * A worker thread that reads files and does the per-file part of the analysis (parsing, reading
 * CloudFormation templates) for the thread that owns the Analyzer; see readerPool.ts. Bundled on its own
 * as dist/reader.js. It only reads and computes: every decision about the files stays with the owner.
 */
import { parentPort } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { parseFile } from '../engine';
import { readTextFileSync } from './files';
import type { ReaderReply, ReaderRequest, ReadOutcome } from './readerPool';

const port = parentPort;
if (!port) throw new Error('reader.js runs as a worker thread');

port.on('message', (req: ReaderRequest) => {
  const results: ReadOutcome[] = req.files.map((file) => {
    const r = readTextFileSync(file);
    if (r.kind !== 'text') return { file, read: r };
    try {
      return { file, read: r, hash: createHash('sha1').update(r.text).digest('hex'), parsed: parseFile(file, r.text) };
    } catch {
      // parseFile does not throw; if it ever does, the owner parses the file itself.
      return { file, read: r };
    }
  });
  const reply: ReaderReply = { id: req.id, results };
  port.postMessage(reply);
});
