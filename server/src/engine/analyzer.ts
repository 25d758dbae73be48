import type { Finding, PrivateLinkPath } from './model/finding';
import type { Resource } from './model/resource';
import type { Settings } from './settings';

export interface AnalysisStats {
  files: number;
  parseMs: number;
  analyzeMs: number;
}

export interface AnalysisResult {
  /** Findings of every file, parse errors (`ruleId: "parse-error"`) included. */
  findings: Finding[];
  paths: PrivateLinkPath[];
  resources: Resource[];
  stats: AnalysisStats;
}

/**
 * Holds the workspace's files in memory and analyses them. `setFile` parses one file (and only that
 * file); `analyze` derives the cross-file model, the graph, the paths and the findings from the per-file
 * results. Files are named by absolute path with forward slashes; the caller does all reading from disk.
 */
export class Analyzer {
  private readonly texts = new Map<string, string>();

  setFile(file: string, text: string): void {
    this.texts.set(file, text);
  }

  removeFile(file: string): void {
    this.texts.delete(file);
  }

  hasFile(file: string): boolean {
    return this.texts.has(file);
  }

  files(): string[] {
    return [...this.texts.keys()];
  }

  text(file: string): string | undefined {
    return this.texts.get(file);
  }

  analyze(_settings: Settings): AnalysisResult {
    // Filled in by the reader, graph and rule layers.
    return { findings: [], paths: [], resources: [], stats: { files: this.texts.size, parseMs: 0, analyzeMs: 0 } };
  }
}

/** Whether a path can hold Terraform or CloudFormation worth reading (by name; content decides later). */
export function isCandidateFile(file: string): boolean {
  const f = file.toLowerCase();
  return /\.(tf|tf\.json|tfvars|tfvars\.json|ya?ml|json|template)$/.test(f);
}
