/**
 * Small Markdown helpers for hovers. Engine text (messages, labels) is shown as written, with only the
 * characters escaped that Markdown would otherwise swallow (`<cidr>` would be dropped as an HTML tag).
 */
import type { HopKind, Verdict } from '../engine';

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\<>[\]]/g, (c) => `\\${c}`);
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${text}${fence === '``' ? ' ' : ''}${fence}`;
}

export function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${escapeMarkdown(title)}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

export const VERDICT_MARK: Record<Verdict, string> = { open: '✓', blocked: '✗', unknown: '?' };

export const HOP_NAMES: Record<HopKind, string> = {
  client: 'client',
  clientSg: 'client SG',
  endpointSg: 'endpoint SG',
  endpoint: 'endpoint',
  endpointService: 'endpoint service',
  nlbSg: 'NLB SG',
  nlb: 'NLB',
  listener: 'listener',
  targetGroup: 'target group',
  targetSg: 'target SG',
  target: 'target',
};
