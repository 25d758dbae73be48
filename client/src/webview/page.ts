/// <reference lib="dom" />
/**
 * The script of the "PrivateLink path" panel, bundled for the browser into dist/webview/webview.js. It draws the
 * selected path left to right (ELK lays it out; SVG draws boxes and edges; each hop is an HTML card in a
 * `foreignObject`, so its buttons are real buttons), lets the user switch between paths, and shows the
 * same path as text. Everything the server sends (labels, messages, group names, fix titles) comes from
 * files in the workspace, so it only ever reaches the page through `textContent` and attribute values set
 * with DOM calls: never as markup.
 */
import { layoutPath, warmUp, type GroupBox, type PathLayout } from './layout';
import { firstBlocked, hopsOf, kindName, oneLine, pathEnds, pathSentence, pathToMermaid, pathToText, VERDICT_WORDS, verdictOf, type Verdict } from './pathText';
import { isHostMessage, isHostNotice } from './protocol';
import type { CopyFormat, HopInfo, HopReasonInfo, HostMessage, PageMessage, PathInfo, PathScope } from './protocol';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Hops with nothing to say are narrow; a hop with findings is wider, for the message and fix buttons. */
const CARD_WIDTH = 196;
const WIDE_CARD_WIDTH = 252;

/** What survives the panel being hidden and shown again: the data, the chosen path and the zoom. */
interface PageState {
  message?: HostMessage;
  selected?: string;
  fit?: boolean;
  mermaidOpen?: boolean;
}

let state: PageState = {};
/** The JSON of what is on screen, so an identical update (the usual live refresh) redraws nothing. */
let shown = '';
/** Bumped by every render; an ELK layout that finishes after a newer render is thrown away. */
let generation = 0;
const scrollOf = new Map<string, { left: number; top: number }>();
let noticeTimer: ReturnType<typeof setTimeout> | undefined;
/** A focus key whose element is drawn later than the render that wanted it (a hop card, a fix button). */
let pendingFocus: string | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, className?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (className) e.setAttribute('class', className);
  return e;
}

function post(message: PageMessage): void {
  vscode.postMessage(message);
}

function saveState(): void {
  vscode.setState(state);
}

// ---- verdict badges --------------------------------------------------------------------------------

/**
 * A shape per verdict (a tick in a circle, a cross in a stop sign, a question mark in a dashed circle), so
 * the verdict reads without colour; the word next to it is what a screen reader gets.
 */
function verdictIcon(v: Verdict): SVGSVGElement {
  // Sized here as well as in the style sheet, so that an icon stays small if the styles fail to load.
  const icon = svg('svg', { viewBox: '0 0 16 16', width: 14, height: 14, 'aria-hidden': 'true', focusable: 'false' });
  const stroke = { fill: 'none', stroke: 'currentColor', 'stroke-width': 1.6, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' };
  if (v === 'open') {
    icon.append(svg('circle', { cx: 8, cy: 8, r: 6.8, ...stroke }), svg('path', { d: 'M4.8 8.3l2.2 2.2 4.3-4.6', ...stroke, 'stroke-width': 1.9 }));
  } else if (v === 'blocked') {
    icon.append(svg('path', { d: 'M5.3 1.5h5.4l3.8 3.8v5.4l-3.8 3.8H5.3l-3.8-3.8V5.3z', ...stroke }), svg('path', { d: 'M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8', ...stroke, 'stroke-width': 1.9 }));
  } else {
    icon.append(
      svg('circle', { cx: 8, cy: 8, r: 6.8, ...stroke, 'stroke-dasharray': '2.6 1.6' }),
      svg('path', { d: 'M6 6.2a2 2 0 1 1 2.9 1.8c-.6.3-.9.7-.9 1.3v.5', ...stroke }),
      svg('circle', { cx: 8, cy: 11.7, r: 0.95, fill: 'currentColor' }),
    );
  }
  return icon;
}

function verdictBadge(value: unknown): HTMLElement {
  const v = verdictOf(value);
  const badge = el('span', `verdict v-${v}`);
  badge.dataset.verdict = v;
  badge.append(verdictIcon(v), el('span', 'word', VERDICT_WORDS[v]));
  return badge;
}

// ---- page frame ------------------------------------------------------------------------------------

// The heading, the status line and the notice region persist across renders, so screen readers announce
// a changed status (live regions) instead of meeting new elements each time.
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
    const notice = el('p', 'notice');
    notice.id = 'notice';
    notice.setAttribute('role', 'status');
    body = el('div');
    body.id = 'body';
    root.append(heading, status, notice, body);
  }
  return { heading, status, body };
}

function emptyText(scope: PathScope, focus: string | undefined): string {
  if (scope === 'workspace') return 'No PrivateLink path found in the workspace: no interface endpoint could be linked to an endpoint service.';
  if (focus) return `No PrivateLink path goes through ${oneLine(focus)}.`;
  return (
    'No PrivateLink path goes through here. Put the cursor on an interface endpoint, an endpoint service, a load balancer ' +
    'or a security group on a path, or click the PrivateLink Lens status bar item to see every path in the workspace.'
  );
}

function summary(paths: PathInfo[], focus: string | undefined): string {
  const count = (v: Verdict) => paths.filter((p) => verdictOf(p.verdict) === v).length;
  const parts = [`${count('open')} open`, `${count('blocked')} blocked`];
  if (count('unknown') > 0) parts.push(`${count('unknown')} unknown`);
  const through = focus ? ` through ${oneLine(focus)}` : '';
  return `${paths.length} ${paths.length === 1 ? 'path' : 'paths'}${through}: ${parts.join(', ')}.`;
}

function render(message: HostMessage): void {
  const parts = frame();
  if (!parts) return;
  if (message.type === 'paths' && message.paths.length > 0 && !message.paths.some((p) => p.id === state.selected)) {
    // The first render, or the chosen path went away: show the first blocked path, where the work is,
    // and keep showing that one while updates reorder the list.
    state.selected = (message.paths.find((p) => verdictOf(p.verdict) === 'blocked') ?? message.paths[0]).id;
    saveState();
  }
  const key = JSON.stringify([message, state.selected, state.fit]);
  if (key === shown) return;
  shown = key;
  const { heading, status, body } = parts;
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
  rememberScroll();
  generation++;
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
      const paths = message.paths;
      if (paths.length === 0) {
        status.textContent = emptyText(message.scope, message.focus);
        return;
      }
      status.textContent = summary(paths, message.focus);
      const index = Math.max(0, paths.findIndex((p) => p.id === state.selected));
      if (paths.length > 1) body.append(tabs(paths, index));
      body.append(pathView(paths[index], index, paths.length));
      // Hop cards are drawn after the layout; a key not found now is focused when they are.
      pendingFocus = focusKey !== undefined && !restoreFocus(focusKey) ? focusKey : undefined;
      return;
    }
  }
}

/** Focuses the element with the key; false when it is not (yet) on the page. */
function restoreFocus(key: string | undefined): boolean {
  if (!key) return false;
  const target = document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);
  target?.focus({ preventScroll: true });
  return target !== null;
}

function rememberScroll(): void {
  const canvas = document.querySelector<HTMLElement>('.canvas');
  const id = canvas?.dataset.pathId;
  if (canvas && id !== undefined) scrollOf.set(id, { left: canvas.scrollLeft, top: canvas.scrollTop });
}

// ---- path switcher ---------------------------------------------------------------------------------

function tabs(paths: PathInfo[], selected: number): HTMLElement {
  const list = el('div', 'tabs');
  list.setAttribute('role', 'tablist');
  list.setAttribute('aria-label', 'Paths');
  const buttons = paths.map((p, i) => {
    const tab = el('button', 'tab');
    tab.type = 'button';
    tab.id = `tab-${i}`;
    tab.dataset.focusKey = `tab:${p.id}`;
    tab.dataset.pathId = p.id;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-selected', i === selected ? 'true' : 'false');
    tab.setAttribute('aria-controls', 'path-panel');
    // One tab stop for the list; the arrow keys move between paths (the ARIA tabs pattern).
    tab.tabIndex = i === selected ? 0 : -1;
    tab.title = `Path ${i + 1}: ${pathSentence(p)}`;
    tab.append(verdictBadge(p.verdict), el('span', 'name', `Path ${i + 1}`));
    if (p.port) tab.append(el('span', 'port', oneLine(p.port)));
    tab.append(el('span', 'ends', pathEnds(p)));
    tab.addEventListener('click', () => select(p.id));
    return tab;
  });
  list.addEventListener('keydown', (e) => {
    const delta = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    const jump = e.key === 'Home' ? 0 : e.key === 'End' ? paths.length - 1 : undefined;
    if (delta === 0 && jump === undefined) return;
    e.preventDefault();
    const next = jump ?? (selected + delta + paths.length) % paths.length;
    select(paths[next].id);
  });
  list.append(...buttons);
  return list;
}

function select(pathId: string): void {
  if (state.selected === pathId) return;
  state.selected = pathId;
  saveState();
  if (state.message) {
    const tabKey = `tab:${pathId}`;
    render(state.message);
    restoreFocus(tabKey);
  }
}

// ---- one path ----------------------------------------------------------------------------------------

function pathView(path: PathInfo, index: number, total: number): HTMLElement {
  const panel = el('section', 'path');
  panel.id = 'path-panel';
  panel.setAttribute('role', total > 1 ? 'tabpanel' : 'region');
  if (total > 1) panel.setAttribute('aria-labelledby', `tab-${index}`);
  else panel.setAttribute('aria-label', `Path ${index + 1}`);

  const head = el('div', 'summary');
  const sentence = el('p', 'sentence');
  // The sentence starts with the verdict in words; the icon beside it is decoration.
  const v = verdictOf(path.verdict);
  const icon = el('span', `verdict v-${v}`);
  icon.append(verdictIcon(v));
  sentence.append(icon, el('span', 'text', pathSentence(path)));
  const toolbar = el('div', 'toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', 'Path actions');
  const fit = el('button', 'tool', 'Fit to width');
  fit.type = 'button';
  fit.dataset.focusKey = 'tool:fit';
  fit.setAttribute('aria-pressed', state.fit ? 'true' : 'false');
  fit.addEventListener('click', () => {
    // Only the scale changes: no new layout, and the rendered key keeps matching what is on screen.
    state.fit = !state.fit;
    saveState();
    shown = JSON.stringify([state.message, state.selected, state.fit]);
    fit.setAttribute('aria-pressed', state.fit ? 'true' : 'false');
    document.querySelector('.canvas')?.classList.toggle('fit', state.fit);
  });
  toolbar.append(fit, copyButton(path, 'text', 'Copy as text'), copyButton(path, 'mermaid', 'Copy as Mermaid'));
  head.append(sentence, toolbar);

  const canvas = el('div', state.fit ? 'canvas fit' : 'canvas');
  canvas.dataset.pathId = path.id;
  canvas.append(el('p', 'drawing', 'Drawing the path\u2026'));
  const note = el('p', 'layout-note');
  note.hidden = true;
  panel.append(head, canvas, note, textVersion(path, index, total));
  void draw(path, canvas, note, generation);
  return panel;
}

function copyButton(path: PathInfo, format: CopyFormat, text: string): HTMLButtonElement {
  const b = el('button', 'tool', text);
  b.type = 'button';
  b.dataset.focusKey = `tool:copy-${format}`;
  b.dataset.copy = format;
  b.addEventListener('click', () => post({ type: 'copy', pathId: path.id, format }));
  return b;
}

/** The same path as text: what a screen reader reads, and what "Copy as text" puts on the clipboard. */
function textVersion(path: PathInfo, index: number, total: number): HTMLElement {
  const section = el('section', 'text-version');
  const heading = el('h2', undefined, 'Text version');
  heading.id = 'text-heading';
  section.setAttribute('aria-labelledby', 'text-heading');
  const pre = el('pre', undefined, pathToText(path, index, total));
  pre.id = 'path-text';
  pre.tabIndex = 0;
  const details = el('details');
  details.open = state.mermaidOpen === true;
  details.addEventListener('toggle', () => {
    state.mermaidOpen = details.open;
    saveState();
  });
  const mermaid = el('pre', undefined, pathToMermaid(path));
  mermaid.id = 'path-mermaid';
  details.append(el('summary', undefined, 'Mermaid source'), mermaid);
  section.append(heading, pre, details);
  return section;
}

// ---- the drawing -------------------------------------------------------------------------------------

function hopCard(path: PathInfo, hop: HopInfo, index: number, total: number): HTMLElement {
  const v = verdictOf(hop.verdict);
  const card = el('div', `card v-${v}`);
  card.dataset.hop = String(index);
  card.dataset.verdict = v;
  const head = el('button', 'head');
  head.type = 'button';
  head.dataset.focusKey = `hop:${index}`;
  const label = oneLine(hop.label);
  if (hop.location) {
    head.title = `Open ${label} in the editor`;
    head.addEventListener('click', () => post({ type: 'openHop', pathId: path.id, hopIndex: index }));
  } else {
    head.disabled = true;
    head.title = 'Not defined in the workspace';
  }
  const position = el('span', 'sr-only', `Hop ${index + 1} of ${total}: `);
  const top = el('span', 'top');
  top.append(el('span', 'kind', kindName(hop.kind)), verdictBadge(v));
  const name = el('span', 'label');
  name.append(breakable(label));
  head.append(position, top, name);
  if (hop.ports) head.append(el('span', 'ports', oneLine(hop.ports)));
  card.append(head);
  const reasons = Array.isArray(hop.reasons) ? hop.reasons : [];
  if (reasons.length > 0) {
    const list = el('ul', 'reasons');
    reasons.forEach((r, j) => list.append(reasonItem(path, hop, index, r, j)));
    card.append(list);
  }
  return card;
}

/**
 * The name as text with line-break opportunities after dots and before brackets, so that a long address
 * wraps as `aws_security_group.` / `endpoint` rather than mid-word.
 */
function breakable(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  for (const part of text.split(/(?<=\.)|(?=\[)/)) {
    if (out.childNodes.length > 0) out.append(el('wbr'));
    out.append(document.createTextNode(part));
  }
  return out;
}

function reasonItem(path: PathInfo, hop: HopInfo, hopIndex: number, r: HopReasonInfo, reasonIndex: number): HTMLElement {
  const item = el('li', 'reason');
  const severity = r.ruleId === 'PL035' ? 'v-unknown' : verdictOf(hop.verdict) === 'blocked' ? 'v-blocked' : '';
  item.append(el('span', `rule ${severity}`.trim(), oneLine(r.ruleId)), el('span', 'message', oneLine(r.message)));
  const finding = r.finding;
  if (finding) {
    item.append(document.createTextNode(' '));
    const goto = el('button', 'goto', 'Show in editor');
    goto.type = 'button';
    goto.dataset.focusKey = `goto:${hopIndex}:${reasonIndex}`;
    goto.setAttribute('aria-label', `Show the ${oneLine(r.ruleId)} finding in the editor`);
    goto.addEventListener('click', () => post({ type: 'openFinding', pathId: path.id, hopIndex, reasonIndex }));
    item.append(goto);
    const fixes = Array.isArray(finding.fixes) ? finding.fixes : [];
    if (fixes.length > 0) {
      const box = el('div', 'fixes');
      // The preferred fix first and in the primary style; the others are alternatives.
      const order = fixes.map((f, i) => ({ f, i })).sort((a, b) => Number(b.f.preferred === true) - Number(a.f.preferred === true));
      order.forEach(({ f, i }, n) => {
        const b = el('button', n === 0 ? 'fix' : 'fix secondary');
        b.type = 'button';
        b.dataset.focusKey = `fix:${hopIndex}:${reasonIndex}:${i}`;
        b.dataset.fix = `${hopIndex}:${reasonIndex}:${i}`;
        b.append(el('strong', undefined, 'Fix: '), document.createTextNode(oneLine(f.title)));
        b.title = `Apply this quick fix: ${oneLine(f.title)}`;
        b.addEventListener('click', () => post({ type: 'applyFix', pathId: path.id, hopIndex, reasonIndex, fixIndex: i }));
        box.append(b);
      });
      item.append(box);
    }
  }
  return item;
}

async function draw(path: PathInfo, canvas: HTMLElement, note: HTMLElement, mine: number): Promise<void> {
  const hops = hopsOf(path);
  const cards = hops.map((h, i) => hopCard(path, h, i, hops.length));
  // Cards are measured at their drawn width before the layout, since their height depends on the text.
  const measure = el('div', 'measure');
  measure.setAttribute('aria-hidden', 'true');
  document.body.append(measure);
  const sizes = cards.map((card, i) => {
    const width = (hops[i].reasons?.length ?? 0) > 0 ? WIDE_CARD_WIDTH : CARD_WIDTH;
    const slot = el('div');
    slot.style.width = `${width}px`;
    slot.append(card);
    measure.append(slot);
    return { width, height: Math.ceil(slot.getBoundingClientRect().height) };
  });
  const titleProbe = svg('svg', { width: 10, height: 10 });
  const titleText = svg('text', {}, 'group-title');
  titleProbe.append(titleText);
  measure.append(titleProbe);
  const titleSize = (title: string, kind: GroupBox['kind']) => {
    fillGroupTitle(titleText, title, kind);
    const b = titleText.getBBox();
    return { width: Math.ceil(b.width) + 4, height: Math.max(14, Math.ceil(b.height)) };
  };
  const layoutHops = hops.map((h, i) => ({
    ...sizes[i],
    group: typeof h.group === 'string' && h.group ? h.group : undefined,
    vpc: typeof h.vpc === 'string' && h.vpc ? h.vpc : undefined,
  }));
  const groupSizes = new Map<string, { width: number; height: number }>();
  for (const h of layoutHops) {
    if (h.group && !groupSizes.has(`group\0${h.group}`)) groupSizes.set(`group\0${h.group}`, titleSize(h.group, 'group'));
    if (h.vpc && !groupSizes.has(`vpc\0${h.vpc}`)) groupSizes.set(`vpc\0${h.vpc}`, titleSize(h.vpc, 'vpc'));
  }
  measure.remove();
  const layout = await layoutPath(layoutHops, (title, kind) => groupSizes.get(`${kind}\0${title}`) ?? { width: 80, height: 14 });
  if (mine !== generation) return;
  canvas.replaceChildren(drawing(path, layout, cards));
  if (layout.fallback) {
    note.hidden = false;
    note.textContent = `The layout library failed (${layout.fallback}); the hops are shown in a plain row.`;
  }
  const scroll = scrollOf.get(path.id);
  const blocked = firstBlocked(path);
  if (scroll) {
    canvas.scrollLeft = scroll.left;
    canvas.scrollTop = scroll.top;
  } else if (blocked && !state.fit) {
    // A path seen for the first time opens on its first blocked hop, with the hop before it for context.
    const b = layout.hops[blocked.index];
    if (b.x + b.width > canvas.clientWidth) canvas.scrollLeft = Math.max(0, (layout.hops[blocked.index - 1]?.x ?? b.x) - 24);
  }
  canvas.dataset.drawn = 'true';
  if (pendingFocus) {
    restoreFocus(pendingFocus);
    pendingFocus = undefined;
  }
}

function fillGroupTitle(text: SVGTextElement, title: string, kind: GroupBox['kind']): void {
  text.replaceChildren();
  if (kind === 'vpc') {
    text.append(document.createTextNode('VPC '));
    const name = svg('tspan', {}, 'strong');
    name.textContent = oneLine(title);
    text.append(name);
  } else {
    const name = svg('tspan', {}, 'strong');
    name.textContent = oneLine(title);
    text.append(name);
  }
}

function drawing(path: PathInfo, layout: PathLayout, cards: HTMLElement[]): SVGSVGElement {
  const hops = hopsOf(path);
  const root = svg('svg', { width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}` });
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', `Diagram of the path, ${hops.length} hops from the client to the targets`);
  const defs = svg('defs');
  for (const [id, cls] of [
    ['pl-arrow', 'arrow'],
    ['pl-arrow-blocked', 'arrow into-blocked'],
  ]) {
    const marker = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M0 0L10 5L0 10z' }, cls));
    defs.append(marker);
  }
  root.append(defs);

  // Outer boxes first, so inner boxes, edges and cards are drawn over them.
  const sorted = [...layout.groups].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'group' ? -1 : 1));
  for (const g of sorted) {
    const box = svg('g', {}, `group ${g.kind}`);
    const title = svg('title');
    title.textContent = g.kind === 'vpc' ? `VPC ${oneLine(g.title)}` : oneLine(g.title);
    box.append(title, svg('rect', { x: g.x, y: g.y, width: g.width, height: g.height, rx: 6 }, `group-box ${g.kind}`));
    // The title's box is its line box; the text baseline sits near its bottom.
    const text = svg('text', { x: g.titleBox.x, y: g.titleBox.y + g.titleBox.height - 3 }, 'group-title');
    fillGroupTitle(text, g.title, g.kind);
    box.append(text);
    root.append(box);
  }

  const blockedAt = firstBlocked(path)?.index ?? Infinity;
  for (const e of layout.edges) {
    const intoBlocked = verdictOf(hops[e.to]?.verdict) === 'blocked';
    const cls = ['edge', e.from >= blockedAt ? 'after-block' : '', intoBlocked ? 'into-blocked' : ''].filter(Boolean).join(' ');
    const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
    root.append(svg('path', { d, 'marker-end': `url(#${intoBlocked ? 'pl-arrow-blocked' : 'pl-arrow'})` }, cls));
  }

  layout.hops.forEach((b, i) => {
    const fo = svg('foreignObject', { x: b.x, y: b.y, width: b.width, height: b.height });
    fo.append(cards[i]);
    root.append(fo);
  });
  return root;
}

// ---- messages --------------------------------------------------------------------------------------

function showNotice(text: string): void {
  const notice = document.getElementById('notice');
  if (!notice) return;
  notice.textContent = text;
  if (noticeTimer) clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    notice.textContent = '';
  }, 4000);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostNotice(event.data)) {
    showNotice(event.data.text);
    return;
  }
  if (!isHostMessage(event.data)) return;
  // Kept so that a panel VS Code re-creates (after being hidden) can draw at once, before the host answers.
  state.message = event.data;
  saveState();
  render(event.data);
});

function restore(saved: unknown): PageState {
  if (!saved || typeof saved !== 'object') return {};
  const s = saved as Record<string, unknown>;
  return {
    message: isHostMessage(s.message) ? s.message : undefined,
    selected: typeof s.selected === 'string' ? s.selected : undefined,
    fit: s.fit === true,
    mermaidOpen: s.mermaidOpen === true,
  };
}

state = restore(vscode.getState());
if (state.message) render(state.message);
post({ type: 'ready' });
// While the host asks the server: a panel restored from its state is already drawing, and warming up
// then would only queue behind that layout.
if (!state.message) setTimeout(() => void warmUp(), 0);
