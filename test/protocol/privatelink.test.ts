/**
 * The PrivateLink features over the protocol, on a two-folder workspace: a consumer (application, endpoint
 * SG, interface endpoint) and a provider (NLB, listener, target group, target, endpoint service). The
 * endpoint SG admits 443 only from the provider's CIDR, not from the application: PL002 on that SG.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  CodeActionRequest,
  CodeLensRequest,
  DefinitionRequest,
  DiagnosticSeverity,
  HoverRequest,
  MarkupContent,
  type CodeAction,
  type Diagnostic,
  type Location,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { PathsRequest, type HopKind } from '../../server/src/shared/protocol';
import { applyWorkspaceEdit, copyFixtures, lineOf, Server, uriOf } from './harness';

const HOP_ORDER: HopKind[] = ['client', 'clientSg', 'endpointSg', 'endpoint', 'endpointService', 'nlbSg', 'nlb', 'listener', 'targetGroup', 'targetSg', 'target'];

interface Workspace {
  server: Server;
  consumer: string;
  provider: string;
  consumerText: string;
  providerText: string;
}

/** Starts a server on a fresh copy of both folders, runs `body`, and always stops and cleans up. */
async function withWorkspace(settings: unknown, body: (w: Workspace) => Promise<void>): Promise<void> {
  const ws = copyFixtures('consumer', 'provider');
  const consumer = join(ws.dir('consumer'), 'main.tf');
  const provider = join(ws.dir('provider'), 'main.tf');
  const server = await Server.start({ folders: [ws.dir('consumer'), ws.dir('provider')], settings });
  try {
    await body({ server, consumer, provider, consumerText: readFileSync(consumer, 'utf8'), providerText: readFileSync(provider, 'utf8') });
  } finally {
    await server.stop();
    ws.cleanup();
  }
}

const pl002 = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'PL002');

/** The line range of a Terraform block, from its header to its closing brace at column 0. */
function blockLines(text: string, header: string): { start: number; end: number } {
  const lines = text.split('\n');
  const start = lineOf(text, header);
  const end = lines.findIndex((l, i) => i > start && l === '}');
  return { start, end };
}

/** A position on the block's name label (inside the resource, on its first line). */
function onResource(text: string, header: string): Position {
  const line = lineOf(text, header);
  return { line, character: text.split('\n')[line].lastIndexOf('"') - 1 };
}

test('PL002 is reported on the endpoint security group of a file nobody opened', () =>
  withWorkspace({}, async ({ server, consumer, consumerText }) => {
    const published = await server.waitForDiagnostics(uriOf(consumer), (ds) => pl002(ds).length > 0, 'PL002');
    const d = pl002(published.diagnostics)[0];
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.source, 'privatelink-lens');
    assert.equal(d.codeDescription?.href, 'https://github.com/privatelink-lens/privatelink-lens/blob/main/docs/rules/PL002.md');
    const sg = blockLines(consumerText, 'resource "aws_security_group" "endpoint"');
    assert.ok(d.range.start.line >= sg.start && d.range.end.line <= sg.end, `PL002 lies in the endpoint SG (lines ${sg.start}-${sg.end}): ${JSON.stringify(d.range)}`);
    for (const r of d.relatedInformation ?? []) {
      assert.ok(r.location.uri.startsWith('file://'), 'related locations are file URIs');
    }
  }));

test('hover on a resource names it and shows its PrivateLink path; hover on PL002 explains the finding', () =>
  withWorkspace({}, async ({ server, consumer, consumerText }) => {
    const uri = uriOf(consumer);
    const published = await server.waitForDiagnostics(uri, (ds) => pl002(ds).length > 0, 'PL002');
    const onEndpoint = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: onResource(consumerText, 'resource "aws_vpc_endpoint" "orders"') });
    assert.ok(onEndpoint && MarkupContent.is(onEndpoint.contents), 'a markdown hover');
    const text = (onEndpoint.contents as MarkupContent).value;
    assert.match(text, /aws_vpc_endpoint\.orders/);
    assert.match(text, /blocked/);
    assert.match(text, /\(command:privatelinkLens\.showPath\?/);

    const onFinding = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: pl002(published.diagnostics)[0].range.start });
    assert.ok(onFinding && MarkupContent.is(onFinding.contents));
    assert.match((onFinding.contents as MarkupContent).value, /PL002/);
    assert.match((onFinding.contents as MarkupContent).value, /\*Why:\* The endpoint.s security group must admit/);

    const nothing = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.equal(nothing, null, 'a comment outside any resource has no hover');
  }));

test('the PL002 quick fix, applied and re-analysed, clears PL002; an ignore comment is offered too', () =>
  withWorkspace({}, async ({ server, consumer }) => {
    const doc = await server.open(consumer);
    const first = await server.waitForDiagnostics(doc.uri, (ds, p) => p.version === 1 && pl002(ds).length > 0, 'PL002 for version 1');
    const diagnostic = pl002(first.diagnostics)[0];
    const actions = (await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: doc.uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: [CodeActionKind.QuickFix] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.kind === CodeActionKind.QuickFix && a.isPreferred && a.edit && a.diagnostics?.some((d) => d.code === 'PL002'));
    assert.ok(fix, `a preferred quick fix for PL002 among: ${actions.map((a) => a.title).join(' | ')}`);

    const ignore = actions.find((a) => a.title === 'Ignore PL002 here');
    assert.ok(ignore?.edit, 'an ignore action');
    const ignored = applyWorkspaceEdit(ignore.edit, () => doc.text).get(doc.uri) as string;
    const commentLine = ignored.split('\n')[diagnostic.range.start.line];
    const findingLine = doc.text.split('\n')[diagnostic.range.start.line];
    assert.match(commentLine, /^\s*# privatelink-lens-ignore PL002 \S/);
    assert.equal(/^\s*/.exec(commentLine)?.[0], /^\s*/.exec(findingLine)?.[0], 'the comment is indented like the line it precedes');

    // Apply the fix as an editor would: to this document and any other file it touches, then send the text.
    const edited = applyWorkspaceEdit(fix.edit as NonNullable<CodeAction['edit']>, (u) => (u === doc.uri ? doc.text : readFileSync(fileURLToPath(u), 'utf8')));
    let version = 1;
    for (const [u, text] of edited) {
      if (u === doc.uri) version = await server.change(u, text);
      else await server.open(fileURLToPath(u), text);
    }
    assert.ok(version > 1, 'the fix edits the document the finding is in');
    await server.waitForDiagnostics(doc.uri, (ds, p) => p.version === version && pl002(ds).length === 0, `no PL002 for version ${version}`);
  }));

test('code actions computed for an older version of the document are refused', () =>
  // A long debounce keeps the edit below from being analysed while the request is made.
  withWorkspace({ debounceMs: 10000 }, async ({ server, consumer }) => {
    const doc = await server.open(consumer);
    const first = await server.waitForDiagnostics(doc.uri, (ds, p) => p.version === 1 && pl002(ds).length > 0, 'PL002 for version 1');
    const diagnostic = pl002(first.diagnostics)[0];
    const request = () =>
      server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: doc.uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }) as Promise<CodeAction[]>;
    assert.ok((await request()).length > 0, 'actions while the document is at the analysed version');
    await server.edit(doc.uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# a new first line\n' }]);
    assert.deepEqual(await request(), [], 'no actions for a document edited since the analysis');
  }));

test('privatelinkLens/paths returns the path through the endpoint, hop kinds in order', () =>
  withWorkspace({}, async ({ server, consumer, consumerText }) => {
    const uri = uriOf(consumer);
    await server.waitForDiagnostics(uri, (ds) => pl002(ds).length > 0, 'PL002');
    const result = await server.connection.sendRequest(PathsRequest.type, { textDocument: { uri }, position: onResource(consumerText, 'resource "aws_vpc_endpoint" "orders"') });
    assert.equal(result.paths.length, 1, `one path: ${JSON.stringify(result.paths.map((p) => p.id))}`);
    const path = result.paths[0];
    assert.equal(path.verdict, 'blocked');
    const kinds = path.hops.map((h) => h.kind);
    for (const k of ['client', 'endpointSg', 'endpoint', 'endpointService', 'nlb', 'listener', 'targetGroup', 'target'] as HopKind[]) {
      assert.ok(kinds.includes(k), `hop ${k} in ${kinds.join(' → ')}`);
    }
    const order = kinds.map((k) => HOP_ORDER.indexOf(k));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `hops from client to target: ${kinds.join(' → ')}`);
    assert.equal(path.hops.find((h) => h.kind === 'endpointSg')?.verdict, 'blocked');
    const endpoint = path.hops.find((h) => h.kind === 'endpoint');
    assert.equal(endpoint?.location?.uri, uri, 'hop locations are converted to URIs');

    const workspace = await server.connection.sendRequest(PathsRequest.type, {});
    assert.equal(workspace.paths.length, 1, 'without a document: every path');
  }));

test('a CodeLens above the endpoint counts its paths', () =>
  withWorkspace({}, async ({ server, consumer, consumerText }) => {
    const uri = uriOf(consumer);
    await server.waitForDiagnostics(uri, (ds) => pl002(ds).length > 0, 'PL002');
    const lenses = (await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    const line = lineOf(consumerText, 'resource "aws_vpc_endpoint" "orders"');
    const lens = lenses.find((l) => l.range.start.line === line);
    assert.ok(lens, `a lens on line ${line} among ${JSON.stringify(lenses.map((l) => [l.range.start.line, l.command?.title]))}`);
    assert.equal(lens.command?.title, 'PrivateLink: 1 path blocked');
    assert.equal(lens.command?.command, 'privatelinkLens.showPath');
    assert.deepEqual(lens.command?.arguments, [{ uri, position: { line, character: 0 } }]);
  }));

test("definition on the endpoint's service_name goes to the endpoint service in the other folder", () =>
  withWorkspace({}, async ({ server, consumer, provider, consumerText, providerText }) => {
    const uri = uriOf(consumer);
    await server.waitForDiagnostics(uri, (ds) => pl002(ds).length > 0, 'PL002');
    const line = lineOf(consumerText, 'service_name        = "com.amazonaws.vpce');
    const character = consumerText.split('\n')[line].indexOf('vpce-svc');
    const result = (await server.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line, character } })) as Location[] | null;
    assert.ok(result && result.length === 1, `one location: ${JSON.stringify(result)}`);
    assert.equal(result[0].uri, uriOf(provider));
    assert.equal(result[0].range.start.line, lineOf(providerText, 'resource "aws_vpc_endpoint_service" "orders"'));

    // The link comment that declares the connection leads there too.
    const linkLine = lineOf(consumerText, '# privatelink-lens: service = ');
    const viaLink = (await server.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri },
      position: { line: linkLine, character: consumerText.split('\n')[linkLine].indexOf('#aws_vpc_endpoint_service') + 3 },
    })) as Location[] | null;
    assert.deepEqual(viaLink, result);

    // A plain reference works as well: the endpoint SG in security_group_ids.
    const sgLine = lineOf(consumerText, 'security_group_ids  = [aws_security_group.endpoint.id]');
    const sgChar = consumerText.split('\n')[sgLine].indexOf('aws_security_group.endpoint') + 5;
    const sg = (await server.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: sgLine, character: sgChar } })) as Location[] | null;
    assert.equal(sg?.[0]?.range.start.line, lineOf(consumerText, 'resource "aws_security_group" "endpoint"'));
  }));

test('settings: turning PL002 off removes it, per folder, and turning it back on restores it', () =>
  withWorkspace({}, async ({ server, consumer }) => {
    const uri = uriOf(consumer);
    await server.waitForDiagnostics(uri, (ds) => pl002(ds).length > 0, 'PL002');
    // Only the consumer folder turns the rule off, as a multi-root workspace can.
    await server.changeSettings((scope: string | undefined) => (scope !== undefined && uri.startsWith(`${scope}/`) ? { rules: { PL002: 'off' } } : {}));
    await server.waitForDiagnostics(uri, (ds) => pl002(ds).length === 0, 'PL002 gone');
    await server.changeSettings({ rules: { PL002: 'warning' } });
    const back = await server.waitForDiagnostics(uri, (ds) => pl002(ds).length > 0, 'PL002 back');
    assert.equal(pl002(back.diagnostics)[0].severity, DiagnosticSeverity.Warning, 'the configured severity wins');
  }));

test('editing the provider file updates the diagnostics of the consumer file that depends on it', () =>
  withWorkspace({}, async ({ server, consumer, provider, providerText }) => {
    const consumerUri = uriOf(consumer);
    await server.waitForDiagnostics(consumerUri, (ds) => pl002(ds).length === 1 && /TCP 443/.test(pl002(ds)[0].message), 'PL002 on 443');
    const { uri } = await server.open(provider, providerText);
    // The listener moves to 8443: the consumer's finding follows the provider's port.
    const moved = providerText.replace(/(resource "aws_lb_listener"[\s\S]*?port\s*=\s*)443/, '$18443');
    assert.notEqual(moved, providerText, 'the fixture has a listener on 443');
    await server.change(uri, moved);
    await server.waitForDiagnostics(consumerUri, (ds) => pl002(ds).length === 1 && /TCP 8443/.test(pl002(ds)[0].message), 'PL002 on 8443');
    // Without a load balancer behind the service there is no port to check: the finding goes away.
    await server.change(uri, moved.replace(/network_load_balancer_arns\s*=\s*\[[^\]]*\]/, 'network_load_balancer_arns = []'));
    await server.waitForDiagnostics(consumerUri, (ds) => pl002(ds).length === 0, 'no PL002');
  }));

test('hover on a security group lists its effective rules; the other hops of its path link to their files', () =>
  withWorkspace({}, async ({ server, consumer, consumerText }) => {
    const uri = uriOf(consumer);
    await server.waitForDiagnostics(uri, (ds) => pl002(ds).length > 0, 'PL002');
    const h = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: onResource(consumerText, 'resource "aws_security_group" "endpoint"') });
    assert.ok(h && MarkupContent.is(h.contents));
    const text = (h.contents as MarkupContent).value;
    assert.match(text, /Effective ingress:\n- TCP 443 from 10\.20\.0\.0\/16/);
    assert.match(text, /Effective egress:\n- none: Terraform removes the default allow-all egress/);
    assert.match(text, /\[NLB\]\(file:\/\/[^)]*provider\/main\.tf#L\d+\)/, 'the NLB hop links into the provider folder');
  }));
