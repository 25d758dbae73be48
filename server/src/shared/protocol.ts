/**
 * The custom part of the protocol between the PrivateLink Lens client and server. Both sides import this
 * file, so a change to a name or a shape breaks the build on both sides at once rather than at run time.
 *
 * Everything else is plain LSP. Two conventions the server must follow for the client to work:
 * - Settings are pulled: the server asks `workspace/configuration` for section {@link CONFIGURATION_SECTION}
 *   (per workspace folder, with `scopeUri`). To hear about changes it registers dynamically for
 *   `workspace/didChangeConfiguration`; the client then sends that notification (with no useful payload)
 *   whenever a `privatelinkLens.*` setting changes, and the server pulls again.
 * - Commands the server lists in `executeCommandProvider` must not reuse a VS Code command id: the language
 *   client registers every listed command with VS Code, and registering an id twice throws. Hence the
 *   `privatelinkLens.server.*` prefix in {@link ServerCommands}.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Position, Range, TextDocumentIdentifier } from 'vscode-languageserver-protocol';
import type { HopKind, Verdict } from '../engine';

export type { HopKind, Verdict };

/** The settings section the server pulls; its keys are the fields of `Settings` in engine/settings.ts. */
export const CONFIGURATION_SECTION = 'privatelinkLens';

/** Commands the server registers through `executeCommandProvider`. */
export const ServerCommands = {
  /** Forget every cached parse, re-read the workspace from disk and publish fresh diagnostics. No arguments. */
  reanalyze: 'privatelinkLens.server.reanalyze',
} as const;

/** A place in a workspace file, in LSP terms (UTF-16 positions). */
export interface HopLocation {
  uri: string;
  range: Range;
}

/** A quick fix the server has for a finding; the client applies it through `textDocument/codeAction`. */
export interface HopFixInfo {
  title: string;
  /** The one clear fix (the code action's `isPreferred`). */
  preferred?: boolean;
}

/**
 * The diagnostic behind a hop reason, as the server publishes it. A client that wants a fix asks for the
 * quick fixes at `location` and takes the one with the fix's title (whose diagnostic, where the client sees
 * it, has this rule id and `message`). The server answers only while the document is at the version it
 * analysed, so a fix is never applied to text it was not computed for; edits are not sent ahead of time.
 */
export interface HopFindingInfo {
  location: HopLocation;
  message: string;
  fixes: HopFixInfo[];
}

export interface HopReasonInfo {
  /** `PL0xx`. */
  ruleId: string;
  message: string;
  /** The finding this reason is reported as; absent when the rule is off or reports nothing for it. */
  finding?: HopFindingInfo;
}

export interface HopInfo {
  kind: HopKind;
  /** What the user recognises: a resource address or logical id, e.g. `aws_vpc_endpoint.api`. */
  label: string;
  verdict: Verdict;
  /** Why the hop has its verdict; empty for an open hop with nothing to say. */
  reasons: HopReasonInfo[];
  /** Where the hop is defined; absent for hops that exist only outside the workspace. */
  location?: HopLocation;
  /** The server's key of the resource behind the hop (opaque to the client; `PathsParams.resource` takes it). */
  resource?: string;
  /**
   * The account-like scope the hop belongs to, as far as the code tells: a Terraform root module and its
   * provider configuration (`consumer · aws.shared`), or a CloudFormation template (`stack provider.yaml`).
   */
  group?: string;
  /** The VPC the hop sits in, inside `group`: the VPC's address or literal id. */
  vpc?: string;
  /**
   * The ports the hop is checked on: the listener's up to the listener (`TCP 443`), the target group's
   * after it (`TCP 8443, health checks TCP 8080`), both on the load balancer's groups (`in TCP 443, out TCP 8443`).
   */
  ports?: string;
}

export interface PathInfo {
  id: string;
  verdict: Verdict;
  /** e.g. `TCP 443`. */
  port?: string;
  /** From the client towards the targets. */
  hops: HopInfo[];
}

/**
 * Which paths to return. With `resource` (a key from `HopInfo.resource` or `PathsResult.focus`): the paths
 * through that resource, wherever it now is in its file. Otherwise with `textDocument` and `position`: the
 * paths through the resource at that position, or, when there is none there, every path with a hop in that
 * document. With none of them: every path in the workspace (the status bar asks this way).
 */
export interface PathsParams {
  textDocument?: TextDocumentIdentifier;
  position?: Position;
  resource?: string;
}

export interface PathsResult {
  /** Empty when nothing matches; the client says so rather than showing an empty panel. */
  paths: PathInfo[];
  /**
   * The resource the paths were selected by (from `resource`, or found at `position`); absent for a whole
   * document or the workspace. A client follows it across edits by asking again with `resource`.
   */
  focus?: { resource: string; label: string };
}

export const PathsRequest = {
  method: 'privatelinkLens/paths',
  type: new RequestType<PathsParams, PathsResult, void>('privatelinkLens/paths'),
} as const;

/** Totals over the whole workspace, sent by the server after every analysis that changes them. */
export interface StatusParams {
  open: number;
  blocked: number;
  unknown: number;
  /** Files the analysis read (Terraform and CloudFormation files only). */
  files: number;
}

export const StatusNotification = {
  method: 'privatelinkLens/status',
  type: new NotificationType<StatusParams>('privatelinkLens/status'),
} as const;
