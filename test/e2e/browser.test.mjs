// Browser checks of the packaged extension in code-server, driven with playwright-core and Debian's
// Chromium: what a user sees. The .vsix that `npm run package` built is installed the way a user installs
// it (`code-server --install-extension`), code-server serves a copy of examples/ on 127.0.0.1, and the
// checks go through the UI only: the PL002 squiggle is drawn, the Problems panel lists it, the hover shows
// it, Show PrivateLink path renders the path view (webview), and the quick fix chosen from the light-bulb
// menu fixes the file on disk and clears the finding everywhere. Screenshots go to test-results/e2e/.
//
// Run by `npm run test:e2e` (node --test). Skips with the reason printed when code-server, Chromium or the
// .vsix cannot be had, except with CI set, where that is a failure.
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { installExtension, launchChromium, scratch, startCodeServer } from '../../scripts/e2e/codeServer.mjs';
import { EXTENSION_ID, inCI, missingTools, RESULTS, ROOT, VSIX } from '../../scripts/e2e/tools.mjs';

const UI_WAIT_MS = 30_000;
const CONSUMER_TF = 'terraform/consumer/main.tf';
const PROVIDER_TF = 'terraform/provider/main.tf';
const ENDPOINT_SG = 'resource "aws_security_group" "endpoint"';
const FIX_TITLE = /Allow TCP 443 from aws_security_group\.client in aws_security_group\.endpoint/;

const missing = [...missingTools(), ...(existsSync(VSIX) ? [] : [`${VSIX} does not exist (npm run build && npm run package)`])];
if (missing.length > 0 && inCI()) throw new Error(`browser checks cannot run, and CI is set so they may not skip: ${missing.join('; ')}`);
const skip = missing.length > 0 ? `browser checks skipped: ${missing.join('; ')}` : false;
if (skip) console.log(`SKIP: ${skip}`);

describe('PrivateLink Lens in code-server, in Chromium', { skip }, () => {
  let dir; // scratch folder: workspace copy, profile, extensions
  let workspace;
  let server;
  let chromium;
  let page;

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    const s = scratch('browser');
    dir = s.dir;
    workspace = join(dir, 'workspace');
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    const extensionsDir = join(dir, 'extensions');
    const userDataDir = join(dir, 'user-data');
    const t0 = Date.now();
    installExtension(VSIX, extensionsDir, userDataDir);
    const installed = JSON.parse(readFileSync(join(extensionsDir, 'extensions.json'), 'utf8'));
    assert.ok(installed.some((e) => e.identifier?.id === EXTENSION_ID), `${EXTENSION_ID} is installed from the .vsix`);
    console.log(`installed ${VSIX} in ${Date.now() - t0} ms`);
    server = await startCodeServer({
      extensionsDir,
      userDataDir,
      logFile: join(RESULTS, 'code-server-browser.log'),
      logsTo: join(RESULTS, 'vscode-logs-browser'),
      settings: {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.ignoreRecommendations': true,
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        'editor.minimap.enabled': false,
        'editor.hover.delay': 200,
        'files.autoSave': 'off',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
    });
    console.log(`code-server on ${server.url} (process group ${server.pgid})`);
    chromium = await launchChromium();
    page = await chromium.browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(UI_WAIT_MS);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor();
  });

  after(async () => {
    await chromium?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a step; on failure saves a screenshot named after it, then fails. */
  async function step(name, fn) {
    try {
      await fn();
    } catch (err) {
      await page?.screenshot({ path: join(RESULTS, `failure-${name}.png`) }).catch(() => {});
      throw err;
    }
  }

  const shot = (name) => page.screenshot({ path: join(RESULTS, `${name}.png`) });
  const squiggles = () => page.locator('.monaco-editor .squiggly-error');
  const problemRows = () => page.locator('.markers-panel .monaco-list-row');

  async function openFile(relative) {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(relative);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: relative.split('/').pop() }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: relative.split('/').pop() }).waitFor();
  }

  /** Scrolls the active editor to the 1-based `line` (Go to Line), leaving the caret there. */
  async function goToLine(line) {
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(String(line));
    // Enter only once the widget has taken the number in (it offers to go there).
    await page.locator('.quick-input-list .monaco-list-row', { hasText: `line ${line}` }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The 1-based line of `needle` in a workspace file. */
  function lineOf(relative, needle) {
    const lines = readFileSync(join(workspace, relative), 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes(needle));
    assert.ok(i >= 0, `${needle} is in ${relative}`);
    return i + 1;
  }

  /** Moves the caret onto the PL002 squiggle (a click there), and returns the squiggle's box. */
  async function clickSquiggle() {
    const box = await squiggles().first().boundingBox();
    assert.ok(box, 'the squiggle has a box on screen');
    await page.mouse.click(box.x + Math.min(8, box.width / 2), box.y + box.height / 2);
    return box;
  }

  test('the PL002 squiggle is drawn in the open file', () =>
    step('squiggle', async () => {
      await openFile(CONSUMER_TF);
      await goToLine(lineOf(CONSUMER_TF, ENDPOINT_SG));
      await squiggles().first().waitFor();
      assert.equal(await squiggles().count(), 1, 'one error in the consumer file: PL002');
      await shot('squiggle');
    }));

  test('the Problems panel lists PL002', () =>
    step('problems', async () => {
      await page.keyboard.press('Control+Shift+M');
      const row = problemRows().filter({ hasText: 'PL002' }).first();
      await row.waitFor();
      assert.match(await row.innerText(), /aws_security_group\.endpoint does not admit client aws_instance\.client on TCP 443/);
      await shot('problems');
    }));

  test('hovering the squiggle shows the finding', () =>
    step('hover', async () => {
      const box = await squiggles().first().boundingBox();
      assert.ok(box);
      // Two moves: the editor computes hovers on mouse movement inside the text.
      await page.mouse.move(box.x + box.width / 2 - 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      // The extension's own hover (markdown from the server), not only VS Code's rendering of the
      // diagnostic under the mouse, which would show the message without the extension's hover provider.
      const hover = page.locator('.monaco-hover .markdown-hover', { hasText: 'PL002' }).first();
      await hover.waitFor();
      await hover.locator('code', { hasText: 'aws_security_group.endpoint' }).first().waitFor();
      assert.match(await hover.innerText(), /aws_security_group\.endpoint/);
      await shot('hover');
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
    }));

  test('Show PrivateLink path renders the path view', () =>
    step('path-view', async () => {
      await clickSquiggle();
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await page.keyboard.type('Show PrivateLink path');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show PrivateLink path' }).first().waitFor();
      await page.keyboard.press('Enter');
      const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      // Stable things only (the page's layout is being worked on): the hops of the path by name, and the
      // blocked verdict with the rule that blocks it.
      const body = view.locator('body');
      for (const hop of ['aws_instance.client', 'aws_security_group.endpoint', 'aws_vpc_endpoint.api']) {
        await view.locator('body', { hasText: hop }).waitFor();
      }
      await view.locator('body', { hasText: /blocked/i }).waitFor();
      await view.locator('body', { hasText: 'PL002' }).waitFor();
      assert.match(await body.innerText(), /blocked/i);
      await shot('path-view');
    }));

  test('the quick fix from the light-bulb menu fixes the file and clears PL002', () =>
    step('quick-fix', async () => {
      const before = { provider: readFileSync(join(workspace, PROVIDER_TF), 'utf8') };
      await clickSquiggle();
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget').first();
      await menu.waitFor();
      const item = menu.locator('.monaco-list-row', { hasText: FIX_TITLE }).first();
      await item.waitFor();
      await shot('quick-fix-menu');
      await item.click();
      await menu.waitFor({ state: 'hidden' });
      // The finding goes away in the Problems panel and in the editor...
      await problemRows().filter({ hasText: 'PL002' }).first().waitFor({ state: 'detached' });
      await squiggles().first().waitFor({ state: 'detached' });
      // ...and in the path view, which follows edits.
      const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await view.locator('body', { hasText: 'PL002' }).waitFor({ state: 'detached' });
      await view.locator('body', { hasText: 'aws_security_group.endpoint' }).waitFor();
      await shot('quick-fix-applied');
      // Saved, the fix is on disk in this file, and no other file changed.
      await page.locator('.tab', { hasText: 'main.tf' }).first().click();
      await page.keyboard.press('Control+S');
      await page.locator('.tab.dirty').first().waitFor({ state: 'detached' });
      assert.equal(await squiggles().count(), 0, 'no error left in the consumer file');
      const consumer = readFileSync(join(workspace, CONSUMER_TF), 'utf8');
      assert.match(consumer, /resource "aws_vpc_security_group_ingress_rule" "[^"]+" \{[^}]*security_group_id\s*=\s*aws_security_group\.endpoint\.id/);
      assert.equal(readFileSync(join(workspace, PROVIDER_TF), 'utf8'), before.provider, 'the provider file is untouched');
    }));
});
