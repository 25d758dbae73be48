export type { CfnNode, CfnMapping, CfnSequence, CfnScalar, CfnEntry, CfnComment, CfnSyntaxError, CfnParseResult } from './tree';
export { entryOf, valueOf, scalarText, isCloudFormation, looksLikeCloudFormation, isJsonTemplateText } from './tree';
export { parseCfnYaml, longFormOf } from './yaml';
export { parseCfnJson } from './json';
