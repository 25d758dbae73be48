/**
 * Diagnostics over the protocol, with syntax errors (the engine's parse-error findings): from files read
 * from disk, from open documents as they are edited, and cleared when a file is fixed or deleted.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DiagnosticSeverity, ExecuteCommandRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { ServerCommands } from '../../server/src/shared/protocol';
import { copyFixtures, FileChangeType, lineOf, Server, uriOf } from './harness';

const parseErrors = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'parse-error');

test('a file never opened gets its parse error from the index, at the right line', async () => {
  const ws = copyFixtures('broken');
  const file = join(ws.dir('broken'), 'main.tf');
  const server = await Server.start({ folders: [ws.dir('broken')] });
  try {
    const published = await server.waitForDiagnostics(uriOf(file), (ds) => parseErrors(ds).length > 0, 'a parse error');
    const d = parseErrors(published.diagnostics)[0];
    assert.equal(d.range.start.line, lineOf(readFileSync(file, 'utf8'), 'from_port = = 443'));
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.source, 'privatelink-lens');
    assert.equal(d.codeDescription, undefined, 'parse errors have no rule page');
    assert.equal(published.version, undefined, 'a file that is not open has no version');
  } finally {
    await server.stop();
    ws.cleanup();
  }
});

test('an open document with a syntax error gets a parse error; fixing it clears it', async () => {
  const ws = copyFixtures('broken');
  const server = await Server.start({ folders: [ws.dir('broken')] });
  try {
    const good = [
      'resource "aws_security_group" "typed" {',
      '  name = "typed"',
      '',
      '  ingress {',
      '    from_port = 443',
      '    to_port   = 443',
      '    protocol  = "tcp"',
      '  }',
      '}',
      '',
    ].join('\n');
    const bad = good.replace('from_port = 443', 'from_port = = 443');
    const doc = await server.open(join(ws.dir('broken'), 'typed.tf'), bad);
    const first = await server.waitForDiagnostics(doc.uri, (ds, p) => p.version === 1 && parseErrors(ds).length > 0, 'a parse error for version 1');
    const d = parseErrors(first.diagnostics)[0];
    assert.equal(d.range.start.line, 4);
    assert.ok(d.range.end.line === 4 || (d.range.end.line === 5 && d.range.end.character === 0), `the error stays on its line: ${JSON.stringify(d.range)}`);
    assert.ok(d.range.start.character >= 'from_port'.length, `the error points past the attribute name: ${JSON.stringify(d.range)}`);

    // The fix arrives as an incremental edit that deletes the second "= ".
    const col = bad.split('\n')[4].indexOf('= =');
    const v2 = await server.edit(doc.uri, [{ range: { start: { line: 4, character: col }, end: { line: 4, character: col + 2 } }, newText: '' }]);
    const second = await server.waitForDiagnostics(doc.uri, (_ds, p) => p.version === v2, `diagnostics for version ${v2}`);
    assert.deepEqual(parseErrors(second.diagnostics), []);
  } finally {
    await server.stop();
    ws.cleanup();
  }
});

test('a deleted file has its diagnostics cleared', async () => {
  const ws = copyFixtures('broken');
  const file = join(ws.dir('broken'), 'main.tf');
  const server = await Server.start({ folders: [ws.dir('broken')] });
  try {
    await server.waitForDiagnostics(uriOf(file), (ds) => parseErrors(ds).length > 0, 'a parse error');
    rmSync(file);
    await server.fileEvents([{ path: file, type: FileChangeType.Deleted }]);
    await server.waitForDiagnostics(uriOf(file), (ds) => ds.length === 0, 'an empty list');
  } finally {
    await server.stop();
    ws.cleanup();
  }
});

test('a file changed on disk is re-read on the watcher event, and on the reanalyze command without one', async () => {
  const ws = copyFixtures('broken');
  const file = join(ws.dir('broken'), 'main.tf');
  const uri = uriOf(file);
  const server = await Server.start({ folders: [ws.dir('broken')] });
  try {
    await server.waitForDiagnostics(uri, (ds) => parseErrors(ds).length > 0, 'a parse error');
    const broken = readFileSync(file, 'utf8');
    writeFileSync(file, broken.replace('= = 443', '= 443'));
    await server.fileEvents([{ path: file, type: FileChangeType.Changed }]);
    await server.waitForDiagnostics(uri, (ds) => parseErrors(ds).length === 0, 'the parse error gone');

    writeFileSync(file, broken);
    await server.connection.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.reanalyze });
    // The command answers after the analysis is published, so the state is already there.
    assert.equal(parseErrors(server.diagnostics.get(uri)?.diagnostics ?? []).length, 1);
  } finally {
    await server.stop();
    ws.cleanup();
  }
});

test('a document opened and closed again falls back to the disk text', async () => {
  const ws = copyFixtures('broken');
  const file = join(ws.dir('broken'), 'network.tf');
  const server = await Server.start({ folders: [ws.dir('broken')] });
  try {
    const doc = await server.open(file, 'resource "aws_vpc" "main" {\n  cidr_block = = "10.30.0.0/16"\n}\n');
    await server.waitForDiagnostics(doc.uri, (ds, p) => p.version === 1 && parseErrors(ds).length > 0, 'the unsaved error');
    // The unsaved edit is discarded with the close: the disk text has no error.
    await server.close(doc.uri);
    await server.waitForDiagnostics(doc.uri, (ds) => ds.length === 0, 'an empty list after the close');
  } finally {
    await server.stop();
    ws.cleanup();
  }
});
