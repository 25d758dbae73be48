import type { Fix, TextEdit } from '../model/finding';
import type { Resource } from '../model/resource';
import type { Span } from '../model/span';
import type { Value } from '../model/value';
import type { SecurityGroup, SgRule } from '../graph/securityGroups';
import type { SgFixRequest } from '../graph/paths';

/**
 * Quick fixes written in the style the file already uses (privatelink.md E0, "Quick-fix convention"):
 * append to a group's inline rules when it has them, otherwise add a standalone rule resource right after
 * the group. Every edit is an insertion or replacement at offsets of the file as the engine read it.
 */
export type TextOf = (file: string) => string | undefined;

function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAt(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

function indentAt(text: string, offset: number): string {
  const s = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(s))![0];
}

/** The line break the file uses, so a fix in a CRLF file stays CRLF. */
function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Inserts whole lines after the line that contains `offset`. */
function insertLinesAfter(file: string, text: string, offset: number, lines: string[]): TextEdit {
  let end = lineEndAt(text, offset);
  if (end > 0 && text[end - 1] === '\r') end--;
  const nl = eol(text);
  return { file, span: { start: end, end }, newText: nl + lines.join(nl) };
}

/** A Terraform reference to a resource written in its own module (`aws_security_group.x["a"].id`). */
export function tfRef(r: Resource, attr: string): string {
  const prefix = r.modulePath ? `${r.modulePath}.` : '';
  const addr = r.address.startsWith(prefix) ? r.address.slice(prefix.length) : r.address;
  return `${addr}.${attr}`;
}

/** Whether the resource's text is a real declaration in its file (not one a registry module model made). */
export function isDeclaredInFile(r: Resource, text: string): boolean {
  if (r.lang === 'terraform') return text.startsWith('resource', r.span.start) || text.startsWith('"', r.span.start);
  return true;
}

function safeName(s: string): string {
  return s.replace(/\[.*?\]/g, '').replace(/^.*\./, '').replace(/[^A-Za-z0-9_]/g, '_');
}

function cfnLogicalName(s: string): string {
  return s.replace(/[^A-Za-z0-9]/g, '');
}

function sameModule(a: Resource, b: Resource): boolean {
  return a.lang === b.lang && a.root === b.root && (a.modulePath ?? '') === (b.modulePath ?? '') && dir(a.file) === dir(b.file);
}

function dir(f: string): string {
  return f.slice(0, f.lastIndexOf('/'));
}

/** The fix for a missing SG rule, or undefined when it cannot be written safely. */
export function sgRuleFix(req: SgFixRequest, textOf: TextOf): Fix | undefined {
  const r = req.sg.resource;
  if (!r) return undefined;
  const text = textOf(r.file);
  if (text === undefined || !isDeclaredInFile(r, text)) return undefined;
  const peerSg = req.peerSg?.resource && sameModule(req.peerSg.resource, r) && (r.lang === 'terraform' ? text !== undefined : true) ? req.peerSg.resource : undefined;
  const cidrs = peerSg ? undefined : req.peerCidrs;
  if (!peerSg && (!cidrs || cidrs.length === 0)) return undefined;
  const edits = r.lang === 'terraform' ? tfSgRule(req, r, text, peerSg, cidrs) : cfnSgRule(req, r, text, peerSg, cidrs);
  if (!edits) return undefined;
  const peerText = peerSg ? peerSg.address : cidrs!.join(', ');
  return {
    title: `Allow ${req.protocol.toUpperCase()} ${req.port} ${req.direction === 'ingress' ? 'from' : 'to'} ${peerText} in ${r.address}`,
    edits,
    preferred: true,
  };
}

function inlineRules(sg: SecurityGroup, direction: 'ingress' | 'egress'): Span[] {
  return sg[direction].filter((x) => x.inline && x.declaredBy === sg.resource).map((x) => x.origin.span);
}

function tfSgRule(req: SgFixRequest, r: Resource, text: string, peerSg: Resource | undefined, cidrs: string[] | undefined): TextEdit[] | undefined {
  const same = inlineRules(req.sg, req.direction);
  const any = same.length > 0 ? same : [...inlineRules(req.sg, 'ingress'), ...inlineRules(req.sg, 'egress')];
  if (any.length > 0) {
    // The group already writes its rules inline: add one more block of the same shape (A1.8).
    const last = any.reduce((a, b) => (b.end > a.end ? b : a));
    const ind = indentAt(text, last.start);
    const inner = `${ind}  `;
    const peerLine = peerSg ? `${inner}security_groups = [${tfRef(peerSg, 'id')}]` : `${inner}cidr_blocks     = [${cidrs!.map((c) => JSON.stringify(c)).join(', ')}]`;
    return [
      insertLinesAfter(r.file, text, last.end - 1, [
        '',
        `${ind}${req.direction} {`,
        `${inner}description     = ${JSON.stringify(req.description)}`,
        `${inner}from_port       = ${req.port}`,
        `${inner}to_port         = ${req.port}`,
        `${inner}protocol        = ${JSON.stringify(req.protocol)}`,
        peerLine,
        `${ind}}`,
      ]),
    ];
  }
  const ind = indentAt(text, r.span.start);
  const type = req.direction === 'ingress' ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule';
  const base = `${safeName(r.address)}_${req.direction === 'ingress' ? 'from' : 'to'}_${peerSg ? safeName(peerSg.address) : req.peerName}_${req.port}`;
  const lines: string[] = [];
  const peers = peerSg ? [`referenced_security_group_id = ${tfRef(peerSg, 'id')}`] : cidrs!.map((c) => `cidr_ipv4                    = ${JSON.stringify(c)}`);
  peers.forEach((peer, i) => {
    lines.push(
      '',
      `${ind}resource "${type}" "${base}${peers.length > 1 ? `_${i + 1}` : ''}" {`,
      `${ind}  security_group_id            = ${tfRef(r, 'id')}`,
      `${ind}  ${peer}`,
      `${ind}  ip_protocol                  = ${JSON.stringify(req.protocol)}`,
      `${ind}  from_port                    = ${req.port}`,
      `${ind}  to_port                      = ${req.port}`,
      `${ind}  description                  = ${JSON.stringify(req.description)}`,
      `${ind}}`,
    );
  });
  return [insertLinesAfter(r.file, text, r.span.end - 1, lines)];
}

function isJson(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

function cfnSgRule(req: SgFixRequest, r: Resource, text: string, peerSg: Resource | undefined, cidrs: string[] | undefined): TextEdit[] | undefined {
  if (isJson(r.file)) return undefined;
  const peerKey = req.direction === 'ingress' ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId';
  const peerLines = peerSg ? [[`${peerKey}: !GetAtt ${peerSg.address}.GroupId`]] : cidrs!.map((c) => [`${c.includes(':') ? 'CidrIpv6' : 'CidrIp'}: ${c}`]);
  // A reference to another group goes into a standalone resource: two groups that name each other inline
  // are a circular dependency in CloudFormation (A1.7).
  const same = peerSg ? [] : inlineRules(req.sg, req.direction);
  if (same.length > 0) {
    // Append to the inline list, as one more item with the indentation of the last one.
    const last = same.reduce((a, b) => (b.end > a.end ? b : a));
    const ls = lineStartAt(text, last.start);
    const prefix = text.slice(ls, last.start);
    if (!/^[ \t]*-[ \t]+$/.test(prefix)) return undefined;
    const cont = ' '.repeat(prefix.length);
    const lines: string[] = [];
    for (const peer of peerLines) {
      lines.push(`${prefix}IpProtocol: ${req.protocol}`, `${cont}FromPort: ${req.port}`, `${cont}ToPort: ${req.port}`, ...peer.map((p) => `${cont}${p}`), `${cont}Description: ${req.description}`);
    }
    return [insertLinesAfter(r.file, text, lastContentEnd(text, last), lines)];
  }
  // A standalone rule resource after the group, which also avoids circular dependencies (A1.7).
  const ind = indentAt(text, r.nameSpan.start);
  const unit = detectIndentUnit(text, r);
  const type = req.direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress';
  const lines: string[] = [];
  peerLines.forEach((peer, i) => {
    const name = `${cfnLogicalName(r.address)}${req.direction === 'ingress' ? 'From' : 'To'}${peerSg ? cfnLogicalName(peerSg.address) : cfnLogicalName(req.peerName[0].toUpperCase() + req.peerName.slice(1))}${req.port}${peerLines.length > 1 ? i + 1 : ''}`;
    const p = `${ind}${unit}${unit}`;
    lines.push(
      `${ind}${name}:`,
      `${ind}${unit}Type: ${type}`,
      `${ind}${unit}Properties:`,
      `${p}GroupId: !GetAtt ${r.address}.GroupId`,
      `${p}IpProtocol: ${req.protocol}`,
      `${p}FromPort: ${req.port}`,
      `${p}ToPort: ${req.port}`,
      ...peer.map((x) => `${p}${x}`),
      `${p}Description: ${req.description}`,
    );
  });
  return [insertLinesAfter(r.file, text, lastContentEnd(text, r.span), lines)];
}

/** The last non-blank character of a span (YAML node spans can run into following blank lines). */
function lastContentEnd(text: string, s: Span): number {
  let e = s.end;
  while (e > s.start && /\s/.test(text[e - 1])) e--;
  return Math.max(s.start, e - 1);
}

function detectIndentUnit(text: string, r: Resource): string {
  const base = indentAt(text, r.nameSpan.start).length;
  const after = text.indexOf('\n', r.nameSpan.end);
  if (after >= 0) {
    const m = /^[ \t]*/.exec(text.slice(after + 1))![0];
    if (m.length > base) return m.slice(base);
  }
  return '  ';
}

/**
 * Sets a top-level attribute / property: replaces the value when it is written literally in the resource,
 * adds a line after the last attribute otherwise.
 */
export function setAttributeFix(r: Resource, textOf: TextOf, name: string, tfValue: string, cfnValue: string, title: string): Fix | undefined {
  const text = textOf(r.file);
  if (text === undefined || !isDeclaredInFile(r, text)) return undefined;
  if (r.lang === 'cloudformation' && isJson(r.file)) return undefined;
  const existing = r.attrSpans[name];
  const v: Value | undefined = r.attrs[name];
  const newValue = r.lang === 'terraform' ? tfValue : cfnValue;
  if (existing) {
    const o = v?.origin;
    if (!o || o.file !== r.file || o.span.start < existing.start || o.span.end > existing.end) return undefined;
    return { title, edits: [{ file: r.file, span: o.span, newText: newValue }], preferred: true };
  }
  const spans = Object.values(r.attrSpans);
  if (spans.length === 0) return undefined;
  const first = spans.reduce((a, b) => (b.start < a.start ? b : a));
  const last = spans.reduce((a, b) => (b.end > a.end ? b : a));
  const ind = indentAt(text, first.start);
  const line = r.lang === 'terraform' ? `${ind}${name} = ${newValue}` : `${ind}${name}: ${newValue}`;
  return { title, edits: [insertLinesAfter(r.file, text, lastContentEnd(text, last), [line])], preferred: true };
}

/**
 * PL022: a security-group peer cannot match PrivateLink traffic at the NLB (it carries the client's IP), so
 * the rule's peer becomes the consumers' CIDRs, in whichever form the rule is written.
 */
export function replacePeerFix(rule: SgRule, cidrs: string[], textOf: TextOf): Fix | undefined {
  const r = rule.declaredBy;
  const text = textOf(r.file);
  if (text === undefined || !isDeclaredInFile(r, text) || cidrs.length === 0) return undefined;
  const title = `Admit ${cidrs.join(', ')} instead of the security group reference`;
  const replaceIn = (span: Span, pattern: RegExp, replacement: string): Fix | undefined => {
    const slice = text.slice(span.start, span.end);
    const m = pattern.exec(slice);
    if (!m) return undefined;
    const start = span.start + m.index + (m[1]?.length ?? 0);
    return { title, edits: [{ file: r.file, span: { start, end: span.start + m.index + m[0].length }, newText: replacement }], preferred: true };
  };
  const quoted = cidrs.map((c) => JSON.stringify(c)).join(', ');
  if (r.lang === 'terraform') {
    if (rule.inline) return replaceIn(rule.origin.span, /(\n[ \t]*)security_groups(\s*)=\s*\[[^\]]*\]/, `cidr_blocks = [${quoted}]`);
    if (r.type === 'aws_security_group_rule') return replaceIn(r.span, /(\n[ \t]*)source_security_group_id\s*=\s*[^\n]+/, `cidr_blocks = [${quoted}]`);
    if (cidrs.length === 1) return replaceIn(r.span, /(\n[ \t]*)referenced_security_group_id\s*=\s*[^\n]+/, `cidr_ipv4 = ${quoted}`);
    return undefined;
  }
  if (isJson(r.file) || cidrs.length !== 1) return undefined;
  const span = rule.inline ? rule.origin.span : r.span;
  return replaceIn(span, /((?:^|\n)[ \t]*(?:- )?)SourceSecurityGroupId:[^\n]*/, `${cidrs[0].includes(':') ? 'CidrIpv6' : 'CidrIp'}: ${cidrs[0]}`);
}
