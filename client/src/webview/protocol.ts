/**
 * Messages between the extension (host) and the path page inside the webview. The page is a browser
 * bundle, so this file must stay free of `vscode` and Node imports; the path shapes come from the
 * language server protocol as types only.
 */
import type { HopFindingInfo, HopFixInfo, HopInfo, HopLocation, HopReasonInfo, PathInfo } from '../../../server/src/shared/protocol';

export type { HopFindingInfo, HopFixInfo, HopInfo, HopLocation, HopReasonInfo, PathInfo };

/** What the paths were asked for: the whole workspace, or a position in a document (or the resource there). */
export type PathScope = 'workspace' | 'position';

/** Host -> page. The host re-sends its latest `loading`, `paths` or `error` whenever the page says it is ready. */
export type HostMessage =
  | { type: 'loading'; title: string }
  | {
      type: 'paths';
      title: string;
      paths: PathInfo[];
      scope: PathScope;
      /** The resource the paths go through, when they were asked for by one (its address or logical id). */
      focus?: string;
    }
  | { type: 'error'; title: string; message: string };

/** Host -> page, not kept: a short confirmation for the page's live region ("Copied as Mermaid"). */
export type HostNotice = { type: 'notice'; text: string };

/**
 * Page -> host. Hops, findings and fixes are named by path id and indexes, never by URI, range or edit:
 * the host acts only on data it sent itself, so a compromised page cannot make the extension open
 * arbitrary resources or apply arbitrary edits.
 */
export type PageMessage =
  | { type: 'ready' }
  | { type: 'openHop'; pathId: string; hopIndex: number }
  | { type: 'openFinding'; pathId: string; hopIndex: number; reasonIndex: number }
  | { type: 'applyFix'; pathId: string; hopIndex: number; reasonIndex: number; fixIndex: number }
  | { type: 'copy'; pathId: string; format: CopyFormat };

export type CopyFormat = 'text' | 'mermaid';

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

export function isPageMessage(m: unknown): m is PageMessage {
  if (!m || typeof m !== 'object') return false;
  const r = m as Record<string, unknown>;
  if (r.type === 'ready') return true;
  if (typeof r.pathId !== 'string') return false;
  switch (r.type) {
    case 'openHop':
      return isIndex(r.hopIndex);
    case 'openFinding':
      return isIndex(r.hopIndex) && isIndex(r.reasonIndex);
    case 'applyFix':
      return isIndex(r.hopIndex) && isIndex(r.reasonIndex) && isIndex(r.fixIndex);
    case 'copy':
      return r.format === 'text' || r.format === 'mermaid';
    default:
      return false;
  }
}

export function isHostMessage(m: unknown): m is HostMessage {
  if (!m || typeof m !== 'object') return false;
  const r = m as Record<string, unknown>;
  if (typeof r.title !== 'string') return false;
  switch (r.type) {
    case 'loading':
      return true;
    case 'paths':
      return Array.isArray(r.paths) && (r.scope === 'workspace' || r.scope === 'position') && (r.focus === undefined || typeof r.focus === 'string');
    case 'error':
      return typeof r.message === 'string';
    default:
      return false;
  }
}

export function isHostNotice(m: unknown): m is HostNotice {
  return !!m && typeof m === 'object' && (m as Record<string, unknown>).type === 'notice' && typeof (m as Record<string, unknown>).text === 'string';
}
