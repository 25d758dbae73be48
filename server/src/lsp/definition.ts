/**
 * textDocument/definition: from a reference in an attribute value to the resource it names, in whatever
 * file or folder that resource lives. Three sources, most specific first: a `privatelink-lens: service =`
 * link comment under the cursor, a `ref` value inside the attribute under the cursor, and for an
 * endpoint's service name that is no reference (a literal, a variable), the service the graph linked it to.
 */
import type { DefinitionParams, Location as LspLocation } from 'vscode-languageserver';
import type { Resource } from '../engine';
import { toLspLocation, uriToFile } from './convert';
import type { Session } from './session';
import { contains, type Snapshot } from './snapshot';

type Value = Resource['attrs'][string];
type RefValue = Extract<Value, { kind: 'ref' }>;

export function definition(session: Session, params: DefinitionParams): LspLocation[] | null {
  const snap = session.snapshot;
  const file = uriToFile(params.textDocument.uri);
  if (!snap || !file || !session.isCurrent(file)) return null;
  const offset = snap.lineIndex(file)?.offset(params.position);
  if (offset === undefined) return null;
  // Link comments usually sit above the resource they belong to, outside its span: look at every resource.
  for (const r of snap.resources(file)) {
    for (const a of r.annotations) {
      if (a.kind !== 'link' || !contains(a.span, offset)) continue;
      const target = resolveLink(snap, file, a.value);
      if (target) return [locationOf(snap, target)];
    }
  }
  const resource = snap.resourceAt(file, offset);
  if (!resource) return null;

  const name = Object.keys(resource.attrSpans).find((n) => contains(resource.attrSpans[n], offset));
  if (name === undefined) return null;
  const value = resource.attrs[name];
  if (value) {
    const all: RefValue[] = [];
    collectRefs(value, all);
    // The reference whose text is under the cursor; failing that (the value came through a variable, or the
    // cursor is on the attribute name) every reference the attribute evaluates to.
    const under = all.filter((r) => r.origin && r.origin.file === file && contains(r.origin.span, offset));
    const chosen = under.length > 0 ? [innermost(under)] : all;
    const targets = unique(chosen.map((r) => snap.resource(r.target)).filter((r): r is Resource => r !== undefined));
    if (targets.length > 0) return targets.map((t) => locationOf(snap, t));
  }

  if (name === 'service_name' || name === 'ServiceName') {
    const services = unique(
      snap
        .pathsThrough(resource.key)
        .flatMap((p) => p.hops.filter((h) => h.kind === 'endpointService' && h.resource !== undefined))
        .map((h) => snap.resource(h.resource as string))
        .filter((r): r is Resource => r !== undefined),
    );
    if (services.length > 0) return services.map((t) => locationOf(snap, t));
  }
  return null;
}

function locationOf(snap: Snapshot, r: Resource): LspLocation {
  return toLspLocation(snap, { file: r.file, span: r.nameSpan });
}

function collectRefs(v: Value, out: RefValue[]): void {
  switch (v.kind) {
    case 'ref':
      out.push(v);
      return;
    case 'list':
      for (const i of v.items) collectRefs(i, out);
      return;
    case 'object':
      for (const i of Object.values(v.entries)) collectRefs(i, out);
      return;
    case 'concat':
      for (const i of v.parts) collectRefs(i, out);
      return;
    default:
      return;
  }
}

function innermost(refs: RefValue[]): RefValue {
  const size = (r: RefValue) => (r.origin ? r.origin.span.end - r.origin.span.start : Infinity);
  return refs.reduce((a, b) => (size(b) < size(a) ? b : a));
}

function unique(resources: Resource[]): Resource[] {
  return [...new Map(resources.map((r) => [r.key, r])).values()];
}

/**
 * A declared link `<path>#<address or logical id>`, the path relative to the file that declares it (a file
 * or a directory); without a path, the resource is looked up next to the declaring file.
 */
function resolveLink(snap: Snapshot, file: string, link: string): Resource | undefined {
  const hash = link.lastIndexOf('#');
  const path = hash < 0 ? '' : link.slice(0, hash);
  const address = hash < 0 ? link : link.slice(hash + 1);
  const dir = file.slice(0, file.lastIndexOf('/'));
  const base = path === '' ? dir : normalizePath(path.startsWith('/') || /^[A-Za-z]:/.test(path) ? path : `${dir}/${path}`);
  const candidates = snap.result.resources.filter((r) => r.address === address);
  return (
    candidates.find((r) => r.file === base) ??
    candidates.find((r) => r.file.slice(0, r.file.lastIndexOf('/')) === base) ??
    candidates.find((r) => r.file.startsWith(`${base}/`))
  );
}

function normalizePath(p: string): string {
  const out: string[] = [];
  for (const [i, s] of p.replace(/\\/g, '/').split('/').entries()) {
    if (s === '.' || (s === '' && i > 0)) continue;
    if (s === '..') {
      if (out.length > 1) out.pop();
      continue;
    }
    out.push(s);
  }
  return out.join('/');
}
