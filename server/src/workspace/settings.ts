/**
 * Settings come per workspace folder, but the engine analyses the whole workspace at once (a consumer in
 * one folder reaches a provider in another), so it takes one `Settings`. These functions bridge the two:
 * one merged value for the engine, then each folder's own rule choices applied to the findings in its files.
 */
import { DEFAULT_SETTINGS, type Finding, type Settings } from '../engine';

export interface FolderSettings {
  /** The folder, as an engine path. */
  path: string;
  settings: Settings;
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
}

/** Declared links are written relative to their folder; the engine sees every folder, so it gets absolute paths. */
function absoluteLink(folder: string, side: string): string {
  const hash = side.indexOf('#');
  const p = (hash < 0 ? side : side.slice(0, hash)).replace(/\\/g, '/');
  const rest = hash < 0 ? '' : side.slice(hash);
  if (p === '' || isAbsolute(p)) return side;
  const segments = `${folder}/${p}`.split('/');
  const out: string[] = [];
  for (const s of segments) {
    if (s === '.' || (s === '' && out.length > 0)) continue;
    if (s === '..') {
      if (out.length > 1) out.pop();
      continue;
    }
    out.push(s);
  }
  return out.join('/') + rest;
}

/**
 * The one `Settings` the engine runs with. Rule choices go in only when every folder agrees (the rest is
 * applied per file by {@link applyFolderRules}); links, CIDRs and the debounce combine across folders.
 */
export function mergeSettings(folders: readonly FolderSettings[], fallback: Settings = DEFAULT_SETTINGS): Settings {
  if (folders.length === 0) return { ...fallback, exclude: [] };
  if (folders.length === 1) {
    const s = folders[0].settings;
    return { ...s, exclude: [], links: s.links.map((l) => ({ endpoint: absoluteLink(folders[0].path, l.endpoint), service: absoluteLink(folders[0].path, l.service) })) };
  }
  const rules: Settings['rules'] = {};
  const ids = new Set(folders.flatMap((f) => Object.keys(f.settings.rules)));
  for (const id of ids) {
    const first = folders[0].settings.rules[id];
    if (first !== undefined && folders.every((f) => f.settings.rules[id] === first)) rules[id] = first;
  }
  return {
    rules,
    // Exclusion happens while discovering files, per folder; the engine never sees excluded files.
    exclude: [],
    links: folders.flatMap((f) => f.settings.links.map((l) => ({ endpoint: absoluteLink(f.path, l.endpoint), service: absoluteLink(f.path, l.service) }))),
    consumerCidrs: [...new Set(folders.flatMap((f) => f.settings.consumerCidrs))],
    debounceMs: Math.min(...folders.map((f) => f.settings.debounceMs)),
  };
}

/**
 * Applies each folder's `rules` to the findings of the files inside it: `off` drops a finding, a severity
 * replaces the engine's. Parse errors are never turned off: a file that cannot be read is always news.
 */
export function applyFolderRules(findings: readonly Finding[], folderOf: (file: string) => FolderSettings | undefined, anyRules = true): Finding[] {
  // With no rule choices in any folder there is nothing to apply (the usual case, after every keystroke).
  if (!anyRules) return [...findings];
  const out: Finding[] = [];
  for (const f of findings) {
    const folder = folderOf(f.location.file);
    const choice = folder && f.ruleId !== 'parse-error' ? folder.settings.rules[f.ruleId.toUpperCase()] : undefined;
    if (choice === 'off') continue;
    out.push(choice && choice !== f.severity ? { ...f, severity: choice } : f);
  }
  return out;
}
