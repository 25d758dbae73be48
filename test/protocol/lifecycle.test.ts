/**
 * The server's mechanics, independent of what the engine finds: capabilities, indexing (what is read and
 * what is skipped), progress, settings, file events, the reanalyze command, a clean shutdown. File counts
 * come from the `privatelinkLens/status` notification, which reports how many files the analysis saw.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ExecuteCommandRequest, TextDocumentSyncKind } from 'vscode-languageserver-protocol/node';
import { ServerCommands, StatusNotification, type StatusParams } from '../../server/src/shared/protocol';
import { copyFixtures, FileChangeType, Server, uriOf } from './harness';

/** main.tf, network.tf and stack.yaml; README.md is no candidate. */
const BROKEN_FILES = 3;

function statusWith(server: Server, files: number, after = 0): Promise<StatusParams> {
  return server.waitForNotification<StatusParams>(StatusNotification.method, (s) => s.files === files, { after });
}

test('initialize announces the capabilities the client relies on', async () => {
  const ws = copyFixtures('broken');
  const server = await Server.start({ folders: [ws.dir('broken')] });
  try {
    const caps = server.initializeResult.capabilities;
    const sync = caps.textDocumentSync;
    assert.equal(typeof sync === 'object' ? sync.change : sync, TextDocumentSyncKind.Incremental);
    assert.equal(typeof sync === 'object' ? sync.openClose : undefined, true);
    assert.ok(caps.hoverProvider);
    assert.ok(caps.definitionProvider);
    assert.ok(caps.codeLensProvider);
    const kinds = typeof caps.codeActionProvider === 'object' ? caps.codeActionProvider.codeActionKinds : undefined;
    assert.deepEqual(kinds, ['quickfix', 'source.fixAll.privatelinkLens']);
    assert.deepEqual(caps.executeCommandProvider?.commands, [ServerCommands.reanalyze]);
    assert.equal(caps.workspace?.workspaceFolders?.supported, true);
    assert.equal(caps.workspace?.workspaceFolders?.changeNotifications, true);
  } finally {
    assert.equal(await server.stop(), 0, 'the server exits with 0 after shutdown + exit');
    ws.cleanup();
  }
});

test('indexing reads candidate files only, skips caches, excludes and huge files, and reports progress', async () => {
  const ws = copyFixtures('broken');
  const folder = ws.dir('broken');
  // Written here rather than kept in the fixture: git will not hold a .git folder, and 5 MB has no place in a repository.
  for (const skipped of ['.terraform/modules/vpc', 'node_modules/pkg', '.git/refs', 'generated/deep']) {
    mkdirSync(join(folder, skipped), { recursive: true });
    writeFileSync(join(folder, skipped, 'main.tf'), 'resource "aws_vpc" "x" {\n');
  }
  writeFileSync(join(folder, 'huge.tf'), `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
  const server = await Server.start({ folders: [folder], settings: { exclude: ['generated/**'] } });
  try {
    const status = await statusWith(server, BROKEN_FILES);
    assert.deepEqual({ ...status, files: status.files }, { open: 0, blocked: 0, unknown: 0, files: BROKEN_FILES });
    assert.equal(server.progressTokens.length >= 1, true, 'a work-done progress token was created');
    const token = server.progressTokens[0];
    await server.waitForNotification<{ token: unknown }>('$/progress:begin', (p) => p.token === token);
    await server.waitForNotification<{ token: unknown }>('$/progress:end', (p) => p.token === token);
    assert.ok(
      server.logs.some((l) => /huge\.tf/.test(l) && /5 MB/.test(l)),
      `the skipped large file is logged; log:\n${server.logs.join('\n')}`,
    );
    assert.ok(server.logs.some((l) => /^index: \d+ ms/.test(l)), 'index timing is logged');
    assert.ok(server.logs.some((l) => /^analysis: \d+ ms/.test(l)), 'analysis timing is logged');
    assert.ok(server.registrations.includes('workspace/didChangeConfiguration'));
    assert.ok(server.registrations.includes('workspace/didChangeWatchedFiles'));
  } finally {
    await server.stop();
    ws.cleanup();
  }
});

test('the client without configuration or progress support gets defaults and no progress', async () => {
  const ws = copyFixtures('broken');
  const server = await Server.start({ folders: [ws.dir('broken')], capabilities: { workspace: { workspaceFolders: true } } });
  try {
    await statusWith(server, BROKEN_FILES);
    assert.equal(server.progressTokens.length, 0);
    assert.equal(server.registrations.length, 0);
  } finally {
    await server.stop();
    ws.cleanup();
  }
});

test('watched-file events add and remove files; events for open files are ignored', async () => {
  const ws = copyFixtures('broken');
  const folder = ws.dir('broken');
  const server = await Server.start({ folders: [folder] });
  try {
    await statusWith(server, BROKEN_FILES);
    let mark = server.notifications.length;
    const extra = join(folder, 'extra.tf');
    writeFileSync(extra, 'resource "aws_vpc" "extra" {\n  cidr_block = "10.50.0.0/16"\n}\n');
    await server.fileEvents([{ path: extra, type: FileChangeType.Created }]);
    await statusWith(server, BROKEN_FILES + 1, mark);

    // A file under a skipped directory stays out even when the watcher reports it.
    mkdirSync(join(folder, '.terraform'), { recursive: true });
    writeFileSync(join(folder, '.terraform', 'cached.tf'), 'x');
    const network = join(folder, 'network.tf');
    mark = server.notifications.length;
    rmSync(network);
    await server.fileEvents([
      { path: join(folder, '.terraform', 'cached.tf'), type: FileChangeType.Created },
      { path: network, type: FileChangeType.Deleted },
    ]);
    await statusWith(server, BROKEN_FILES, mark);

    // An open document is not touched by a deletion event: the buffer is what the user sees. The edit
    // after the event is analysed after it (one queue), and its diagnostics say when that has happened.
    const opened = await server.open(extra);
    mark = server.notifications.length;
    rmSync(extra);
    await server.fileEvents([{ path: extra, type: FileChangeType.Deleted }]);
    const v2 = await server.change(opened.uri, `${opened.text}# still here\n`);
    await server.waitForDiagnostics(opened.uri, (_d, p) => p.version === v2, `version ${v2} analysed`);
    assert.equal(
      server.notifications.slice(mark).filter((n) => n.method === StatusNotification.method).length,
      0,
      'the file count did not change',
    );
    // After the close the disk copy is the truth again, and it is gone.
    await server.close(opened.uri);
    await statusWith(server, BROKEN_FILES - 1, mark);
  } finally {
    await server.stop();
    ws.cleanup();
  }
});

test('the reanalyze command re-reads the workspace from disk', async () => {
  const ws = copyFixtures('broken');
  const folder = ws.dir('broken');
  const server = await Server.start({ folders: [folder] });
  try {
    await statusWith(server, BROKEN_FILES);
    // No watcher events: only a full re-read can find these changes.
    let mark = server.notifications.length;
    writeFileSync(join(folder, 'late.tf'), 'resource "aws_vpc" "late" {\n  cidr_block = "10.60.0.0/16"\n}\n');
    await server.connection.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.reanalyze, arguments: [] });
    await statusWith(server, BROKEN_FILES + 1, mark);
    mark = server.notifications.length;
    rmSync(join(folder, 'stack.yaml'));
    rmSync(join(folder, 'late.tf'));
    await server.connection.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.reanalyze, arguments: [] });
    await statusWith(server, BROKEN_FILES - 1, mark);
  } finally {
    await server.stop();
    ws.cleanup();
  }
});

test('a changed exclude setting drops and restores files', async () => {
  const ws = copyFixtures('broken');
  const server = await Server.start({ folders: [ws.dir('broken')] });
  try {
    await statusWith(server, BROKEN_FILES);
    let mark = server.notifications.length;
    await server.changeSettings({ exclude: ['*.yaml'] });
    await statusWith(server, BROKEN_FILES - 1, mark);
    mark = server.notifications.length;
    await server.changeSettings({ exclude: [] });
    await statusWith(server, BROKEN_FILES, mark);
  } finally {
    await server.stop();
    ws.cleanup();
  }
});

test('workspace folders can be added and removed', async () => {
  const ws = copyFixtures('broken', 'consumer');
  const server = await Server.start({ folders: [ws.dir('broken')] });
  try {
    await statusWith(server, BROKEN_FILES);
    let mark = server.notifications.length;
    const consumer = { uri: uriOf(ws.dir('consumer')), name: 'consumer' };
    await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [consumer], removed: [] } });
    await statusWith(server, BROKEN_FILES + 1, mark);
    mark = server.notifications.length;
    await server.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [consumer] } });
    await statusWith(server, BROKEN_FILES, mark);
  } finally {
    await server.stop();
    ws.cleanup();
  }
});
