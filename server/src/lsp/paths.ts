/**
 * `privatelinkLens/paths`: the paths the path view draws. By resource key, the paths through that resource
 * (the view follows a resource across edits this way); with a position, the paths through the resource
 * there (every path of the document when the position is on no resource); without a document, all paths.
 */
import type { PathsParams, PathsResult } from '../shared/protocol';
import { uriToFile } from './convert';
import { describePaths } from './pathDetails';
import type { Session } from './session';

export function paths(session: Session, params: PathsParams | undefined): PathsResult {
  const snap = session.snapshot;
  if (!snap) return { paths: [] };
  const describe = (list: Parameters<typeof describePaths>[2]) => describePaths(session, snap, list);
  if (typeof params?.resource === 'string') {
    // A resource that is gone (renamed, deleted) has no paths; the client says so.
    const resource = snap.resource(params.resource);
    if (!resource) return { paths: [] };
    return { paths: describe(snap.pathsThrough(resource.key)), focus: { resource: resource.key, label: resource.address } };
  }
  const uri = params?.textDocument?.uri;
  if (uri === undefined) return { paths: describe(snap.result.paths) };
  const file = uriToFile(uri);
  if (!file) return { paths: [] };
  // The position is mapped only while the document is still at the analysed text; otherwise the whole
  // document's paths are the honest answer.
  if (params?.position && session.isCurrent(file)) {
    const offset = snap.lineIndex(file)?.offset(params.position);
    const resource = offset === undefined ? undefined : snap.resourceAt(file, offset);
    if (resource) return { paths: describe(snap.pathsThrough(resource.key)), focus: { resource: resource.key, label: resource.address } };
  }
  return { paths: describe(snap.pathsInFile(file)) };
}
