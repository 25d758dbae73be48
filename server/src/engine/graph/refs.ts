import type { Resource } from '../model/resource';
import type { Value } from '../model/value';
import { asList, firstUnknown } from '../model/value';

/**
 * What a value that should identify a resource (an SG id, a VPC id, an NLB ARN) points at: a resource of
 * the workspace, a literal id of something outside it, or nothing known (with the reason).
 */
export type Target =
  | { kind: 'resource'; resource: Resource; attr: string[] }
  | { kind: 'literal'; id: string }
  | { kind: 'unknown'; reason: string };

export class ResourceIndex {
  readonly byKey = new Map<string, Resource>();
  readonly byType = new Map<string, Resource[]>();

  constructor(readonly all: Resource[]) {
    for (const r of all) {
      this.byKey.set(r.key, r);
      let l = this.byType.get(r.type);
      if (!l) this.byType.set(r.type, (l = []));
      l.push(r);
    }
  }

  ofType(...types: string[]): Resource[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /** Resolves an identifying value. */
  target(v: Value | undefined): Target {
    if (!v || v.kind === 'null') return { kind: 'unknown', reason: 'not set' };
    switch (v.kind) {
      case 'ref': {
        const r = this.byKey.get(v.target);
        if (r) return { kind: 'resource', resource: r, attr: v.attr };
        return { kind: 'unknown', reason: `refers to ${v.target.split(':').pop()}, which is not in the workspace` };
      }
      case 'string':
        return { kind: 'literal', id: v.value };
      case 'number':
        return { kind: 'literal', id: String(v.value) };
      case 'unknown':
        return { kind: 'unknown', reason: v.reason };
      case 'import':
        return { kind: 'unknown', reason: `no stack in the workspace exports "${v.name}"` };
      case 'concat': {
        // `!Sub "${Sg.GroupId}"` style wrappers: a single ref inside a string is that ref.
        const refs = v.parts.filter((p) => p.kind === 'ref');
        const others = v.parts.filter((p) => p.kind !== 'ref' && !(p.kind === 'string' && p.value === ''));
        if (refs.length === 1 && others.length === 0) return this.target(refs[0]);
        const u = firstUnknown(v);
        return { kind: 'unknown', reason: u?.kind === 'unknown' ? u.reason : 'built from values known only after deployment' };
      }
      default:
        return { kind: 'unknown', reason: `a ${v.kind} where an identifier was expected` };
    }
  }

  /** Resolves each item of a list of identifiers. */
  targets(v: Value | undefined): Target[] {
    if (v && v.kind === 'unknown') return [{ kind: 'unknown', reason: v.reason }];
    return asList(v).map((x) => this.target(x));
  }
}

/** A stable identity for comparing targets: the resource key, or the literal id. */
export function targetId(t: Target): string | undefined {
  if (t.kind === 'resource') return t.resource.key;
  if (t.kind === 'literal') return `literal:${t.id}`;
  return undefined;
}
