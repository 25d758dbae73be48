/**
 * The path page in a real browser: page.ts bundled as the build bundles it, served on loopback inside the
 * very HTML and Content-Security-Policy the panel uses, driven in Debian's Chromium with a fake
 * `acquireVsCodeApi` that records what the page posts. Screenshots of a dark and a light theme go to
 * test-results/ to be looked at.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { pageHtml } from '../../client/src/webview/html';
import { pathToMermaid, pathToText } from '../../client/src/webview/pathText';
import type { HostMessage, PageMessage } from '../../client/src/webview/protocol';
import { BLOCKED_PATH, PL002_FIX, PL002_MESSAGE, UNKNOWN_PATH, XSS, XSS_MERMAID, XSS_PATH, XSS_SCRIPT } from './fixture';

const CHROMIUM = '/usr/bin/chromium';
const WAIT_MS = 15_000;

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !readFileSync(join(dir, 'package.json'), 'utf8').includes('"name": "privatelink-lens"')) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
    dir = up;
  }
  return dir;
}

// Colours of VS Code's Dark Modern and Light Modern themes, as VS Code sets them on the webview's <html>.
const THEMES: Record<'dark' | 'light', Record<string, string>> = {
  dark: {
    'vscode-foreground': '#cccccc',
    'vscode-editor-background': '#1f1f1f',
    'vscode-editorWidget-background': '#252526',
    'vscode-widget-border': '#3c3c3c',
    'vscode-panel-border': '#2b2b2b',
    'vscode-descriptionForeground': '#9d9d9d',
    'vscode-errorForeground': '#f85149',
    'vscode-testing-iconPassed': '#73c991',
    'vscode-testing-iconFailed': '#f14c4c',
    'vscode-editorWarning-foreground': '#cca700',
    'vscode-textLink-foreground': '#4daafc',
    'vscode-button-background': '#0078d4',
    'vscode-button-foreground': '#ffffff',
    'vscode-button-hoverBackground': '#026ec1',
    'vscode-button-secondaryBackground': '#313131',
    'vscode-button-secondaryForeground': '#cccccc',
    'vscode-button-secondaryHoverBackground': '#3c3c3c',
    'vscode-button-border': 'rgba(255, 255, 255, 0.07)',
    'vscode-focusBorder': '#0078d4',
    'vscode-list-hoverBackground': '#2a2d2e',
    'vscode-list-activeSelectionBackground': '#04395e',
    'vscode-list-activeSelectionForeground': '#ffffff',
    'vscode-sideBar-background': '#181818',
    'vscode-textCodeBlock-background': '#2b2b2b',
    'vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    'vscode-font-size': '13px',
    'vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  },
  light: {
    'vscode-foreground': '#3b3b3b',
    'vscode-editor-background': '#ffffff',
    'vscode-editorWidget-background': '#f8f8f8',
    'vscode-widget-border': '#d4d4d4',
    'vscode-panel-border': '#e5e5e5',
    'vscode-descriptionForeground': '#6e6e6e',
    'vscode-errorForeground': '#f85149',
    'vscode-testing-iconPassed': '#388a34',
    'vscode-testing-iconFailed': '#e51400',
    'vscode-editorWarning-foreground': '#bf8803',
    'vscode-textLink-foreground': '#005fb8',
    'vscode-button-background': '#005fb8',
    'vscode-button-foreground': '#ffffff',
    'vscode-button-hoverBackground': '#0258a8',
    'vscode-button-secondaryBackground': '#e5e5e5',
    'vscode-button-secondaryForeground': '#3b3b3b',
    'vscode-button-secondaryHoverBackground': '#cccccc',
    'vscode-button-border': 'rgba(0, 0, 0, 0.1)',
    'vscode-focusBorder': '#005fb8',
    'vscode-list-hoverBackground': '#f2f2f2',
    'vscode-list-activeSelectionBackground': '#e8e8e8',
    'vscode-list-activeSelectionForeground': '#000000',
    'vscode-sideBar-background': '#f8f8f8',
    'vscode-textCodeBlock-background': '#f3f3f3',
    'vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    'vscode-font-size': '13px',
    'vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  },
};

type Recorder = Window & {
  __posted: PageMessage[];
  __violations: string[];
  __pwned?: unknown;
};

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the page tests`;
if (skip) console.log(`# webview page tests skipped: ${skip}`);

describe('path page in Chromium', { skip }, () => {
  let browser: Browser;
  let server: Server;
  let url = '';
  const requests: string[] = [];
  const results = join(repoRoot(), 'test-results');

  before(async () => {
    // The same esbuild options as the webview target of scripts/build.mjs.
    const bundle = await esbuild.build({
      entryPoints: [join(repoRoot(), 'client/src/webview/page.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      write: false,
      logLevel: 'warning',
    });
    const script = bundle.outputFiles[0].text;
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const origin = `http://${req.headers.host}`;
      if (req.url === '/') {
        // A fresh nonce per load, as the panel makes one per page.
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(pageHtml({ nonce: randomBytes(16).toString('base64'), scriptUri: `${origin}/webview.js`, cspSource: origin }));
      } else if (req.url === '/webview.js') {
        res.setHeader('content-type', 'text/javascript; charset=utf-8');
        res.end(script);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { chromium } = await import('playwright-core');
    // Playwright gives every launch a fresh, temporary profile of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    mkdirSync(results, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    // Nothing but the page and its one script was ever asked for: no CDN, no image, no remote content.
    assert.deepEqual([...new Set(requests.filter((r) => r !== '/favicon.ico'))].sort(), ['/', '/webview.js']);
  });

  /** A fresh page with the fake VS Code API, in a theme, with every error, dialog and CSP violation recorded. */
  async function openPage(theme: 'dark' | 'light'): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.addInitScript(() => {
      const w = window as unknown as Recorder & { acquireVsCodeApi: () => unknown };
      w.__posted = [];
      w.__violations = [];
      let state: unknown;
      w.acquireVsCodeApi = () => ({
        postMessage: (m: PageMessage) => w.__posted.push(JSON.parse(JSON.stringify(m)) as PageMessage),
        getState: () => state,
        setState: (s: unknown) => {
          state = s;
        },
      });
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as Recorder).__posted.some((m) => m.type === 'ready'), undefined, { timeout: WAIT_MS });
    await page.evaluate(
      ({ vars, dark }) => {
        for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(`--${k}`, v);
        document.body.classList.add(dark ? 'vscode-dark' : 'vscode-light');
      },
      { vars: THEMES[theme], dark: theme === 'dark' },
    );
    return { page, problems };
  }

  async function send(page: Page, message: HostMessage | { type: 'notice'; text: string }): Promise<void> {
    await page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  /** Sends paths and waits until the ELK drawing of the selected path is on the page. */
  async function showPaths(page: Page, message: HostMessage): Promise<void> {
    await page.evaluate(() => document.querySelector('.canvas')?.removeAttribute('data-drawn'));
    await send(page, message);
    await page.waitForSelector('.canvas[data-drawn="true"]', { timeout: WAIT_MS });
  }

  async function posted(page: Page): Promise<PageMessage[]> {
    return page.evaluate(() => (window as unknown as Recorder).__posted);
  }

  async function assertClean(page: Page, problems: string[]): Promise<void> {
    assert.deepEqual(problems, [], 'no page errors, dialogs or console errors');
    assert.deepEqual(await page.evaluate(() => (window as unknown as Recorder).__violations), [], 'no CSP violations: no eval, no inline script or style needed');
  }

  const PATHS: HostMessage = { type: 'paths', title: 'PrivateLink paths: aws_vpc_endpoint.api', paths: [BLOCKED_PATH, UNKNOWN_PATH], scope: 'position', focus: 'aws_vpc_endpoint.api' };

  test('hops are drawn left to right in order, each with its verdict word and icon, grouped by scope and VPC', async () => {
    const { page, problems } = await openPage('dark');
    try {
      await showPaths(page, PATHS);
      assert.equal(await page.textContent('#heading'), 'PrivateLink paths: aws_vpc_endpoint.api');
      assert.equal(await page.textContent('#status'), '2 paths through aws_vpc_endpoint.api: 0 open, 1 blocked, 1 unknown.');
      const cards = await page.$$eval('.card', (els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return {
            hop: e.getAttribute('data-hop'),
            kind: e.querySelector('.kind')?.textContent,
            label: e.querySelector('.label')?.textContent,
            verdict: e.querySelector('.verdict')?.getAttribute('data-verdict'),
            word: e.querySelector('.verdict .word')?.textContent,
            icon: e.querySelectorAll('.verdict svg path, .verdict svg circle').length,
            ports: e.querySelector('.ports')?.textContent,
            x: r.x,
            width: r.width,
          };
        }),
      );
      assert.deepEqual(
        cards.map((c) => c.label),
        BLOCKED_PATH.hops.map((h) => h.label),
        'the blocked path is shown first, its hops in order',
      );
      assert.deepEqual(
        cards.map((c) => c.kind),
        ['Client', 'Client security group', 'Endpoint security group', 'Interface endpoint', 'Endpoint service', 'Load balancer security group', 'Network Load Balancer', 'Listener', 'Target group', 'Target security group', 'Target'],
      );
      assert.deepEqual(
        cards.map((c) => c.word),
        BLOCKED_PATH.hops.map((h) => ({ open: 'Open', blocked: 'Blocked', unknown: 'Unknown' })[h.verdict]),
      );
      for (const c of cards) assert.ok(c.icon >= 2, `hop ${c.hop} has a drawn icon`);
      assert.equal(cards[2].verdict, 'blocked');
      assert.equal(cards[5].ports, 'in TCP 443, out TCP 8443, health checks TCP 8080');
      for (let i = 1; i < cards.length; i++) assert.ok(cards[i].x >= cards[i - 1].x + cards[i - 1].width, `hop ${i} is right of hop ${i - 1}`);

      // Icons differ by shape, not only by colour.
      const shapes = await page.$$eval('.card .verdict svg', (els) => [...new Set(els.map((e) => e.innerHTML))].length);
      assert.equal(shapes, 2, 'open and blocked icons are different drawings');

      const groups = await page.$$eval('g.group', (els) => els.map((e) => ({ cls: e.getAttribute('class'), title: e.querySelector('text')?.textContent })));
      assert.deepEqual(
        groups.map((g) => g.title).sort(),
        ['VPC aws_vpc.consumer', 'VPC aws_vpc.provider', 'terraform/consumer · aws.consumer', 'terraform/provider · aws.provider'],
      );
      // Each card lies inside the box of its VPC.
      const inside = await page.$$eval('.canvas svg', ([root]) => {
        const boxes = Array.from(root.querySelectorAll('g.group.vpc rect')).map((r) => r.getBoundingClientRect());
        return Array.from(root.querySelectorAll('foreignObject')).map((fo) => {
          const c = fo.getBoundingClientRect();
          return boxes.some((b) => b.left <= c.left && c.right <= b.right && b.top <= c.top && c.bottom <= b.bottom);
        });
      });
      assert.deepEqual(inside, [true, true, true, true, false, true, true, true, true, true, true], 'every hop but the endpoint service is in a VPC box');
      assert.equal(await page.isVisible('.layout-note'), false, 'ELK laid the path out (no fallback)');
      await assertClean(page, problems);

      await page.screenshot({ path: join(results, 'webview.png'), fullPage: true });
      await page.click('.tool[data-focus-key="tool:fit"]');
      await page.waitForSelector('.canvas.fit[data-drawn="true"]');
      await page.screenshot({ path: join(results, 'webview-fit.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test('a blocked hop shows its finding and fix buttons; clicks post fix, open and copy messages', async () => {
    const { page, problems } = await openPage('light');
    try {
      await showPaths(page, PATHS);
      const blocked = page.locator('.card[data-hop="2"]');
      assert.equal(await blocked.getAttribute('data-verdict'), 'blocked');
      assert.equal(await blocked.locator('.reason .rule').first().textContent(), 'PL002');
      assert.equal(await blocked.locator('.reason .message').first().textContent(), PL002_MESSAGE);
      const fixes = blocked.locator('button.fix');
      assert.equal(await fixes.count(), 2);
      assert.equal(await fixes.first().textContent(), `Fix: ${PL002_FIX}`, 'the preferred fix comes first');

      await fixes.first().click();
      await fixes.nth(1).click();
      await blocked.locator('button.goto').click();
      await blocked.locator('button.head').click();
      await page.click('button[data-copy="text"]');
      await page.click('button[data-copy="mermaid"]');
      const id = BLOCKED_PATH.id;
      assert.deepEqual((await posted(page)).slice(-6), [
        { type: 'applyFix', pathId: id, hopIndex: 2, reasonIndex: 0, fixIndex: 0 },
        { type: 'applyFix', pathId: id, hopIndex: 2, reasonIndex: 0, fixIndex: 1 },
        { type: 'openFinding', pathId: id, hopIndex: 2, reasonIndex: 0 },
        { type: 'openHop', pathId: id, hopIndex: 2 },
        { type: 'copy', pathId: id, format: 'text' },
        { type: 'copy', pathId: id, format: 'mermaid' },
      ]);

      // The text version is the same path, line by line, and is what "Copy as text" copies.
      assert.equal(await page.textContent('#path-text'), pathToText(BLOCKED_PATH, 0, 2));
      assert.match((await page.textContent('#path-text')) ?? '', /^3\. \[BLOCKED\] Endpoint security group: aws_security_group\.endpoint$/m);
      assert.equal(await page.textContent('#path-mermaid'), pathToMermaid(BLOCKED_PATH));

      await send(page, { type: 'notice', text: 'Copied the path as Mermaid.' });
      await page.waitForFunction(() => document.getElementById('notice')?.textContent === 'Copied the path as Mermaid.');
      await page.screenshot({ path: join(results, 'webview-light.png'), fullPage: true });
      await assertClean(page, problems);
    } finally {
      await page.close();
    }
  });

  test('the user switches between paths; the choice survives a live update', async () => {
    const { page, problems } = await openPage('dark');
    try {
      await showPaths(page, PATHS);
      const tabs = page.locator('[role="tab"]');
      assert.equal(await tabs.count(), 2);
      assert.equal(await tabs.first().getAttribute('aria-selected'), 'true');
      await tabs.nth(1).click();
      await page.waitForSelector('.canvas[data-drawn="true"][data-path-id]');
      await page.waitForFunction((id) => document.querySelector('.canvas')?.getAttribute('data-path-id') === id, UNKNOWN_PATH.id);
      assert.equal(await tabs.nth(1).getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator('.card').last().locator('.label').textContent(), 'aws_instance.api[1]');
      assert.equal(await page.locator('.card[data-hop="9"]').getAttribute('data-verdict'), 'unknown');
      assert.equal(await page.locator('.card[data-hop="9"] .rule').textContent(), 'PL035');
      assert.equal(await page.locator('.card[data-hop="9"] button.fix').count(), 0, 'no fix for an undecidable hop');
      await page.click('.tool[data-focus-key="tool:fit"]');
      await page.screenshot({ path: join(results, 'webview-unknown.png') });
      await page.click('.tool[data-focus-key="tool:fit"]');

      // A live refresh with identical data redraws nothing; changed data redraws the same chosen path.
      await page.evaluate(() => document.querySelector('.canvas')?.setAttribute('data-marker', 'kept'));
      await send(page, PATHS);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
      assert.equal(await page.locator('.canvas').getAttribute('data-marker'), 'kept', 'an identical update is not redrawn');
      const updated: HostMessage = { ...PATHS, paths: [BLOCKED_PATH, { ...UNKNOWN_PATH, hops: UNKNOWN_PATH.hops.map((h) => (h.kind === 'target' ? { ...h, label: 'aws_instance.api["b"]' } : h)) }] };
      await showPaths(page, updated);
      assert.equal(await page.locator('.card').last().locator('.label').textContent(), 'aws_instance.api["b"]');
      assert.equal(await tabs.nth(1).getAttribute('aria-selected'), 'true', 'still the second path');

      // Keyboard: the arrow keys move between tabs (one tab stop for the list).
      await tabs.nth(1).focus();
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction((id) => document.querySelector('.canvas')?.getAttribute('data-path-id') === id, BLOCKED_PATH.id);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-0', 'focus follows the selected tab');
      await assertClean(page, problems);
    } finally {
      await page.close();
    }
  });

  test('names from the files are shown as text and run nothing (XSS)', async () => {
    const { page, problems } = await openPage('dark');
    try {
      await showPaths(page, { type: 'paths', title: `PrivateLink paths: ${XSS}`, paths: [XSS_PATH], scope: 'position', focus: XSS });
      assert.equal(await page.evaluate(() => document.querySelectorAll('img, script:not([src]), iframe, object, embed').length), 0, 'no element made from a name');
      assert.equal(await page.evaluate(() => document.querySelectorAll('script').length), 1, 'only the page script');
      assert.equal(await page.evaluate(() => (window as unknown as Recorder).__pwned), undefined, 'no injected script ran');
      assert.equal(await page.textContent('#heading'), `PrivateLink paths: ${XSS}`);
      assert.equal(await page.locator('.card[data-hop="0"] .label').textContent(), XSS);
      assert.equal(await page.locator('.card[data-hop="0"] .ports').textContent(), XSS);
      assert.equal(await page.locator('.card[data-hop="1"] .label').textContent(), `${XSS_SCRIPT} second line`, 'a line break in a name becomes a space');
      assert.equal(await page.locator('.card[data-hop="1"] button.fix').textContent(), `Fix: Fix ${XSS_SCRIPT}`);
      assert.equal(await page.locator('.card[data-hop="2"] .label').textContent(), XSS_MERMAID);
      const titles = await page.$$eval('g.group > text', (els) => els.map((e) => e.textContent));
      assert.ok(titles.includes(`${XSS_SCRIPT} · aws`) && titles.includes(`VPC ${XSS}`), `group titles as text: ${JSON.stringify(titles)}`);

      // The text version keeps the names verbatim (it is text); the Mermaid source encodes every character
      // that could end a label or reach Mermaid's HTML.
      const text = (await page.textContent('#path-text')) ?? '';
      assert.ok(text.includes(`1. [OPEN] Client: ${XSS}`), text);
      assert.ok(!text.split('\n').some((l) => l.startsWith('second line')), 'no line forged by a line break in a name');
      const mermaid = (await page.textContent('#path-mermaid')) ?? '';
      assert.equal(mermaid, pathToMermaid(XSS_PATH));
      assert.ok(!/<img|<script|onerror="/.test(mermaid.replace(/<br\/>/g, '')), `no markup from names in the Mermaid source:\n${mermaid}`);
      assert.ok(mermaid.includes('#60;img src=x onerror=#34;window.__pwned=1#34;#62;'), mermaid);
      assert.ok(mermaid.includes('a#34;#93; --#62; evil#91;#34;x#34; #35;quot; #96;md#96; #124; #93;'), mermaid);
      for (const line of mermaid.split('\n').filter((l) => l.includes('["'))) {
        assert.match(line, /^\s*(h\d+|g\d+)\["[^"]*"\]$|^\s*subgraph g\d+\["[^"]*"\]$/, `one quoted label per line: ${line}`);
      }

      // Clicking still posts indexes and the path id as data, nothing else.
      await page.locator('.card[data-hop="1"] button.fix').click();
      assert.deepEqual((await posted(page)).at(-1), { type: 'applyFix', pathId: XSS_PATH.id, hopIndex: 1, reasonIndex: 0, fixIndex: 0 });
      await page.screenshot({ path: join(results, 'webview-xss.png'), fullPage: true });
      assert.equal(await page.evaluate(() => (window as unknown as Recorder).__pwned), undefined);
      await assertClean(page, problems);
    } finally {
      await page.close();
    }
  });

  test('empty, loading and error states, and a state restored after the panel is hidden', async () => {
    const { page, problems } = await openPage('light');
    try {
      await send(page, { type: 'loading', title: 'PrivateLink paths: main.tf:3' });
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Analysing\u2026');
      assert.equal(await page.getAttribute('#root', 'aria-busy'), 'true');
      await send(page, { type: 'paths', title: 'PrivateLink paths: aws_lb.x', paths: [], scope: 'position', focus: 'aws_lb.x' });
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'No PrivateLink path goes through aws_lb.x.');
      await send(page, { type: 'error', title: 'PrivateLink paths', message: 'The server could not list the paths: boom' });
      await page.waitForFunction(() => document.querySelector('#status.error')?.textContent === 'The server could not list the paths: boom');
      await assertClean(page, problems);
    } finally {
      await page.close();
    }
  });
});
