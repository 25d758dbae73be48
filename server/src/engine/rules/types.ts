import type { Finding, Fix, Severity } from '../model/finding';
import type { Location } from '../model/span';
import type { Resource } from '../model/resource';
import type { Settings } from '../settings';
import type { Graph } from '../graph/build';
import type { EvaluatedPath } from '../graph/paths';
import type { TextOf } from './fixes';

export interface RuleContext {
  graph: Graph;
  paths: EvaluatedPath[];
  settings: Settings;
  textOf: TextOf;
}

/** What a check reports; severity defaults to the catalog's, fixes that could not be written are dropped. */
export type Report = Omit<Finding, 'severity' | 'related' | 'fixes' | 'ruleId'> & {
  severity?: Severity;
  related?: Finding['related'];
  fixes?: (Fix | undefined)[];
};

export type Emit = (report: Report) => void;

/**
 * One rule of the catalog: its id (metadata lives in catalog.ts) and its check over the graph and the
 * evaluated paths. A check emits findings together with their fixes.
 */
export interface Rule {
  id: string;
  check(ctx: RuleContext, emit: Emit): void;
}

export function at(r: Resource): Location {
  return { file: r.file, span: r.nameSpan };
}

export function attrLoc(r: Resource, name: string): Location {
  const s = r.attrSpans[name];
  return s ? { file: r.file, span: s } : at(r);
}

/** Where a setting's value was written: the caller's module input or a variable default, else the attribute. */
export function valueLoc(r: Resource, name: string): Location {
  return r.attrs[name]?.origin ?? attrLoc(r, name);
}

/** The attribute name in the resource's language: `tf` for Terraform, `cfn` for CloudFormation. */
export function prop(r: Resource, tf: string, cfn: string): string {
  return r.lang === 'terraform' ? tf : cfn;
}

export const VPCE_SERVICE_NAME = /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]+$/;
