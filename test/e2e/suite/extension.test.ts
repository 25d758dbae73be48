/**
 * The extension as VS Code runs it: activation on the example workspace, diagnostics from the language
 * server reaching `vscode.languages` for files that are open and files that are not, the hover and
 * code-action providers, a quick fix applied through `vscode.workspace.applyEdit`, and the Show path
 * command opening its webview. mocha, tdd interface (@vscode/test-cli's default).
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import {
  allTabs,
  describeDiagnostics,
  describeTabs,
  EXTENSION_ID,
  fileIn,
  hoverText,
  isCodeAction,
  positionOf,
  ruleOf,
  waitFor,
  waitForDiagnostics,
} from './helpers';

const CONSUMER_TF = 'terraform/consumer/main.tf';
const PROVIDER_TF = 'terraform/provider/main.tf';
const CONSUMER_CFN = 'cloudformation/consumer.yaml';
/** The resource PL002 is reported on in CONSUMER_TF: the endpoint's security group has no ingress rule. */
const ENDPOINT_SG = 'resource "aws_security_group" "endpoint"';

suite('PrivateLink Lens in the extension host', () => {
  let doc: vscode.TextDocument;
  let pl002: vscode.Diagnostic;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded; loaded: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
    await ext.activate();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('activates on the workspace and registers its commands', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext?.isActive, 'the extension is active');
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['privatelinkLens.showPath', 'privatelinkLens.reanalyze']) assert.ok(commands.includes(c), `command ${c} is registered`);
  });

  test('reports findings in files that were never opened', async () => {
    for (const [file, rule] of [
      [CONSUMER_CFN, 'PL001'],
      [PROVIDER_TF, 'PL025'],
    ] as const) {
      const uri = fileIn(file);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), `${file} is not open`);
      const found = await waitForDiagnostics(uri, rule, (ds) => ds.find((d) => ruleOf(d) === rule));
      assert.equal(found.severity, vscode.DiagnosticSeverity.Error, `${rule} in ${file} is an error`);
    }
  });

  test('reports PL002 on the endpoint security group of an open file', async () => {
    const uri = fileIn(CONSUMER_TF);
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const line = positionOf(doc, ENDPOINT_SG).line;
    pl002 = await waitForDiagnostics(uri, `PL002 on line ${line + 1}`, (ds) => ds.find((d) => ruleOf(d) === 'PL002' && d.range.start.line === line));
    assert.equal(pl002.severity, vscode.DiagnosticSeverity.Error);
    assert.match(pl002.message, /aws_security_group\.endpoint/);
    assert.match(pl002.message, /aws_instance\.client/);
  });

  test('the hover on the finding names the resource and the rule', async () => {
    assert.ok(doc && pl002, 'needs the PL002 test before it');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pl002.range.start);
    const text = hoverText(hovers);
    assert.match(text, /`aws_security_group\.endpoint`/, `hover text:\n${text}`);
    assert.match(text, /PL002/, `hover text:\n${text}`);
  });

  test('Show PrivateLink path opens the path view for the resource', async () => {
    assert.ok(doc && pl002, 'needs the PL002 test before it');
    const isPathView = (t: vscode.Tab) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('privatelinkLens.paths');
    assert.ok(!allTabs().some(isPathView), 'no path view before the command');
    await vscode.commands.executeCommand('privatelinkLens.showPath', { uri: doc.uri.toString(), position: { line: pl002.range.start.line, character: pl002.range.start.character } });
    // The panel is titled after what it shows once the server has answered the paths request.
    const tab = await waitFor(
      'the path view titled after aws_security_group.endpoint',
      () => allTabs().find((t) => isPathView(t) && t.label.includes('aws_security_group.endpoint')),
      [vscode.window.tabGroups.onDidChangeTabs],
      describeTabs,
    );
    assert.match(tab.label, /PrivateLink path/);
    await vscode.window.tabGroups.close(tab);
  });

  test('the quick fix edits this file and applying it clears PL002', async () => {
    assert.ok(doc && pl002, 'needs the PL002 test before it');
    const uri = doc.uri;
    const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, pl002.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a): a is vscode.CodeAction => isCodeAction(a) && /^Allow TCP 443 from aws_security_group\.client in aws_security_group\.endpoint/.test(a.title));
    assert.ok(fix, `a quick fix that admits the client; offered: ${JSON.stringify(titles)}`);
    assert.ok(fix.edit, 'the fix carries its edit');
    const edited = fix.edit.entries().map(([u]) => vscode.workspace.asRelativePath(u));
    assert.deepEqual(edited, [vscode.workspace.asRelativePath(uri)], 'the fix edits the file with the finding, and only it');

    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit succeeds');
    assert.match(doc.getText(), /resource "aws_vpc_security_group_ingress_rule" "[^"]+" \{[^}]*security_group_id\s*=\s*aws_security_group\.endpoint\.id/);
    await waitForDiagnostics(uri, 'PL002 to be gone after the fix', (ds) => !ds.some((d) => ruleOf(d) === 'PL002'));
    assert.deepEqual(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => vscode.workspace.asRelativePath(d.uri)), [vscode.workspace.asRelativePath(uri)], 'no other file was changed');

    // Reverting the unsaved edit brings the finding back: the server follows the editor both ways.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.ok(!doc.isDirty, 'reverted');
    await waitForDiagnostics(uri, 'PL002 back after the revert', (ds) => ds.some((d) => ruleOf(d) === 'PL002'));
    assert.ok(describeDiagnostics(uri).includes('PL002'));
  });
});
