/// <reference lib="dom" />
/**
 * The script of the "PrivateLink path" panel, bundled for the browser into dist/webview.js. It renders
 * what the host posts as an accessible text list. Everything the server sends (labels, messages, ids)
 * comes from files in the workspace, so it only ever reaches the page through `textContent`.
 */
import { isHostMessage } from './protocol';
import type { HopInfo, HostMessage, PageMessage, PathInfo, PathScope } from './protocol';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

type Verdict = PathInfo['verdict'];

// The icon is decoration (aria-hidden); the verdict word next to it is what carries the meaning, so the
// list reads the same to a screen reader and to someone who cannot tell the colours apart.
const VERDICTS: Record<Verdict, { icon: string; word: string }> = {
  open: { icon: '\u2714', word: 'Open' },
  blocked: { icon: '\u2716', word: 'Blocked' },
  unknown: { icon: '?', word: 'Unknown' },
};

const HOP_KINDS: Record<HopInfo['kind'], string> = {
  client: 'Client',
  clientSg: 'Client security group',
  endpointSg: 'Endpoint security group',
  endpoint: 'Interface endpoint',
  endpointService: 'Endpoint service',
  nlbSg: 'Load balancer security group',
  nlb: 'Network Load Balancer',
  listener: 'Listener',
  targetGroup: 'Target group',
  targetSg: 'Target security group',
  target: 'Target',
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function verdictOf(v: unknown): Verdict {
  return v === 'open' || v === 'blocked' || v === 'unknown' ? v : 'unknown';
}

function verdictBadge(v: unknown): HTMLElement {
  const verdict = verdictOf(v);
  const badge = el('span', `verdict verdict-${verdict}`);
  const icon = el('span', 'icon', VERDICTS[verdict].icon);
  icon.setAttribute('aria-hidden', 'true');
  badge.append(icon, el('span', 'word', VERDICTS[verdict].word));
  return badge;
}

function renderHop(path: PathInfo, hop: HopInfo, index: number): HTMLElement {
  const item = el('li', 'hop');
  const kind = HOP_KINDS[hop.kind] ?? String(hop.kind);
  const head = hop.location ? el('button', 'hop-head') : el('div', 'hop-head');
  if (head instanceof HTMLButtonElement) {
    head.type = 'button';
    head.title = `Open ${String(hop.label)} in the editor`;
    head.addEventListener('click', () => vscode.postMessage({ type: 'openHop', pathId: path.id, hopIndex: index }));
  }
  head.append(verdictBadge(hop.verdict), el('span', 'kind', kind), el('span', 'label', String(hop.label)));
  item.append(head);
  const reasons = Array.isArray(hop.reasons) ? hop.reasons : [];
  if (reasons.length > 0) {
    const list = el('ul', 'reasons');
    for (const r of reasons) {
      const li = el('li');
      li.append(el('span', 'rule', String(r.ruleId)), document.createTextNode(` ${String(r.message)}`));
      list.append(li);
    }
    item.append(list);
  }
  return item;
}

function renderPath(path: PathInfo, index: number, total: number): HTMLElement {
  const item = el('li', `path path-${verdictOf(path.verdict)}`);
  const heading = el('h2');
  heading.append(verdictBadge(path.verdict), el('span', 'path-name', `Path ${index + 1} of ${total}`));
  if (path.port) heading.append(el('span', 'port', String(path.port)));
  item.append(heading);
  const hops = el('ol', 'hops');
  hops.setAttribute('aria-label', `Hops of path ${index + 1}, from the client to the targets`);
  (Array.isArray(path.hops) ? path.hops : []).forEach((hop, i) => hops.append(renderHop(path, hop, i)));
  item.append(hops);
  return item;
}

function summary(paths: PathInfo[]): string {
  const count = (v: Verdict) => paths.filter((p) => verdictOf(p.verdict) === v).length;
  const parts = [`${count('open')} open`, `${count('blocked')} blocked`];
  if (count('unknown') > 0) parts.push(`${count('unknown')} unknown`);
  return `${paths.length} ${paths.length === 1 ? 'path' : 'paths'}: ${parts.join(', ')}.`;
}

// The heading and the status line persist across renders so that screen readers announce the status
// (a live region) when it changes, rather than meeting a new element each time.
function frame(): { heading: HTMLElement; status: HTMLElement; body: HTMLElement } | undefined {
  const root = document.getElementById('root');
  if (!root) return undefined;
  let heading = document.getElementById('heading');
  let status = document.getElementById('status');
  let body = document.getElementById('body');
  if (!heading || !status || !body) {
    root.replaceChildren();
    heading = el('h1');
    heading.id = 'heading';
    status = el('p', 'status');
    status.id = 'status';
    status.setAttribute('role', 'status');
    body = el('div');
    body.id = 'body';
    root.append(heading, status, body);
  }
  return { heading, status, body };
}

function emptyText(scope: PathScope): string {
  return scope === 'workspace'
    ? 'No PrivateLink path found in the workspace: no interface endpoint could be linked to an endpoint service.'
    : 'No PrivateLink path goes through here. Put the cursor on an interface endpoint, an endpoint service, a load balancer ' +
        'or a security group on a path, or click the PrivateLink Lens status bar item to see every path in the workspace.';
}

function render(message: HostMessage): void {
  const parts = frame();
  if (!parts) return;
  const { heading, status, body } = parts;
  document.getElementById('root')?.setAttribute('aria-busy', message.type === 'loading' ? 'true' : 'false');
  heading.textContent = message.title;
  status.classList.toggle('error', message.type === 'error');
  body.replaceChildren();
  switch (message.type) {
    case 'loading':
      status.textContent = 'Analysing\u2026';
      return;
    case 'error':
      status.textContent = message.message;
      return;
    case 'paths': {
      if (message.paths.length === 0) {
        status.textContent = emptyText(message.scope);
        return;
      }
      status.textContent = summary(message.paths);
      const list = el('ol', 'paths');
      message.paths.forEach((p, i) => list.append(renderPath(p, i, message.paths.length)));
      body.append(list);
      return;
    }
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostMessage(event.data)) return;
  // Kept so that a panel VS Code re-creates (after being hidden) can draw at once, before the host answers.
  vscode.setState(event.data);
  render(event.data);
});

const saved = vscode.getState();
if (isHostMessage(saved)) render(saved);
vscode.postMessage({ type: 'ready' });
