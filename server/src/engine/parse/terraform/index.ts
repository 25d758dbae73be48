import type { BodyItem, Comment, HclFile, SyntaxError as HclSyntaxError } from './ast';
import { Parser, exact } from './parser';

export type * from './ast';
export type { Span } from '../../model/span';
export { parseTfJson } from './tfjson';
export type { TfJsonOptions } from './tfjson';

/**
 * Parses Terraform's native HCL syntax. Never throws: syntax errors are returned in `errors`, and
 * everything readable around them is in the tree. Offsets index `text` itself (a leading BOM included).
 */
export function parseHcl(text: string): HclFile {
  const errors: HclSyntaxError[] = [];
  const comments: Comment[] = [];
  const items: BodyItem[] = [];
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let parser: Parser | undefined;
  try {
    parser = new Parser(text, errors, comments);
    parser.parseFile(items, start);
  } catch (e) {
    // The parser is written not to throw; this keeps a bug in it from taking the language server down,
    // and keeps whatever was parsed before it.
    const at = parser ? Math.min(parser.lx.start, text.length) : 0;
    errors.push({
      message: `Internal error in the Terraform parser, the rest of the file was not read: ${e instanceof Error ? e.message : String(e)}`,
      span: { start: at, end: Math.min(at + 1, text.length) },
    });
  }
  return { body: { items: exact(items), span: { start: 0, end: text.length } }, errors, comments };
}
