/**
 * A small glob matcher for the `privatelinkLens.exclude` setting. Patterns are relative to a workspace
 * folder and use `/` as the separator whatever the platform:
 *   `**` any number of path segments (including none), `*` any run of characters within a segment,
 *   `?` one character within a segment, `{a,b}` alternatives.
 * A pattern without a `/` matches a file or directory name at any depth (`*.generated.tf`, `legacy`), the
 * way .gitignore reads it, because that is what people expect when they type a bare name. A pattern that
 * matches a directory excludes everything below it.
 */

/** Directories never worth reading: provider/module caches, dependencies and version-control data. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['.terraform', 'node_modules', '.git']);

export function globToRegExp(pattern: string): RegExp {
  let p = pattern.trim().replace(/\\/g, '/');
  if (p.startsWith('./')) p = p.slice(2);
  const anchored = p.startsWith('/');
  if (anchored) p = p.slice(1);
  if (p.endsWith('/')) p = p.slice(0, -1);
  // A bare name (no separator) may sit at any depth.
  if (!anchored && !p.includes('/') && !p.startsWith('**')) p = `**/${p}`;
  let re = '';
  let braceDepth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '/' && p.slice(i + 1) === '**') {
      // A trailing `/**` matches the directory itself as well as everything below it.
      re += '(?:/.*)?';
      break;
    }
    if (c === '*') {
      if (p[i + 1] === '*') {
        const atSegmentStart = i === 0 || p[i - 1] === '/';
        const atSegmentEnd = i + 2 === p.length || p[i + 2] === '/';
        if (atSegmentStart && atSegmentEnd) {
          if (p[i + 2] === '/') {
            // `**/` matches zero or more whole directories.
            re += '(?:.*/)?';
            i += 2;
          } else {
            re += '.*';
            i += 1;
          }
          continue;
        }
        // `a**b` inside a segment behaves like `*`.
        re += '[^/]*';
        i += 1;
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      braceDepth++;
      re += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      re += ')';
    } else if (c === ',' && braceDepth > 0) {
      re += '|';
    } else {
      re += c.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
    }
  }
  // An unbalanced `{` is taken literally rather than producing an invalid expression.
  if (braceDepth > 0) return globToRegExp(pattern.replace(/[{}]/g, ''));
  return new RegExp(`^${re}$`);
}

/** Decides which workspace-relative paths are excluded, by the built-in directory list and the globs. */
export class Excluder {
  private readonly patterns: RegExp[];

  constructor(globs: readonly string[]) {
    this.patterns = globs.filter((g) => g.trim() !== '').map(globToRegExp);
  }

  /** For a directory met while walking: true when nothing below it should be read. */
  excludesDirectory(relativePath: string): boolean {
    const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
    if (SKIPPED_DIRECTORIES.has(name)) return true;
    return this.matches(relativePath);
  }

  /**
   * For a single file, e.g. from a file-watcher event: checks the file and every directory above it, since
   * the walk that would have pruned those directories did not happen.
   */
  excludesFile(relativePath: string): boolean {
    const segments = relativePath.split('/').filter((s) => s !== '');
    for (let i = 0; i < segments.length - 1; i++) {
      if (SKIPPED_DIRECTORIES.has(segments[i])) return true;
      if (this.matches(segments.slice(0, i + 1).join('/'))) return true;
    }
    return this.matches(segments.join('/'));
  }

  private matches(relativePath: string): boolean {
    return relativePath !== '' && this.patterns.some((re) => re.test(relativePath));
  }
}
