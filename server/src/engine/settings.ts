import type { Severity } from './model/finding';

/**
 * The `privatelinkLens.*` settings, typed once: the VS Code client contributes them, the server reads
 * them per workspace folder, and the CLI reads the same shape from `--config`.
 */
export interface Settings {
  /** Per rule: a severity, or `off` to disable it. */
  rules: Record<string, Severity | 'off'>;
  /** Glob patterns (workspace-relative) of files never analysed, besides `.terraform/`, `node_modules/`, `.git/`. */
  exclude: string[];
  /**
   * Declared endpoint -> endpoint service links, for service names that only exist after deployment.
   * Both sides are `<path>#<address or logical id>` (path relative to the workspace folder).
   */
  links: DeclaredLink[];
  /** Consumer CIDRs a provider-only repository expects, so the NLB side can still be checked. */
  consumerCidrs: string[];
  /** Milliseconds to wait after a keystroke before re-analysing. */
  debounceMs: number;
}

export interface DeclaredLink {
  endpoint: string;
  service: string;
}

export const DEFAULT_SETTINGS: Settings = {
  rules: {},
  exclude: [],
  links: [],
  consumerCidrs: [],
  debounceMs: 200,
};

/** Fills in what a partial or malformed settings object leaves out, never trusting its shape. */
export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, Severity | 'off'> = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [k, v] of Object.entries(r.rules as Record<string, unknown>)) {
      if (v === 'error' || v === 'warning' || v === 'info' || v === 'off') rules[k.toUpperCase()] = v;
    }
  }
  const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
  const links: DeclaredLink[] = Array.isArray(r.links)
    ? r.links.flatMap((l) =>
        l && typeof l === 'object' && typeof (l as DeclaredLink).endpoint === 'string' && typeof (l as DeclaredLink).service === 'string'
          ? [{ endpoint: (l as DeclaredLink).endpoint, service: (l as DeclaredLink).service }]
          : [],
      )
    : [];
  const debounce = typeof r.debounceMs === 'number' && r.debounceMs >= 0 && r.debounceMs <= 10000 ? r.debounceMs : DEFAULT_SETTINGS.debounceMs;
  return { rules, exclude: strings(r.exclude), links, consumerCidrs: strings(r.consumerCidrs), debounceMs: debounce };
}
