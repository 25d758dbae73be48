/**
 * `privatelinkLens/paths` as the path view uses it: the finding and fix titles on a blocked hop (and that
 * the fix is the one `textDocument/codeAction` applies, refused for a stale document), grouping by
 * account scope and VPC, ports per hop, and following a resource by key across an edit that moves it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CodeActionKind, CodeActionRequest, type CodeAction } from 'vscode-languageserver-protocol/node';
import { PathsRequest, type HopInfo, type PathInfo } from '../../server/src/shared/protocol';
import { copyFixtures, lineOf, Server, uriOf } from './harness';

async function withWorkspace(settings: unknown, body: (server: Server, consumer: string) => Promise<void>): Promise<void> {
  const ws = copyFixtures('consumer', 'provider');
  const server = await Server.start({ folders: [ws.dir('consumer'), ws.dir('provider')], settings });
  try {
    await body(server, join(ws.dir('consumer'), 'main.tf'));
  } finally {
    await server.stop();
    ws.cleanup();
  }
}

function hop(path: PathInfo, kind: HopInfo['kind']): HopInfo {
  const h = path.hops.find((x) => x.kind === kind);
  assert.ok(h, `hop ${kind} in ${path.hops.map((x) => x.kind).join(' → ')}`);
  return h;
}

test('the blocked hop carries its finding and fix titles, and the fix is the one the code action applies', () =>
  withWorkspace({}, async (server, consumer) => {
    const uri = uriOf(consumer);
    await server.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'PL002'), 'PL002');
    const { paths } = await server.connection.sendRequest(PathsRequest.type, {});
    assert.equal(paths.length, 1);
    const endpointSg = hop(paths[0], 'endpointSg');
    assert.equal(endpointSg.verdict, 'blocked');
    const reason = endpointSg.reasons.find((r) => r.ruleId === 'PL002');
    assert.ok(reason?.finding, `PL002 has its finding: ${JSON.stringify(endpointSg.reasons)}`);
    assert.equal(reason.finding.location.uri, uri);
    assert.equal(reason.finding.message, reason.message, 'a path rule reports the hop reason word for word');
    assert.ok(reason.finding.fixes.length > 0, 'at least one fix');
    const preferred = reason.finding.fixes.find((f) => f.preferred);
    assert.ok(preferred, `a preferred fix among ${JSON.stringify(reason.finding.fixes)}`);

    // What the view does on "Fix": ask for the quick fixes at the finding and take the one with that title.
    const doc = await server.open(consumer);
    await server.waitForDiagnostics(doc.uri, (ds, p) => p.version === 1, 'diagnostics for version 1');
    const ask = () =>
      server.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: doc.uri },
        range: reason.finding!.location.range,
        context: { diagnostics: [], only: [CodeActionKind.QuickFix] },
      }) as Promise<CodeAction[]>;
    const actions = await ask();
    const action = actions.find((a) => a.title === preferred.title);
    assert.ok(action?.edit, `the code action "${preferred.title}" among ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(action.diagnostics?.some((d) => d.code === 'PL002' && d.message === reason.finding!.message));
  }));

test('a fix listed by the paths request is refused by the code action once the document changed', () =>
  // A long debounce keeps the edit from being analysed while the code action is asked for.
  withWorkspace({ debounceMs: 10000 }, async (server, consumer) => {
    const doc = await server.open(consumer);
    await server.waitForDiagnostics(doc.uri, (ds, p) => p.version === 1 && ds.some((d) => d.code === 'PL002'), 'PL002 for version 1');
    const { paths } = await server.connection.sendRequest(PathsRequest.type, {});
    const finding = hop(paths[0], 'endpointSg').reasons.find((r) => r.ruleId === 'PL002')?.finding;
    assert.ok(finding && finding.fixes.length > 0);
    await server.edit(doc.uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# moved\n' }]);
    const actions = (await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: doc.uri },
      range: finding.location.range,
      context: { diagnostics: [] },
    })) as CodeAction[];
    assert.deepEqual(
      actions.filter((a) => finding.fixes.some((f) => f.title === a.title)),
      [],
      'no fix for a document edited since the analysis',
    );
  }));

test('hops are grouped by root module and provider, and by VPC; ports are given per hop', () =>
  withWorkspace({}, async (server, consumer) => {
    await server.waitForDiagnostics(uriOf(consumer), (ds) => ds.some((d) => d.code === 'PL002'), 'PL002');
    const { paths } = await server.connection.sendRequest(PathsRequest.type, {});
    const p = paths[0];
    assert.equal(hop(p, 'client').group, 'consumer · aws');
    assert.equal(hop(p, 'client').vpc, 'aws_vpc.consumer', 'an instance is in the VPC of its subnet');
    assert.equal(hop(p, 'endpointSg').vpc, 'aws_vpc.consumer');
    assert.equal(hop(p, 'endpoint').vpc, 'aws_vpc.consumer');
    assert.equal(hop(p, 'endpointService').group, 'provider · aws');
    assert.equal(hop(p, 'endpointService').vpc, undefined, 'an endpoint service is in no VPC');
    for (const kind of ['nlbSg', 'nlb', 'listener', 'targetGroup', 'targetSg', 'target'] as const) {
      assert.equal(hop(p, kind).group, 'provider · aws', `${kind} group`);
      assert.equal(hop(p, kind).vpc, 'aws_vpc.provider', `${kind} VPC`);
    }
    assert.equal(hop(p, 'endpointSg').ports, 'TCP 443');
    assert.equal(hop(p, 'listener').ports, 'TCP 443');
    assert.equal(hop(p, 'nlbSg').ports, 'in TCP 443, out TCP 8443');
    assert.equal(hop(p, 'target').ports, 'TCP 8443');
    for (const h of p.hops) {
      if (h.kind === 'client' || h.kind === 'endpoint' || h.kind === 'nlb') assert.ok(h.resource, `${h.kind} names its resource`);
    }
  }));

test('a resource is followed by key: its paths after an edit moves it, nothing once it is gone', () =>
  withWorkspace({}, async (server, consumer) => {
    const doc = await server.open(consumer);
    await server.waitForDiagnostics(doc.uri, (ds, p) => p.version === 1 && ds.some((d) => d.code === 'PL002'), 'PL002 for version 1');
    const line = lineOf(doc.text, 'resource "aws_vpc_endpoint" "orders"');
    const first = await server.connection.sendRequest(PathsRequest.type, { textDocument: { uri: doc.uri }, position: { line, character: 12 } });
    assert.equal(first.focus?.label, 'aws_vpc_endpoint.orders');
    assert.equal(first.paths.length, 1);
    const key = first.focus.resource;

    const onNothing = await server.connection.sendRequest(PathsRequest.type, { textDocument: { uri: doc.uri }, position: { line: 0, character: 0 } });
    assert.equal(onNothing.focus, undefined, 'a comment is on no resource');

    const moved = `# one\n# two\n${doc.text}`;
    const v2 = await server.change(doc.uri, moved);
    await server.waitForDiagnostics(doc.uri, (_ds, p) => p.version === v2, `diagnostics for version ${v2}`);
    const again = await server.connection.sendRequest(PathsRequest.type, { resource: key });
    assert.equal(again.focus?.label, 'aws_vpc_endpoint.orders');
    assert.equal(again.paths.length, 1);
    assert.equal(hop(again.paths[0], 'endpoint').location?.range.start.line, line + 2, 'the hop location follows the edit');

    const v3 = await server.change(doc.uri, moved.replace('resource "aws_vpc_endpoint" "orders"', 'resource "aws_vpc_endpoint" "renamed"'));
    await server.waitForDiagnostics(doc.uri, (_ds, p) => p.version === v3, `diagnostics for version ${v3}`);
    const gone = await server.connection.sendRequest(PathsRequest.type, { resource: key });
    assert.deepEqual(gone, { paths: [] });
    assert.ok(readFileSync(consumer, 'utf8').includes('"orders"'), 'the file on disk is untouched');
  }));
