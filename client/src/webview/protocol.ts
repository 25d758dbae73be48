/**
 * Messages between the extension (host) and the path page inside the webview. The page is a browser
 * bundle, so this file must stay free of `vscode` and Node imports; the path shapes come from the
 * language server protocol as types only.
 */
import type { HopInfo, PathInfo } from '../../../server/src/shared/protocol';

export type { HopInfo, PathInfo };

/** What the paths were asked for: the whole workspace, or a position in a document. */
export type PathScope = 'workspace' | 'position';

/** Host -> page. The host re-sends its latest message whenever the page says it is ready. */
export type HostMessage =
  | { type: 'loading'; title: string }
  | { type: 'paths'; title: string; paths: PathInfo[]; scope: PathScope }
  | { type: 'error'; title: string; message: string };

/**
 * Page -> host. A hop is named by path id and index, never by its URI: the host opens only locations it
 * sent itself, so a compromised page cannot make the extension open arbitrary resources.
 */
export type PageMessage = { type: 'ready' } | { type: 'openHop'; pathId: string; hopIndex: number };

export function isPageMessage(m: unknown): m is PageMessage {
  if (!m || typeof m !== 'object') return false;
  const r = m as Record<string, unknown>;
  if (r.type === 'ready') return true;
  return r.type === 'openHop' && typeof r.pathId === 'string' && typeof r.hopIndex === 'number' && Number.isInteger(r.hopIndex);
}

export function isHostMessage(m: unknown): m is HostMessage {
  if (!m || typeof m !== 'object') return false;
  const r = m as Record<string, unknown>;
  if (typeof r.title !== 'string') return false;
  switch (r.type) {
    case 'loading':
      return true;
    case 'paths':
      return Array.isArray(r.paths) && (r.scope === 'workspace' || r.scope === 'position');
    case 'error':
      return typeof r.message === 'string';
    default:
      return false;
  }
}
