/**
 * Lays out one path with ELK's layered algorithm: hops left to right, nested in boxes for their account
 * scope and VPC, edges routed around the boxes. `elk.bundled.js` runs ELK in the page's own thread (no web
 * worker, which the webview's CSP would not allow from a blob) and needs neither `eval` nor
 * `new Function`, so the page keeps its strict CSP. Coordinates come back absolute (`ROOT`), ready to draw.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';

export interface Size {
  width: number;
  height: number;
}

export interface LayoutHop extends Size {
  group?: string;
  vpc?: string;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GroupBox extends Box {
  kind: 'group' | 'vpc';
  title: string;
  /** Where the title goes: in the box's top padding, which ELK sized for it. */
  titleBox: Box;
}

export interface EdgeLine {
  from: number;
  to: number;
  points: { x: number; y: number }[];
}

export interface PathLayout extends Size {
  hops: Box[];
  groups: GroupBox[];
  edges: EdgeLine[];
  /** Set when ELK failed and the hops were put in a plain row instead. */
  fallback?: string;
}

const GAP = 44;
const MARGIN = 12;
const TITLE_GAP = 8;
const TITLE_INSET = 10;

let elk: InstanceType<typeof ELK> | undefined;

/**
 * Starts ELK and runs it once on a one-node graph. Evaluating ELK and its first layout cost most of the
 * time to the first drawing (about 0.3 s on a laptop, seconds on a slow CI machine); the page does this
 * while it waits for the host's data.
 */
export async function warmUp(): Promise<void> {
  try {
    elk ??= new ELK();
    await elk.layout({ id: 'warm-up', layoutOptions: { 'elk.algorithm': 'layered' }, children: [{ id: 'n', width: 1, height: 1 }], edges: [] });
  } catch {
    // The real layout reports the failure (and falls back to a row).
  }
}

/**
 * `titleSize` measures a group's title as the page will draw it, so ELK makes each box wide enough for
 * its title and reserves the room above the hops.
 */
export async function layoutPath(hops: readonly LayoutHop[], titleSize: (title: string, kind: GroupBox['kind']) => Size): Promise<PathLayout> {
  try {
    return await elkLayout(hops, titleSize);
  } catch (e) {
    return rowLayout(hops, e instanceof Error ? e.message : String(e));
  }
}

async function elkLayout(hops: readonly LayoutHop[], titleSize: (title: string, kind: GroupBox['kind']) => Size): Promise<PathLayout> {
  elk ??= new ELK();
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.edgeRouting': 'ORTHOGONAL',
      // Keep the hops in path order inside every box, and edges straight where the heights allow.
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.spacing.nodeNode': String(GAP),
      'elk.layered.spacing.nodeNodeBetweenLayers': String(GAP),
      'elk.spacing.edgeNode': '16',
      'elk.padding': `[top=${MARGIN},left=${MARGIN},bottom=${MARGIN},right=${MARGIN}]`,
    },
    children: [],
    edges: [],
  };
  const groups = new Map<string, ElkNode>();
  const meta = new Map<string, { kind: GroupBox['kind']; title: string }>();
  const titles = new Map<string, Size>();
  const box = (parent: ElkNode, key: string, kind: GroupBox['kind'], title: string): ElkNode => {
    let node = groups.get(key);
    if (!node) {
      const id = `${kind}${groups.size}`;
      const size = titleSize(title, kind);
      // The title is drawn by the page in the top padding; ELK's own node labels would reserve room for
      // it beside the children as well, which leaves a wide empty strip on the left of every box.
      titles.set(id, size);
      node = {
        id,
        layoutOptions: {
          'elk.nodeSize.constraints': 'MINIMUM_SIZE',
          'elk.nodeSize.minimum': `(${Math.ceil(size.width + 2 * TITLE_INSET)}, ${Math.ceil(size.height + TITLE_GAP * 2)})`,
          'elk.padding': `[top=${Math.ceil(size.height + TITLE_GAP * 2)},left=12,bottom=12,right=12]`,
        },
        children: [],
      };
      groups.set(key, node);
      meta.set(id, { kind, title });
      parent.children!.push(node);
    }
    return node;
  };
  hops.forEach((hop, i) => {
    let parent = root;
    // The key includes the outer title, so two VPCs with the same address in different scopes stay apart.
    if (hop.group) parent = box(parent, `g\0${hop.group}`, 'group', hop.group);
    if (hop.vpc) parent = box(parent, `v\0${hop.group ?? ''}\0${hop.vpc}`, 'vpc', hop.vpc);
    parent.children!.push({ id: `h${i}`, width: hop.width, height: hop.height });
  });
  for (let i = 1; i < hops.length; i++) root.edges!.push({ id: `e${i}`, sources: [`h${i - 1}`], targets: [`h${i}`] });

  const out = await elk.layout(root);
  const hopBoxes: Box[] = new Array(hops.length);
  const groupBoxes: GroupBox[] = [];
  const visit = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      if (c.id.startsWith('h')) hopBoxes[Number(c.id.slice(1))] = boxOf(c);
      else {
        const m = meta.get(c.id);
        const size = titles.get(c.id);
        if (m) {
          const b = boxOf(c);
          groupBoxes.push({ ...m, ...b, titleBox: { x: b.x + TITLE_INSET, y: b.y + TITLE_GAP, width: size?.width ?? 0, height: size?.height ?? 0 } });
        }
        visit(c);
      }
    }
  };
  visit(out);
  if (hopBoxes.some((b) => b === undefined)) throw new Error('ELK left a hop without a position');
  const edges: EdgeLine[] = [];
  const collect = (n: ElkNode) => {
    for (const e of (n.edges ?? []) as ElkExtendedEdge[]) {
      const s = e.sections?.[0];
      if (!s) continue;
      edges.push({ from: Number(e.id.slice(1)) - 1, to: Number(e.id.slice(1)), points: [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] });
    }
    for (const c of n.children ?? []) collect(c);
  };
  collect(out);
  edges.sort((a, b) => a.from - b.from);
  return { width: Math.ceil(out.width ?? 0), height: Math.ceil(out.height ?? 0), hops: hopBoxes, groups: groupBoxes, edges };
}

function boxOf(s: { x?: number; y?: number; width?: number; height?: number }): Box {
  return { x: s.x ?? 0, y: s.y ?? 0, width: s.width ?? 0, height: s.height ?? 0 };
}

/** The plain row the page falls back to when the layout library fails: still readable, no boxes. */
export function rowLayout(hops: readonly Size[], why: string): PathLayout {
  let x = MARGIN;
  const height = Math.max(0, ...hops.map((h) => h.height));
  const boxes = hops.map((h) => {
    const b = { x, y: MARGIN + (height - h.height) / 2, width: h.width, height: h.height };
    x += h.width + GAP;
    return b;
  });
  const mid = MARGIN + height / 2;
  const edges = boxes.slice(1).map((b, i) => ({ from: i, to: i + 1, points: [{ x: boxes[i].x + boxes[i].width, y: mid }, { x: b.x, y: mid }] }));
  return { width: Math.max(MARGIN * 2, x - GAP + MARGIN), height: height + MARGIN * 2, hops: boxes, groups: [], edges, fallback: why };
}
