/**
 * The engine's public surface. The language server, the CLI and the benchmark use only what is
 * exported here. The engine is pure: callers hand it file contents and settings; it returns data.
 */
export type { Settings, DeclaredLink } from './settings';
export { DEFAULT_SETTINGS, normalizeSettings } from './settings';
export type { Finding, Fix, TextEdit, Severity, PrivateLinkPath, Hop, HopKind, Verdict, RelatedInfo } from './model/finding';
export type { Resource, Language } from './model/resource';
export type { Span, Position, LineRange, Location } from './model/span';
export { LineIndex } from './model/span';
export { Analyzer, isCandidateFile, fileKind, parseFile } from './analyzer';
export { RULES, RULES_BY_ID, docUrl } from './rules/catalog';
export type { RuleMeta } from './rules/catalog';
export type { AnalysisResult, AnalysisStats, AnalysisTimings, AnalyzerOptions, ParsedFile, ResourceLookup, SecurityGroupSummary, RuleSummary } from './analyzer';
