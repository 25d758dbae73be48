import type { Span } from '../../model/span';

/**
 * The CloudFormation template tree, the same for YAML and JSON. YAML short tags are already rewritten to
 * their long form here (`!Ref X` is a one-entry mapping `{Ref: X}` whose `tag` records `!Ref`), so the
 * evaluator handles one syntax and only tooling that edits text needs to know which form was written.
 * Every node carries the span of its text; a tagged node's span starts at the tag.
 */
export type CfnNode = CfnMapping | CfnSequence | CfnScalar;

export interface CfnMapping {
  kind: 'mapping';
  entries: CfnEntry[];
  span: Span;
  /** The YAML short tag this mapping was made from (`!GetAtt`), when it was not written as a mapping. */
  tag?: string;
}

export interface CfnEntry {
  key: string;
  /** The key as written; for a short tag, the tag itself. */
  keySpan: Span;
  value: CfnNode;
  /** From the key to the end of the value. */
  span: Span;
}

export interface CfnSequence {
  kind: 'sequence';
  items: CfnNode[];
  span: Span;
}

export interface CfnScalar {
  kind: 'scalar';
  value: string | number | boolean | null;
  span: Span;
  /** Quoted or block scalars (and every JSON string): the text is a string whatever it looks like. */
  quoted: boolean;
  /**
   * The text of an unquoted YAML scalar that resolved to a number. CloudFormation treats most values as
   * strings, and `012345678901` (an account id) must not lose its leading zero when used as one.
   */
  source?: string;
}

export interface CfnSyntaxError {
  message: string;
  span: Span;
}

export interface CfnComment {
  /** The comment including its `#`. */
  text: string;
  span: Span;
}

export interface CfnParseResult {
  /** The first document's root; undefined for an empty file. */
  root: CfnNode | undefined;
  errors: CfnSyntaxError[];
  /** Comments in text order (YAML only; JSON templates cannot have comments). */
  comments: CfnComment[];
}

/** The entry for `key` in a mapping. A duplicated key is an error elsewhere; the last one wins, as in JSON.parse. */
export function entryOf(node: CfnNode | undefined, key: string): CfnEntry | undefined {
  if (!node || node.kind !== 'mapping') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i].key === key) return node.entries[i];
  return undefined;
}

export function valueOf(node: CfnNode | undefined, key: string): CfnNode | undefined {
  return entryOf(node, key)?.value;
}

/** A scalar's text as CloudFormation would see it when it needs a string. */
export function scalarText(node: CfnNode | undefined): string | undefined {
  if (!node || node.kind !== 'scalar' || node.value === null) return undefined;
  if (node.source !== undefined) return node.source;
  return String(node.value);
}

/**
 * Cheap test on the raw text, so the many JSON and YAML files of a workspace that are not templates
 * (package.json, tsconfig, workflows, manifests) are never parsed. Every template has one of the two.
 */
export function looksLikeCloudFormation(text: string): boolean {
  return text.includes('AWSTemplateFormatVersion') || text.includes('AWS::');
}

/**
 * A template has `AWSTemplateFormatVersion`, an AWS `Transform`, or a `Resources` mapping with at least one resource whose
 * `Type` is an AWS type (SAM's `AWS::Serverless::*` included). A `Resources` key alone is too common in
 * other YAML to count.
 */
export function isCloudFormation(tree: CfnParseResult | CfnNode | undefined): boolean {
  const root = tree && 'kind' in tree ? tree : tree?.root;
  if (!root || root.kind !== 'mapping') return false;
  if (entryOf(root, 'AWSTemplateFormatVersion')) return true;
  // `Transform: AWS::Serverless-2016-10-31` (or a list with it) marks SAM and macro templates, whose
  // resources may all sit inside Fn::ForEach and show no Type at the top.
  const transform = valueOf(root, 'Transform');
  const names = transform?.kind === 'sequence' ? transform.items : transform ? [transform] : [];
  if (names.some((n) => n.kind === 'scalar' && typeof n.value === 'string' && n.value.startsWith('AWS::'))) return true;
  const resources = valueOf(root, 'Resources');
  if (!resources || resources.kind !== 'mapping') return false;
  return resources.entries.some((e) => {
    const type = valueOf(e.value, 'Type');
    return type?.kind === 'scalar' && typeof type.value === 'string' && type.value.startsWith('AWS::');
  });
}

/** `.json` is JSON; a `.template` file is JSON when its first character is `{`. */
export function isJsonTemplateText(file: string, text: string): boolean {
  const f = file.toLowerCase();
  if (f.endsWith('.json')) return true;
  if (f.endsWith('.yaml') || f.endsWith('.yml')) return false;
  return /^\uFEFF?\s*\{/.test(text);
}
