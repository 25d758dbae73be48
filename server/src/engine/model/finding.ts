import type { Location, Span } from './span';

export type Severity = 'error' | 'warning' | 'info';

/** A text edit over offsets of one file, computed together with the finding it fixes. */
export interface TextEdit {
  file: string;
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one clear fix for a finding (VS Code shows it first and applies it on "auto fix"). */
  preferred?: boolean;
}

export interface RelatedInfo {
  location: Location;
  message: string;
}

export interface Finding {
  /** `PL001`..`PL035`, or `parse-error`. */
  ruleId: string;
  severity: Severity;
  message: string;
  location: Location;
  related: RelatedInfo[];
  fixes: Fix[];
  /** A setting in the code has no effect (LSP `DiagnosticTag.Unnecessary`). */
  unnecessary?: boolean;
}

export type Verdict = 'open' | 'blocked' | 'unknown';

export type HopKind =
  | 'client'
  | 'clientSg'
  | 'endpointSg'
  | 'endpoint'
  | 'endpointService'
  | 'nlbSg'
  | 'nlb'
  | 'listener'
  | 'targetGroup'
  | 'targetSg'
  | 'target';

export interface HopReason {
  ruleId: string;
  message: string;
}

export interface Hop {
  kind: HopKind;
  label: string;
  verdict: Verdict;
  reasons: HopReason[];
  location?: Location;
  /** The resource key behind the hop, when there is one. */
  resource?: string;
}

export interface PrivateLinkPath {
  id: string;
  verdict: Verdict;
  /** e.g. `TCP 443`. */
  port?: string;
  hops: Hop[];
}
