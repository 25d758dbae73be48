import type { Fix, Severity, TextEdit } from '../model/finding';
import type { Resource } from '../model/resource';
import type { Location, Span } from '../model/span';
import { type Value, asBool, asList, asString } from '../model/value';
import type { Endpoint, EndpointService, Graph, LoadBalancer, Subnet } from '../graph/build';
import { targetId, type Target } from '../graph/refs';
import { describeRule, type SecurityGroup, type SgRule } from '../graph/securityGroups';
import { isDeclaredInFile, setAttributeFix, tfRef, type TextOf } from './fixes';
import { isCustomEndpoint } from './endpointRules';
import { at, attrLoc, prop, valueLoc, type Rule, type RuleContext } from './types';

/**
 * The endpoint and endpoint-service rules of privatelink.md E: PL004, PL007–PL012 and PL033. They read
 * the normalised graph; what the graph does not carry (list element positions, subnet IPv6 settings,
 * who refers to a security group) is derived here from the resources, so graph/ stays as it is.
 */

const tf = (r: Resource) => r.lang === 'terraform';
const isJson = (file: string) => file.toLowerCase().endsWith('.json');

// ---------------------------------------------------------------------------------------------------
// Text helpers. Every edit is computed over the text the engine read, in the file's own layout.

function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAt(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

function indentAt(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartAt(text, offset)))![0];
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Index of the last non-blank character of a span (YAML node spans can run into blank lines). */
function lastContent(text: string, s: Span): number {
  let e = s.end;
  while (e > s.start && /\s/.test(text[e - 1])) e--;
  return Math.max(s.start, e - 1);
}

const within = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;

/**
 * Deletes the whole lines a span occupies, when nothing else shares them (a trailing comment goes with
 * them). A blank line left dangling before a closing brace or another blank line goes too, so the file
 * keeps the spacing it had.
 */
function removeLines(file: string, text: string, span: Span): TextEdit | undefined {
  const ls = lineStartAt(text, span.start);
  if (text.slice(ls, span.start).trim() !== '') return undefined;
  const last = lastContent(text, span);
  const le = lineEndAt(text, last + 1);
  const after = text.slice(last + 1, le).trim();
  if (after !== '' && !after.startsWith('#') && !after.startsWith('//')) return undefined;
  let start = ls;
  const end = le < text.length ? le + 1 : le;
  if (start > 0) {
    const prevStart = lineStartAt(text, start - 1);
    const prevBlank = text.slice(prevStart, start).trim() === '';
    const next = text.slice(end, lineEndAt(text, end)).trim();
    if (prevBlank && prevStart < start && (next === '' || next.startsWith('}'))) start = prevStart;
  }
  return { file, span: { start, end }, newText: '' };
}

/** Deletes a whole resource: a Terraform block, or a CloudFormation logical id with its definition. */
function removeResourceEdit(r: Resource, text: string): TextEdit | undefined {
  if (!isDeclaredInFile(r, text)) return undefined;
  if (!tf(r) && isJson(r.file)) return undefined;
  return removeLines(r.file, text, tf(r) ? r.span : { start: r.nameSpan.start, end: r.span.end });
}

/**
 * Removes an attribute (Terraform: its lines, heredocs and multi-line expressions included) or a property
 * entry (YAML: the key with its value). Used where the setting has no effect, so deleting it is the fix.
 */
export function removeAttributeFix(r: Resource, textOf: TextOf, name: string, title: string): Fix | undefined {
  const text = textOf(r.file);
  if (text === undefined || !isDeclaredInFile(r, text) || (!tf(r) && isJson(r.file))) return undefined;
  const span = r.attrSpans[name];
  if (!span || !within(span, r.span) || !text.startsWith(name, span.start)) return undefined;
  const edit = removeLines(r.file, text, span);
  return edit && { title, edits: [edit], preferred: true };
}

// ---------------------------------------------------------------------------------------------------
// Literal lists: where each element is written, so one can be removed (with its comma) or one added.

interface ListShape {
  file: string;
  style: 'flow' | 'block';
  /** The written elements, one per item of the evaluated list. */
  elements: Span[];
  /** flow: the offset of the closing bracket. */
  close?: number;
}

/** Skips a quoted string starting at `i`; returns the offset after it, or -1. */
function skipString(text: string, i: number, end: number, hcl: boolean): number {
  const q = text[i];
  let j = i + 1;
  while (j < end) {
    const c = text[j];
    if (q === "'") {
      if (c === "'" && text[j + 1] === "'") j += 2;
      else if (c === "'") return j + 1;
      else j++;
      continue;
    }
    if (c === '\\') j += 2;
    else if (c === '"') return j + 1;
    else if (hcl && (c === '$' || c === '%') && text[j + 1] === '{') {
      j = skipBraces(text, j + 1, end, hcl);
      if (j < 0) return -1;
    } else j++;
  }
  return -1;
}

/** Skips a `{...}` (template interpolation) starting at the brace; returns the offset after it, or -1. */
function skipBraces(text: string, i: number, end: number, hcl: boolean): number {
  let depth = 0;
  let j = i;
  while (j < end) {
    const c = text[j];
    if (c === '"') {
      j = skipString(text, j, end, hcl);
      if (j < 0) return -1;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j + 1;
    j++;
  }
  return -1;
}

/** The top-level elements of a flow list's body (between `[` and `]`), or undefined when unsure. */
function splitFlow(text: string, start: number, end: number, hcl: boolean): Span[] | undefined {
  const out: Span[] = [];
  let depth = 0;
  let elemStart = -1;
  let lastEnd = -1;
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === '"' || (!hcl && c === "'")) {
      const j = skipString(text, i, end, hcl);
      if (j < 0) return undefined;
      if (elemStart < 0) elemStart = i;
      lastEnd = j;
      i = j;
      continue;
    }
    if ((c === '#' && (hcl || i === start || /\s/.test(text[i - 1]))) || (hcl && c === '/' && text[i + 1] === '/')) {
      i = lineEndAt(text, i);
      continue;
    }
    if (hcl && c === '/' && text[i + 1] === '*') {
      const j = text.indexOf('*/', i + 2);
      if (j < 0 || j >= end) return undefined;
      i = j + 2;
      continue;
    }
    // Heredocs inside a list are rare and their extent is not worth guessing.
    if (hcl && c === '<' && text[i + 1] === '<') return undefined;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth < 0) return undefined;
    } else if (c === ',' && depth === 0) {
      if (elemStart < 0) return undefined;
      out.push({ start: elemStart, end: lastEnd });
      elemStart = -1;
      i++;
      continue;
    }
    if (!/\s/.test(c)) {
      if (elemStart < 0) elemStart = i;
      lastEnd = i + 1;
    }
    i++;
  }
  if (depth !== 0) return undefined;
  if (elemStart >= 0) out.push({ start: elemStart, end: lastEnd });
  return out;
}

/** How a list attribute is written in the resource's own text, when it is a literal list there. */
function listShape(r: Resource, name: string, text: string): ListShape | undefined {
  const attrSpan = r.attrSpans[name];
  const v = r.attrs[name];
  if (!attrSpan || !v || v.kind !== 'list' || !v.origin || v.origin.file !== r.file || !within(v.origin.span, attrSpan)) return undefined;
  const s = v.origin.span;
  if (text[s.start] === '[') {
    // `[for s in ... : s.id]` is one expression, not a list of written elements.
    if (tf(r) && /^\[\s*for\s/.test(text.slice(s.start, s.end))) return undefined;
    const close = lastContent(text, s);
    if (text[close] !== ']') return undefined;
    const elements = splitFlow(text, s.start + 1, close, tf(r));
    if (!elements || elements.length !== v.items.length) return undefined;
    return { file: r.file, style: 'flow', elements, close };
  }
  if (tf(r)) return undefined;
  // A YAML block sequence: every item carries its own position.
  const elements: Span[] = [];
  for (const item of v.items) {
    const o = item.origin;
    if (!o || o.file !== r.file || !within(o.span, s) || !/^[ \t]*-[ \t]+$/.test(text.slice(lineStartAt(text, o.span.start), o.span.start))) return undefined;
    elements.push(o.span);
  }
  return { file: r.file, style: 'block', elements };
}

/** Removes element `i` of a literal list together with its comma (flow) or its `- ` line (block). */
function removeElementEdit(text: string, shape: ListShape, i: number): TextEdit | undefined {
  const el = shape.elements[i];
  if (!el) return undefined;
  if (shape.style === 'block') {
    return removeLines(shape.file, text, { start: lineStartAt(text, el.start), end: el.end });
  }
  let j = el.end;
  while (j < text.length && /[ \t\r\n]/.test(text[j])) j++;
  if (text[j] === ',') {
    let k = j + 1;
    while (k < text.length && (text[k] === ' ' || text[k] === '\t')) k++;
    // An element alone on its line takes the line with it.
    const ls = lineStartAt(text, el.start);
    const le = lineEndAt(text, k);
    const rest = text.slice(k, le).trim();
    if (text.slice(ls, el.start).trim() === '' && (rest === '' || rest.startsWith('#') || rest.startsWith('//'))) {
      return { file: shape.file, span: { start: ls, end: le < text.length ? le + 1 : le }, newText: '' };
    }
    return { file: shape.file, span: { start: el.start, end: k }, newText: '' };
  }
  // The last element without a trailing comma: take the comma before it.
  let b = el.start - 1;
  while (b >= 0 && /[ \t\r\n]/.test(text[b])) b--;
  if (text[b] !== ',') return undefined;
  return { file: shape.file, span: { start: b, end: el.end }, newText: '' };
}

/** Appends an element to a literal list in the list's own layout. */
function appendElementEdit(text: string, shape: ListShape, element: string): TextEdit | undefined {
  const last = shape.elements[shape.elements.length - 1];
  if (!last) return undefined;
  const nl = eol(text);
  if (shape.style === 'block') {
    const ls = lineStartAt(text, last.start);
    const prefix = text.slice(ls, last.start);
    let end = lineEndAt(text, lastContent(text, last));
    if (end > 0 && text[end - 1] === '\r') end--;
    return { file: shape.file, span: { start: end, end }, newText: `${nl}${prefix}${element}` };
  }
  let j = last.end;
  while (j < text.length && /[ \t\r\n]/.test(text[j])) j++;
  if (text[j] === ',') {
    // After the trailing comma's line, so a comment on that line stays with its element.
    let at2 = lineEndAt(text, j);
    if (at2 > 0 && text[at2 - 1] === '\r') at2--;
    if (at2 >= shape.close! || text.slice(j + 1, at2).trim().startsWith(']')) at2 = j + 1;
    return { file: shape.file, span: { start: at2, end: at2 }, newText: `${nl}${indentAt(text, last.start)}${element},` };
  }
  if (text.slice(last.end, shape.close).includes('\n')) return { file: shape.file, span: { start: last.end, end: last.end }, newText: `,${nl}${indentAt(text, last.start)}${element}` };
  return { file: shape.file, span: { start: last.end, end: last.end }, newText: `, ${element}` };
}

// ---------------------------------------------------------------------------------------------------
// Graph helpers.

function subnetOf(g: Graph, t: Target): Subnet | undefined {
  return t.kind === 'resource' ? g.subnets.get(t.resource.key) : undefined;
}

/** A written attribute whose value the analysis cannot read (a variable without a default, a lookup). */
function isUnreadable(v: Value | undefined): boolean {
  return !!v && v.kind !== 'null' && (v.kind === 'unknown' || v.kind === 'import');
}

/**
 * Whether two resources are certainly in the same account: the same Terraform root and provider
 * configuration (privatelink.md E3: the provider stands for the account), or the same template.
 */
function sameAccount(a: Resource, b: Resource): boolean {
  if (a.lang !== b.lang) return false;
  if (tf(a)) return a.root === b.root && (a.provider ?? 'aws') === (b.provider ?? 'aws');
  return a.file === b.file;
}

function sameTfModule(a: Resource, b: Resource): boolean {
  return tf(a) && tf(b) && a.root === b.root && (a.modulePath ?? '') === (b.modulePath ?? '');
}

/** For each resource key, the resources whose attributes refer to it. */
function referrers(g: Graph): Map<string, Set<Resource>> {
  const m = new Map<string, Set<Resource>>();
  const walk = (v: Value | undefined, r: Resource) => {
    if (!v) return;
    switch (v.kind) {
      case 'ref': {
        if (v.target === r.key) return;
        let s = m.get(v.target);
        if (!s) m.set(v.target, (s = new Set()));
        s.add(r);
        return;
      }
      case 'list':
        v.items.forEach((x) => walk(x, r));
        return;
      case 'object':
        Object.values(v.entries).forEach((x) => walk(x, r));
        return;
      case 'concat':
        v.parts.forEach((x) => walk(x, r));
        return;
    }
  };
  for (const r of g.index.all) for (const v of Object.values(r.attrs)) walk(v, r);
  return m;
}

/**
 * One subnet of an endpoint as written: the subnet, where it is written (a list element or an
 * association resource), and how to remove it from the endpoint.
 */
interface EndpointSubnet {
  target: Target;
  subnet?: Subnet;
  location: Location;
  remove?: TextEdit;
}

function endpointSubnets(ctx: RuleContext, e: Endpoint): EndpointSubnet[] {
  const r = e.resource;
  const g = ctx.graph;
  const out: EndpointSubnet[] = [];
  const name = prop(r, 'subnet_ids', 'SubnetIds');
  const items = asList(r.attrs[name]);
  const text = ctx.textOf(r.file);
  const declared = text !== undefined && isDeclaredInFile(r, text) && !(!tf(r) && isJson(r.file));
  const shape = declared ? listShape(r, name, text) : undefined;
  const assocs = tf(r)
    ? g.index.ofType('aws_vpc_endpoint_subnet_association').filter((a) => {
        const t = g.index.target(a.attrs.vpc_endpoint_id);
        return t.kind === 'resource' && t.resource.key === r.key;
      })
    : [];
  // Removing the only subnet would leave an interface endpoint without subnets (PL006).
  const removable = items.length + assocs.length > 1;
  const attrSpan = r.attrSpans[name];
  items.forEach((v, i) => {
    const target = g.index.target(v);
    const span = shape?.elements[i];
    const location = span ? { file: r.file, span } : v.origin && attrSpan && v.origin.file === r.file && within(v.origin.span, attrSpan) ? v.origin : attrLoc(r, name);
    const remove = shape && text !== undefined && removable ? removeElementEdit(text, shape, i) : undefined;
    out.push({ target, subnet: subnetOf(g, target), location, remove });
  });
  for (const a of assocs) {
    const target = g.index.target(a.attrs.subnet_id);
    const atext = ctx.textOf(a.file);
    out.push({ target, subnet: subnetOf(g, target), location: at(a), remove: atext !== undefined && removable ? removeResourceEdit(a, atext) : undefined });
  }
  return out;
}

/** An AZ key of a subnet for a comparison by id or by name; undefined when that form is not known. */
function azOf(s: Subnet, mode: 'id' | 'name'): string | undefined {
  return mode === 'id' ? s.azId : s.az;
}

function interfaceEndpoints(g: Graph): Endpoint[] {
  return g.endpoints.filter((e) => e.type.toLowerCase() === 'interface');
}

// ---------------------------------------------------------------------------------------------------
// PL004

const SG_TYPES = new Set(['aws_security_group', 'aws_default_security_group', 'AWS::EC2::SecurityGroup']);
const RULE_TYPES = new Set(['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress']);
const ENDPOINT_TYPES = new Set(['aws_vpc_endpoint', 'AWS::EC2::VPCEndpoint', 'aws_vpc_endpoint_security_group_association']);

/**
 * PL004: an endpoint only answers connections that clients open (A2.3), and security groups let the
 * replies out whatever the egress rules say (A1.1), so egress rules on a group used only by interface
 * endpoints restrict nothing. The group must be attached to nothing else: anything else in the workspace
 * that refers to it (compute, launch templates, module-made resources) makes its egress rules matter.
 */
export const PL004: Rule = {
  id: 'PL004',
  check(ctx, emit) {
    const g = ctx.graph;
    const refs = referrers(g);
    for (const sg of g.sgs.values()) {
      const r = sg.resource;
      // Default groups are used by everything in the VPC that names no group.
      if (!r || sg.isDefault || sg.key !== r.key || sg.incomplete.length > 0 || sg.egress.length === 0) continue;
      const endpoints = interfaceEndpoints(g).filter((e) => e.sgs.groups.includes(sg));
      if (endpoints.length === 0) continue;
      const others = [...(refs.get(r.key) ?? [])].filter((x) => !SG_TYPES.has(x.type) && !RULE_TYPES.has(x.type) && !ENDPOINT_TYPES.has(x.type));
      if (others.length > 0) continue;
      // Rules that cannot be read might be the allow-all rule; an allow-all rule restricts nothing to remove.
      if (sg.egress.some((x) => x.protocol === undefined || x.peer.kind === 'unknown')) continue;
      if (sg.egress.some((x) => x.protocol === '-1' && x.peer.kind === 'cidr' && x.peer.cidr === '0.0.0.0/0')) continue;
      const byDecl = new Map<string, SgRule[]>();
      for (const x of sg.egress) {
        const k = `${x.origin.file}:${x.origin.span.start}:${x.origin.span.end}`;
        (byDecl.get(k) ?? byDecl.set(k, []).get(k)!).push(x);
      }
      const fix = removeEgressFix(sg, [...byDecl.values()], refs, ctx.textOf);
      const names = endpoints.map((e) => e.resource.address).join(', ');
      for (const rules of byDecl.values()) {
        emit({
          unnecessary: true,
          message: `Egress rule ${rules.map(describeRule).join(', ')} of ${r.address} does not restrict PrivateLink traffic: the group is attached only to interface endpoint${endpoints.length > 1 ? 's' : ''} ${names}; an endpoint only answers connections that clients open, and replies leave whatever the egress rules say.`,
          // A rule resource is marked by its name, like every other finding on a resource.
          location: rules[0].inline ? rules[0].origin : at(rules[0].declaredBy),
          related: endpoints.map((e) => ({ location: at(e.resource), message: `interface endpoint ${e.resource.address}` })),
          fixes: [fix],
        });
      }
    }
  },
};

/**
 * "Remove egress rules": Terraform loses its inline `egress` blocks and egress rule resources (no egress at
 * all is harmless here); CloudFormation loses `SecurityGroupEgress`, which brings back AWS's allow-all rule.
 * All or nothing, so the group never ends up half edited.
 */
function removeEgressFix(sg: SecurityGroup, decls: SgRule[][], refs: Map<string, Set<Resource>>, textOf: TextOf): Fix | undefined {
  const r = sg.resource!;
  const edits: TextEdit[] = [];
  const seen = new Set<string>();
  for (const rules of decls) {
    const x = rules[0];
    const owner = x.declaredBy;
    const text = textOf(x.origin.file);
    if (text === undefined) return undefined;
    let edit: TextEdit | undefined;
    if (x.inline && owner === r) {
      if (tf(r)) {
        if (x.origin.file !== r.file || !isDeclaredInFile(r, text) || !text.startsWith('egress', x.origin.span.start)) return undefined;
        edit = removeLines(r.file, text, x.origin.span);
      } else {
        const span = r.attrSpans.SecurityGroupEgress;
        if (!span || isJson(r.file)) return undefined;
        edit = removeLines(r.file, text, span);
      }
    } else if (!x.inline && owner !== r) {
      // A rule resource someone else refers to (depends_on, outputs) cannot just disappear.
      if ((refs.get(owner.key)?.size ?? 0) > 0) return undefined;
      const ot = textOf(owner.file);
      edit = ot === undefined ? undefined : removeResourceEdit(owner, ot);
    }
    if (!edit) return undefined;
    const k = `${edit.file}:${edit.span.start}:${edit.span.end}`;
    if (!seen.has(k)) {
      seen.add(k);
      edits.push(edit);
    }
  }
  // Edits of one file must not overlap.
  const sorted = [...edits].sort((a, b) => (a.file === b.file ? a.span.start - b.span.start : a.file < b.file ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) if (sorted[i].file === sorted[i - 1].file && sorted[i].span.start < sorted[i - 1].span.end) return undefined;
  return { title: `Remove the egress rules of endpoint-only security group ${r.address}`, edits, preferred: false };
}

// ---------------------------------------------------------------------------------------------------
// PL007

/** PL007: one subnet per Availability Zone (A2.7); zones compared by AZ id when both give one. */
export const PL007: Rule = {
  id: 'PL007',
  check(ctx, emit) {
    for (const e of interfaceEndpoints(ctx.graph)) {
      // The first subnet of each zone stays; every later one in the same zone is the extra.
      const kept: EndpointSubnet[] = [];
      for (const s of endpointSubnets(ctx, e)) {
        const sn = s.subnet;
        const id = targetId(s.target);
        if (!sn || !id || kept.some((o) => targetId(o.target) === id)) continue;
        const twin = kept.find((o) => {
          const a = o.subnet!;
          if (a.azId && sn.azId) return a.azId === sn.azId;
          if (a.az && sn.az) return a.az === sn.az;
          return false;
        });
        if (!twin) {
          kept.push(s);
          continue;
        }
        const zone = twin.subnet!.azId && sn.azId ? sn.azId : sn.az;
        emit({
          message: `Interface endpoint ${e.resource.address} has subnets ${twin.subnet!.resource.address} and ${sn.resource.address} in the same Availability Zone ${zone}; an endpoint takes one subnet per zone.`,
          location: s.location,
          related: [
            { location: twin.location, message: `${twin.subnet!.resource.address} in ${zone}` },
            { location: at(sn.resource), message: `subnet ${sn.resource.address}` },
          ],
          fixes: [s.remove && { title: `Remove ${sn.resource.address} from ${e.resource.address}`, edits: [s.remove], preferred: true }],
        });
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// PL008

interface LbZones {
  lbs: LoadBalancer[];
  subnets: Subnet[];
}

/** The NLBs of a service and all their subnets, or undefined when any of them is not known. */
function serviceZones(g: Graph, s: EndpointService): LbZones | undefined {
  if (s.lbs.length === 0) return undefined;
  const lbs: LoadBalancer[] = [];
  const subnets: Subnet[] = [];
  for (const t of s.lbs) {
    const lb = t.kind === 'resource' ? g.lbs.get(t.resource.key) : undefined;
    if (!lb || lb.subnets.length === 0) return undefined;
    lbs.push(lb);
    for (const st of lb.subnets) {
      const sn = subnetOf(g, st);
      if (!sn) return undefined;
      subnets.push(sn);
    }
  }
  return { lbs, subnets };
}

function hasServiceRegion(r: Resource): boolean {
  const v = r.attrs[prop(r, 'service_region', 'ServiceRegion')];
  return !!v && v.kind !== 'null';
}

/** The Region part of a zone: `euw1` of `euw1-az1`, `eu-west-1` of `eu-west-1a`. */
function regionOf(zone: string, mode: 'id' | 'name'): string {
  return mode === 'id' ? zone.replace(/-az\d+$/, '') : zone.replace(/[a-z]$/, '');
}

/**
 * PL008: endpoint interfaces can only be placed in zones the service's NLBs are enabled in (A2.8). AZ ids
 * are compared when both sides give them; names mean different zones in different accounts, so a
 * comparison by name across (possibly) different accounts is only a warning.
 */
export const PL008: Rule = {
  id: 'PL008',
  check(ctx, emit) {
    const g = ctx.graph;
    for (const e of interfaceEndpoints(g)) {
      const s = e.service;
      // A cross-Region endpoint (service_region) lives in the consumer's Region, not the NLB's.
      if (!s || hasServiceRegion(e.resource)) continue;
      const zones = serviceZones(g, s);
      if (!zones) continue;
      const subnets = endpointSubnets(ctx, e);
      for (const es of subnets) {
        const sn = es.subnet;
        if (!sn) continue;
        const mode = sn.azId && zones.subnets.every((x) => x.azId) ? 'id' : sn.az && zones.subnets.every((x) => x.az) ? 'name' : undefined;
        if (!mode) continue;
        const zone = azOf(sn, mode)!;
        const served = [...new Set(zones.subnets.map((x) => azOf(x, mode)!))];
        if (served.includes(zone)) continue;
        // Zones of another Region (a cross-Region service) are not comparable with the consumer's.
        if (!served.some((z) => regionOf(z, mode) === regionOf(zone, mode))) continue;
        const crossAccount = !sameAccount(e.resource, s.resource);
        const severity: Severity = mode === 'name' && crossAccount ? 'warning' : 'error';
        const lbNames = zones.lbs.map((x) => x.resource.address).join(', ');
        const fixes: (Fix | undefined)[] = [addNlbSubnetFix(ctx, zones, sn, mode)];
        // Dropping a subnet only helps when another one stays.
        if (es.remove) fixes.push({ title: `Remove ${sn.resource.address} from ${e.resource.address}`, edits: [es.remove], preferred: false });
        emit({
          severity,
          message: `Subnet ${sn.resource.address} of interface endpoint ${e.resource.address} is in Availability Zone ${zone}, which ${lbNames} behind ${s.resource.address} does not serve (it serves ${served.join(', ')})${severity === 'warning' ? '; AZ names are compared, and they can mean different zones in different accounts' : ''}.`,
          location: es.location,
          related: [{ location: at(s.resource), message: `endpoint service ${s.resource.address}` }, ...zones.lbs.map((x) => ({ location: attrLoc(x.resource, prop(x.resource, 'subnets', 'Subnets')), message: `subnets of ${x.resource.address}` }))],
          fixes,
        });
      }
    }
  },
};

/** Provider side of PL008: add a subnet of the NLB's VPC in the missing zone to the NLB (an in-place change, B2). */
function addNlbSubnetFix(ctx: RuleContext, zones: LbZones, consumer: Subnet, mode: 'id' | 'name'): Fix | undefined {
  const g = ctx.graph;
  const zone = azOf(consumer, mode);
  for (const lb of zones.lbs) {
    const r = lb.resource;
    const text = ctx.textOf(r.file);
    if (text === undefined || !isDeclaredInFile(r, text) || (!tf(r) && isJson(r.file))) continue;
    const shape = listShape(r, prop(r, 'subnets', 'Subnets'), text);
    if (!shape) continue;
    const own = lb.subnets.map((t) => subnetOf(g, t)).filter((x): x is Subnet => !!x);
    const vpc = own[0] && targetId(own[0].vpc);
    if (!vpc) continue;
    const candidate = [...g.subnets.values()].find(
      (x) => targetId(x.vpc) === vpc && azOf(x, mode) === zone && !own.includes(x) && (tf(r) ? sameTfModule(x.resource, r) && !x.resource.address.includes('[') : x.resource.file === r.file),
    );
    if (!candidate) continue;
    const ref = tf(r) ? tfRef(candidate.resource, 'id') : `!Ref ${candidate.resource.address}`;
    const edit = appendElementEdit(text, shape, ref);
    if (edit) return { title: `Add ${candidate.resource.address} (${zone}) to the subnets of ${r.address}`, edits: [edit], preferred: false };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// PL009

/** PL009: private DNS needs DNS hostnames and DNS resolution on in the endpoint's VPC (A2.5, A8). */
export const PL009: Rule = {
  id: 'PL009',
  check(ctx, emit) {
    const g = ctx.graph;
    for (const e of interfaceEndpoints(g)) {
      if (e.privateDns !== true || e.vpc.kind !== 'resource') continue;
      const vpc = g.vpcs.get(e.vpc.resource.key);
      // An aws_default_vpc has both on; an unknown VPC is PL035's business.
      if (!vpc || (vpc.resource.type !== 'aws_vpc' && vpc.resource.type !== 'AWS::EC2::VPC')) continue;
      const v = vpc.resource;
      const hostName = prop(v, 'enable_dns_hostnames', 'EnableDnsHostnames');
      const supportName = prop(v, 'enable_dns_support', 'EnableDnsSupport');
      const hostnames = boolSetting(v, hostName, false);
      const support = boolSetting(v, supportName, true);
      if (hostnames === undefined || support === undefined || (hostnames && support)) continue;
      const off = [!hostnames && `DNS hostnames are off${v.attrSpans[hostName] ? '' : ' (the default)'}`, !support && 'DNS resolution is off'].filter(Boolean).join(' and ');
      const r = e.resource;
      const pdns = prop(r, 'private_dns_enabled', 'PrivateDnsEnabled');
      const disable = setAttributeFix(r, ctx.textOf, pdns, 'false', 'false', `Turn private DNS off on ${r.address}`);
      emit({
        message: `Interface endpoint ${r.address} enables private DNS, but in its VPC ${v.address} ${off}; private DNS needs both DNS hostnames and DNS resolution turned on.`,
        location: valueLoc(r, pdns),
        related: [{ location: at(v), message: `VPC ${v.address}` }],
        fixes: [vpcDnsFix(v, ctx.textOf), disable && { ...disable, preferred: false }],
      });
    }
  },
};

/** A boolean setting with its documented default when it is not written; undefined when not readable. */
function boolSetting(r: Resource, name: string, dflt: boolean): boolean | undefined {
  const v = r.attrs[name];
  if (!v || v.kind === 'null') return dflt;
  return asBool(v);
}

/** Sets both DNS attributes on the VPC; two insertions at one place become one edit, in order. */
function vpcDnsFix(v: Resource, textOf: TextOf): Fix | undefined {
  const a = setAttributeFix(v, textOf, prop(v, 'enable_dns_support', 'EnableDnsSupport'), 'true', 'true', '');
  const b = setAttributeFix(v, textOf, prop(v, 'enable_dns_hostnames', 'EnableDnsHostnames'), 'true', 'true', '');
  if (!a || !b) return undefined;
  const edits: TextEdit[] = [...a.edits];
  for (const x of b.edits) {
    const same = edits.find((y) => y.file === x.file && y.span.start === x.span.start && y.span.end === x.span.end && y.span.start === y.span.end);
    if (same && x.span.start === x.span.end) same.newText += x.newText;
    else edits.push(x);
  }
  return { title: `Turn on DNS resolution and DNS hostnames in ${v.address}`, edits, preferred: true };
}

// ---------------------------------------------------------------------------------------------------
// PL010

/** Route 53 TXT records built from the service's `private_dns_name_configuration` prove the domain. */
function hasVerificationRecord(g: Graph, s: EndpointService): boolean {
  const mentions = (v: Value | undefined): boolean => {
    if (!v) return false;
    switch (v.kind) {
      case 'ref':
        return v.target === s.resource.key && v.attr[0] === 'private_dns_name_configuration';
      case 'list':
        return v.items.some(mentions);
      case 'object':
        return Object.values(v.entries).some(mentions);
      case 'concat':
        return v.parts.some(mentions);
      default:
        return false;
    }
  };
  return g.index.ofType('aws_route53_record').some((r) => {
    const type = asString(r.attrs.type)?.toUpperCase();
    return (type === undefined || type === 'TXT') && Object.values(r.attrs).some(mentions);
  });
}

/**
 * PL010: consumers can use a provider's private DNS name only once it is verified (A3.8). (a) The
 * endpoint turns private DNS on, but the service has no name (CloudFormation cannot even declare one);
 * (b) the service has a name, but nothing in the configuration verifies it.
 */
export const PL010: Rule = {
  id: 'PL010',
  check(ctx, emit) {
    const g = ctx.graph;
    for (const e of interfaceEndpoints(g)) {
      const s = e.service;
      if (e.privateDns !== true || !s) continue;
      const sr = s.resource;
      const nameVal = tf(sr) ? sr.attrs.private_dns_name : undefined;
      if (isUnreadable(nameVal) || (nameVal && nameVal.kind !== 'null')) continue;
      const r = e.resource;
      const pdns = prop(r, 'private_dns_enabled', 'PrivateDnsEnabled');
      const off = setAttributeFix(r, ctx.textOf, pdns, 'false', 'false', `Turn private DNS off on ${r.address}`);
      emit({
        message: tf(sr)
          ? `Interface endpoint ${r.address} enables private DNS, but endpoint service ${sr.address} has no private_dns_name, so there is no name to resolve privately.`
          : `Interface endpoint ${r.address} enables private DNS, but AWS::EC2::VPCEndpointService ${sr.address} cannot declare a private DNS name; it must be set (and verified) outside the template, or private DNS turned off.`,
        location: valueLoc(r, pdns),
        related: [{ location: at(sr), message: `endpoint service ${sr.address}` }],
        // Not preferred: giving the service a (verified) name is the other way out.
        fixes: [off && { ...off, preferred: false }],
      });
    }
    for (const s of g.services) {
      const r = s.resource;
      if (!tf(r)) continue;
      const v = r.attrs.private_dns_name;
      if (!v || v.kind === 'null' || isUnreadable(v)) continue;
      if (s.dnsVerified || hasVerificationRecord(g, s)) continue;
      emit({
        severity: 'info',
        message: `Endpoint service ${r.address} sets a private DNS name, but nothing in the configuration verifies the domain (no aws_vpc_endpoint_service_private_dns_verification, no TXT record from private_dns_name_configuration); consumers can use the name only once it is verified.`,
        location: valueLoc(r, 'private_dns_name'),
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// PL011

type Tri = 'yes' | 'no' | 'unknown';

/** Whether a subnet has an IPv6 CIDR block. */
function subnetHasIpv6(g: Graph, sn: Subnet): Tri {
  const r = sn.resource;
  const keys = tf(r) ? ['ipv6_cidr_block'] : ['Ipv6CidrBlock', 'Ipv6CidrBlocks', 'Ipv6IpamPoolId'];
  let unknown = false;
  for (const k of keys) {
    const v = r.attrs[k];
    if (!v || v.kind === 'null') continue;
    if (isUnreadable(v)) unknown = true;
    else return 'yes';
  }
  // CloudFormation can also give a subnet its IPv6 block with a separate resource.
  if (!tf(r)) {
    for (const x of g.index.ofType('AWS::EC2::SubnetCidrBlock')) {
      const t = g.index.target(x.attrs.SubnetId);
      if (t.kind === 'resource' && t.resource.key === r.key) return 'yes';
      if (t.kind === 'unknown') unknown = true;
    }
  }
  return unknown ? 'unknown' : 'no';
}

function subnetIpv6Only(sn: Subnet): Tri {
  const v = sn.resource.attrs[prop(sn.resource, 'ipv6_native', 'Ipv6Native')];
  if (!v || v.kind === 'null') return 'no';
  const b = asBool(v);
  return b === undefined ? 'unknown' : b ? 'yes' : 'no';
}

/** The service's supported IP types; AWS's default is IPv4 only. Undefined when not readable. */
function serviceIpTypes(s: EndpointService): string[] | undefined {
  const v = s.resource.attrs[prop(s.resource, 'supported_ip_address_types', 'SupportedIpAddressTypes')];
  if (!v || v.kind === 'null') return ['ipv4'];
  return s.ipTypes;
}

function lbIpType(lb: LoadBalancer): string | undefined {
  const v = lb.resource.attrs[prop(lb.resource, 'ip_address_type', 'IpAddressType')];
  if (!v || v.kind === 'null') return 'ipv4';
  return lb.ipAddressType;
}

const DUALSTACK_LB = new Set(['dualstack', 'dualstack-without-public-ipv4']);

/**
 * PL011: the endpoint's IP type must fit its subnets and the service, and a service can accept IPv6 only
 * when all its NLBs are dualstack (A2.9, A3.9). Where a side does not write its type, it is IPv4.
 */
export const PL011: Rule = {
  id: 'PL011',
  check(ctx, emit) {
    const g = ctx.graph;
    for (const s of g.services) {
      const types = serviceIpTypes(s);
      if (!types?.includes('ipv6')) continue;
      const sr = s.resource;
      const typesName = prop(sr, 'supported_ip_address_types', 'SupportedIpAddressTypes');
      for (const t of s.lbs) {
        const lb = t.kind === 'resource' ? g.lbs.get(t.resource.key) : undefined;
        const type = lb && lbIpType(lb);
        if (!lb || type === undefined || DUALSTACK_LB.has(type)) continue;
        const lr = lb.resource;
        const subnets = lb.subnets.map((x) => subnetOf(g, x));
        // A dualstack NLB needs IPv6 in every subnet; otherwise the change would fail at deployment.
        const canDualstack = subnets.length > 0 && subnets.every((x) => x && subnetHasIpv6(g, x) === 'yes');
        const ipName = prop(lr, 'ip_address_type', 'IpAddressType');
        emit({
          message: `Endpoint service ${sr.address} supports IPv6, but its load balancer ${lr.address} has IP address type ${type}${lr.attrSpans[ipName] ? '' : ' (the default)'}; a service accepts IPv6 only when all its NLBs are dualstack.`,
          location: valueLoc(sr, typesName),
          related: [{ location: attrLoc(lr, ipName), message: `load balancer ${lr.address}` }],
          fixes: [canDualstack ? setAttributeFix(lr, ctx.textOf, ipName, '"dualstack"', 'dualstack', `Make ${lr.address} dualstack`) : undefined],
        });
      }
    }
    for (const e of interfaceEndpoints(g)) {
      const s = e.service;
      if (!s) continue;
      const r = e.resource;
      const ipName = prop(r, 'ip_address_type', 'IpAddressType');
      if (isUnreadable(r.attrs[ipName])) continue;
      const type = e.ipAddressType;
      if (type !== 'ipv6' && type !== 'dualstack') continue;
      const loc = valueLoc(r, ipName);
      const toIpv4 = () => setAttributeFix(r, ctx.textOf, ipName, '"ipv4"', 'ipv4', `Use IPv4 for ${r.address}`);
      const types = serviceIpTypes(s);
      if (types && !types.includes('ipv6')) {
        const lbs = s.lbs.map((t) => (t.kind === 'resource' ? g.lbs.get(t.resource.key) : undefined));
        const allDual = lbs.length > 0 && lbs.every((lb) => lb && DUALSTACK_LB.has(lbIpType(lb) ?? ''));
        const typesName = prop(s.resource, 'supported_ip_address_types', 'SupportedIpAddressTypes');
        const add = allDual ? setAttributeFix(s.resource, ctx.textOf, typesName, '["ipv4", "ipv6"]', '[ipv4, ipv6]', `Accept IPv6 on ${s.resource.address}`) : undefined;
        const v4 = toIpv4();
        emit({
          message: `Interface endpoint ${r.address} uses IP address type ${type}, but endpoint service ${s.resource.address} supports only ${types.join(', ')}${s.resource.attrSpans[typesName] ? '' : ' (the default)'}.`,
          location: loc,
          related: [{ location: attrLoc(s.resource, typesName), message: `endpoint service ${s.resource.address}` }],
          fixes: [v4 && { ...v4, preferred: false }, add && { ...add, preferred: false }],
        });
      }
      for (const st of e.subnets) {
        const sn = subnetOf(g, st);
        if (!sn) continue;
        if (type === 'ipv6' && subnetIpv6Only(sn) === 'no') {
          emit({
            message: `Interface endpoint ${r.address} uses IP address type ipv6, but its subnet ${sn.resource.address} is not IPv6-only; an ipv6 endpoint needs IPv6-only subnets.`,
            location: loc,
            related: [{ location: at(sn.resource), message: `subnet ${sn.resource.address}` }],
            fixes: [endpointIpFixFor(ctx, e, types)],
          });
        } else if (type === 'dualstack' && subnetHasIpv6(g, sn) === 'no') {
          emit({
            message: `Interface endpoint ${r.address} uses IP address type dualstack, but its subnet ${sn.resource.address} has no IPv6 CIDR block.`,
            location: loc,
            related: [{ location: at(sn.resource), message: `subnet ${sn.resource.address}` }],
            fixes: [toIpv4()],
          });
        }
      }
    }
  },
};

/** For an ipv6 endpoint in subnets that are not IPv6-only: dualstack when every subnet and the service allow it, else ipv4. */
function endpointIpFixFor(ctx: RuleContext, e: Endpoint, serviceTypes: string[] | undefined): Fix | undefined {
  const g = ctx.graph;
  const r = e.resource;
  const ipName = prop(r, 'ip_address_type', 'IpAddressType');
  const subnets = e.subnets.map((t) => subnetOf(g, t));
  const dual = !!serviceTypes?.includes('ipv6') && subnets.length > 0 && subnets.every((x) => x && subnetHasIpv6(g, x) === 'yes');
  return dual ? setAttributeFix(r, ctx.textOf, ipName, '"dualstack"', 'dualstack', `Use dualstack for ${r.address}`) : setAttributeFix(r, ctx.textOf, ipName, '"ipv4"', 'ipv4', `Use IPv4 for ${r.address}`);
}

// ---------------------------------------------------------------------------------------------------
// PL012

/** The whole attribute as written in the resource (so all of it is marked unnecessary), or where a module input set it. */
function settingLoc(r: Resource, name: string): Location {
  const o = r.attrs[name]?.origin;
  const span = r.attrSpans[name];
  if (span && (!o || (o.file === r.file && within(o.span, span)))) return { file: r.file, span };
  return o ?? attrLoc(r, name);
}

/** PL012: AWS allows full access through endpoints to endpoint services; a policy there enforces nothing (A3.11). */
export const PL012: Rule = {
  id: 'PL012',
  check(ctx, emit) {
    for (const e of ctx.graph.endpoints) {
      if (!e.policy || !isCustomEndpoint(e)) continue;
      const r = e.resource;
      const name = prop(r, 'policy', 'PolicyDocument');
      if (isUnreadable(r.attrs[name])) continue;
      emit({
        unnecessary: true,
        message: `The endpoint policy of ${r.address} is not enforced: AWS allows full access through endpoints to endpoint services; control access with the service's allowed principals, acceptance and security groups.`,
        location: settingLoc(r, name),
        fixes: [removeAttributeFix(r, ctx.textOf, name, `Remove the endpoint policy of ${r.address}`)],
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// PL033

/**
 * PL033: with acceptance required, an endpoint waits in pendingAcceptance until someone accepts it
 * (A2.12, A3.7). Reported when nothing in the configuration accepts it; an accepter whose endpoint or
 * service cannot be resolved might be the one, so it silences the finding.
 */
export const PL033: Rule = {
  id: 'PL033',
  check(ctx, emit) {
    const g = ctx.graph;
    const accepters = g.index.ofType('aws_vpc_endpoint_connection_accepter').map((a) => ({ svc: g.index.target(a.attrs.vpc_endpoint_service_id), ep: g.index.target(a.attrs.vpc_endpoint_id) }));
    for (const e of g.endpoints) {
      const s = e.service;
      if (!s || s.acceptanceRequired !== true) continue;
      const r = e.resource;
      if (e.autoAccept === true || (tf(r) && isUnreadable(r.attrs.auto_accept))) continue;
      if (s.accepted.has(r.key)) continue;
      const maybe = accepters.some(
        (a) => (a.svc.kind !== 'resource' || a.svc.resource.key === s.resource.key) && (a.ep.kind !== 'resource' || a.ep.resource.key === r.key) && (a.svc.kind !== 'resource' || a.ep.kind !== 'resource'),
      );
      if (maybe) continue;
      const sr = s.resource;
      const fixes: (Fix | undefined)[] = [];
      if (tf(r) && tf(sr)) {
        if (sameTfModule(r, sr)) fixes.push(accepterFix(ctx, e, s));
        if (sameAccount(r, sr)) {
          const f = setAttributeFix(r, ctx.textOf, 'auto_accept', 'true', 'true', `Accept the connection from ${r.address} itself (auto_accept, same account)`);
          fixes.push(f && { ...f, preferred: fixes.every((x) => !x) });
        }
      }
      emit({
        message: `Endpoint service ${sr.address} requires acceptance, but nothing in the ${tf(sr) ? 'configuration' : 'templates'} accepts the connection from ${r.address}${tf(sr) ? '' : ' (CloudFormation has no resource for it; accept with `aws ec2 accept-vpc-endpoint-connections` or in the console)'}; the endpoint stays pendingAcceptance until someone does.`,
        location: at(r),
        related: [{ location: at(sr), message: `endpoint service ${sr.address}` }],
        fixes,
      });
    }
  },
};

/** `aws_vpc_endpoint_connection_accepter` right after the service, with the service's provider (its account accepts). */
function accepterFix(ctx: RuleContext, e: Endpoint, s: EndpointService): Fix | undefined {
  const sr = s.resource;
  const r = e.resource;
  if (sr.address.includes('[') || r.address.includes('[')) return undefined;
  const text = ctx.textOf(sr.file);
  if (text === undefined || !isDeclaredInFile(sr, text)) return undefined;
  const base = r.address.replace(/^.*\./, '').replace(/[^A-Za-z0-9_-]/g, '_');
  const taken = new Set(ctx.graph.index.ofType('aws_vpc_endpoint_connection_accepter').filter((a) => sameTfModule(a, sr)).map((a) => a.address.replace(/^.*\./, '')));
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  const ind = indentAt(text, sr.span.start);
  const providerSpan = sr.attrSpans.provider;
  const lines = ['', `${ind}resource "aws_vpc_endpoint_connection_accepter" "${name}" {`];
  if (providerSpan) lines.push(`${ind}  ${text.slice(providerSpan.start, providerSpan.end).replace(/\s*=\s*/, '                = ')}`);
  lines.push(`${ind}  vpc_endpoint_service_id = ${tfRef(sr, 'id')}`, `${ind}  vpc_endpoint_id         = ${tfRef(r, 'id')}`, `${ind}}`);
  let end = lineEndAt(text, sr.span.end - 1);
  if (end > 0 && text[end - 1] === '\r') end--;
  const nl = eol(text);
  return { title: `Accept ${r.address} with aws_vpc_endpoint_connection_accepter.${name}`, edits: [{ file: sr.file, span: { start: end, end }, newText: nl + lines.join(nl) }], preferred: true };
}
