/**
 * `privatelinkLens/paths`: the paths the path view draws. With a position, the paths through the resource
 * there (every path of the document when the position is on no resource); without a document, all paths.
 */
import type { PathsParams, PathsResult } from '../shared/protocol';
import { toPathInfo, uriToFile } from './convert';
import type { Session } from './session';

export function paths(session: Session, params: PathsParams | undefined): PathsResult {
  const snap = session.snapshot;
  if (!snap) return { paths: [] };
  const uri = params?.textDocument?.uri;
  if (uri === undefined) return { paths: snap.result.paths.map((p) => toPathInfo(snap, p)) };
  const file = uriToFile(uri);
  if (!file) return { paths: [] };
  let found: ReturnType<typeof snap.pathsThrough> | undefined;
  // The position is mapped only while the document is still at the analysed text; otherwise the whole
  // document's paths are the honest answer.
  if (params?.position && session.isCurrent(file)) {
    const offset = snap.lineIndex(file)?.offset(params.position);
    const resource = offset === undefined ? undefined : snap.resourceAt(file, offset);
    if (resource) found = snap.pathsThrough(resource.key);
  }
  return { paths: (found ?? snap.pathsInFile(file)).map((p) => toPathInfo(snap, p)) };
}
