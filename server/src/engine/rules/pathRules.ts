import type { Fix } from '../model/finding';
import type { Endpoint, LoadBalancer } from '../graph/build';
import { clientsOf } from '../graph/paths';
import { sameTarget, subnetCidrs } from '../graph/build';
import { describeRule } from '../graph/securityGroups';
import { replacePeerFix, setAttributeFix, sgRuleFix, isDeclaredInFile, tfRef, type TextOf } from './fixes';
import { at, prop, type Rule, type RuleContext } from './types';

/**
 * The rules whose condition is a blocked check on a path hop (privatelink.md E: PL001, PL002, PL003,
 * PL021, PL022, PL024, PL025). graph/paths.ts finds the blocked checks while it evaluates each path; these
 * rules report them with their fixes.
 */
function pathRule(id: string, extraFixes?: (ctx: RuleContext, p: RuleContext['paths'][number]) => (Fix | undefined)[]): Rule {
  return {
    id,
    check(ctx, emit) {
      for (const p of ctx.paths) {
        for (const prob of p.problems) {
          if (prob.ruleId !== id) continue;
          const fixes: (Fix | undefined)[] = [];
          const replaced = prob.replacePeer && replacePeerFix(prob.replacePeer.rule, prob.replacePeer.cidrs, ctx.textOf);
          // Replacing a useless SG reference beats adding a rule beside it.
          if (replaced) fixes.push(replaced);
          else if (prob.sgFix) fixes.push(sgRuleFix(prob.sgFix, ctx.textOf));
          if (extraFixes) fixes.push(...extraFixes(ctx, p));
          emit({ message: prob.message, location: prob.location, related: prob.related, fixes });
        }
      }
    },
  };
}

export const PL001 = pathRule('PL001');
export const PL002 = pathRule('PL002');
export const PL021 = pathRule('PL021', (ctx, p) => [p.lb && enforcementOffFix(p.lb, ctx.textOf)]);
const PL022_BLOCKING = pathRule('PL022', (ctx, p) => [p.lb && enforcementOffFix(p.lb, ctx.textOf)]);

/**
 * PL022 also covers a security-group reference that blocks nothing only because another rule admits the
 * consumers: it still matches no PrivateLink traffic (A4.4), so it is reported as a warning there.
 */
export const PL022: Rule = {
  id: 'PL022',
  check(ctx, emit) {
    const reported = new Set<string>();
    PL022_BLOCKING.check(ctx, (f) => {
      reported.add(`${f.location.file}:${f.location.span.start}`);
      emit(f);
    });
    const byLb = new Map<string, Set<number>>();
    for (const s of ctx.graph.services) {
      for (const t of s.lbs) {
        const lb = t.kind === 'resource' ? ctx.graph.lbs.get(t.resource.key) : undefined;
        if (!lb || lb.noSgs || lb.enforcePrivateLink === 'off') continue;
        const ports = byLb.get(lb.resource.key) ?? byLb.set(lb.resource.key, new Set()).get(lb.resource.key)!;
        for (const l of lb.listeners) if (l.port !== undefined) ports.add(l.port);
      }
    }
    for (const [key, ports] of byLb) {
      const lb = ctx.graph.lbs.get(key)!;
      for (const sg of lb.sgs.groups) {
        for (const rule of sg.ingress) {
          if (rule.peer.kind !== 'sg' || reported.has(`${rule.origin.file}:${rule.origin.span.start}`)) continue;
          const onPort = [...ports].some((p) => rule.protocol === '-1' || (rule.fromPort !== undefined && rule.toPort !== undefined && rule.fromPort <= p && p <= rule.toPort));
          if (!onPort) continue;
          const t = rule.peer.target;
          // Only what is known to be outside the NLB's VPC: another VPC's group, or an `<account>/sg-…` id.
          const ref = t.kind === 'resource' ? ctx.graph.sgs.get(t.resource.key) : undefined;
          const otherVpc = ref && sameTarget(ref.vpc, sg.vpc) === false;
          const crossAccount = t.kind === 'literal' && t.id.includes('/');
          if (!otherVpc && !crossAccount) continue;
          reported.add(`${rule.origin.file}:${rule.origin.span.start}`);
          emit({
            severity: 'warning',
            message: `NLB security group ${sg.resource?.address ?? ''} admits ${describeRule(rule)}, which matches no PrivateLink traffic: it reaches ${lb.resource.address} from the client's private IP.`,
            location: rule.origin,
          });
        }
      }
    }
  },
};
export const PL024 = pathRule('PL024');
export const PL025 = pathRule('PL025');

/**
 * PL003: an interface endpoint without security groups gets the VPC default SG. A warning on its own; an
 * error where a known client is not a member of the default group and so is refused.
 */
export const PL003: Rule = {
  id: 'PL003',
  check(ctx, emit) {
    const blocked = new Set<string>();
    for (const p of ctx.paths) {
      for (const prob of p.problems) {
        if (prob.ruleId !== 'PL003' || !p.endpoint) continue;
        blocked.add(p.endpoint.resource.key);
        emit({ severity: 'error', message: prob.message, location: prob.location, related: prob.related, fixes: [endpointSgFix(p.endpoint, ctx)] });
      }
    }
    for (const e of ctx.graph.endpoints) {
      const r = e.resource;
      if (blocked.has(r.key) || !e.usesDefaultSg || e.type.toLowerCase() !== 'interface') continue;
      const sgVal = r.attrs[prop(r, 'security_group_ids', 'SecurityGroupIds')];
      if (sgVal && sgVal.kind === 'unknown') continue;
      // An error when the default group is known to refuse: adopted by aws_default_security_group without a
      // self rule, or not holding any known client of the endpoint.
      const dsg = e.sgs.groups.find((g) => g.isDefault);
      const others = e.sgs.groups.filter((g) => !g.isDefault);
      if (others.length > 0) {
        // Groups added by association: the default group stays beside them (no replace_default_association).
        emit({
          message: `Interface endpoint ${r.address} keeps the VPC default security group beside ${others.map((g) => g.resource?.address).join(', ')}, because no association replaces the default one (replace_default_association).`,
          location: at(r),
        });
        continue;
      }
      const adoptedWithoutSelf = !!dsg?.resource && !dsg.ingress.some((x) => x.peer.kind === 'self');
      const clients = clientsOf(ctx.graph, e);
      // A client with no groups in the config gets the default group too.
      const member = (c: (typeof clients)[number]) => c.sgs.groups.includes(dsg!) || (c.sgs.groups.length === 0 && c.sgs.unresolved.length === 0);
      const noMember = clients.length > 0 && dsg !== undefined && !clients.some(member);
      emit({
        severity: adoptedWithoutSelf || noMember ? 'error' : 'warning',
        message: adoptedWithoutSelf
          ? `Interface endpoint ${r.address} sets no security groups, so AWS attaches the VPC default security group, which ${dsg!.resource!.address} leaves without any rule admitting traffic.`
          : `Interface endpoint ${r.address} sets no security groups, so AWS attaches the VPC default security group, which admits only its own members.`,
        location: at(r),
        fixes: [endpointSgFix(e, ctx)],
      });
    }
  },
};

/** PL021/PL022 second option: turn PrivateLink inbound enforcement off on the NLB. */
function enforcementOffFix(lb: LoadBalancer, textOf: TextOf): Fix | undefined {
  const name = prop(lb.resource, 'enforce_security_group_inbound_rules_on_private_link_traffic', 'EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic');
  const f = setAttributeFix(lb.resource, textOf, name, '"off"', '"off"', `Do not apply ${lb.resource.address}'s inbound rules to PrivateLink traffic`);
  // Allowing the consumers' CIDRs keeps the filtering; turning enforcement off is the second choice.
  return f && { ...f, preferred: false };
}

/** PL003: give the endpoint a security group of its own. */
export function endpointSgFix(e: Endpoint, ctx: RuleContext): Fix | undefined {
  const textOf = ctx.textOf;
  const r = e.resource;
  // A name no resource of the same module or template already has.
  const taken = new Set(ctx.graph.index.all.filter((x) => x.root === r.root && (x.modulePath ?? '') === (r.modulePath ?? '')).map((x) => (x.lang === 'terraform' ? x.address.replace(/\[.*$/, '') : x.address)));
  const unique = (name: string, qualify: (n: string) => string) => {
    let n = name;
    for (let i = 2; taken.has(qualify(n)); i++) n = `${name}${r.lang === 'terraform' ? '_' : ''}${i}`;
    return n;
  };
  const text = textOf(r.file);
  if (text === undefined || !isDeclaredInFile(r, text)) return undefined;
  const tf = r.lang === 'terraform';
  const vpcSpan = r.attrSpans[tf ? 'vpc_id' : 'VpcId'];
  if (!vpcSpan) return undefined;
  const vpcText = text.slice(vpcSpan.start, vpcSpan.end).replace(tf ? /^[^=]*=\s*/ : /^[^:]*:\s*/, '');
  const lineStart = text.lastIndexOf('\n', r.span.start - 1) + 1;
  const ind = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const base = r.address.replace(/\[.*?\]/g, '').replace(/^.*\./, '').replace(/[^A-Za-z0-9_]/g, '_');
  // The new group admits the clients the analysis knows, on the listener ports, so the fix does not trade
  // this finding for a PL002: by their group when it is written next to the endpoint, else by subnet CIDR.
  const ports = [...new Set((e.service?.lbs ?? []).flatMap((t) => (t.kind === 'resource' ? (ctx.graph.lbs.get(t.resource.key)?.listeners ?? []) : [])).map((l) => l.port).filter((x): x is number => x !== undefined))].sort((a, b) => a - b);
  const sgRefs: string[] = [];
  const cidrs: string[] = [];
  for (const c of clientsOf(ctx.graph, e)) {
    const own = c.sgs.groups.find((g) => g.resource && !g.isDefault && g.resource.root === r.root && (g.resource.modulePath ?? '') === (r.modulePath ?? '') && g.resource.file.split('/').slice(0, -1).join('/') === r.file.split('/').slice(0, -1).join('/'));
    if (own?.resource) sgRefs.push(tf ? tfRef(own.resource, 'id') : own.resource.address);
    else {
      const cc = subnetCidrs(ctx.graph, c.subnets).cidrs;
      if (!cc) return undefined;
      cidrs.push(...cc);
    }
  }
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  if (tf) {
    const sgName = unique(`${base}_vpce`, (n) => `${r.modulePath ? `${r.modulePath}.` : ''}aws_security_group.${n}`);
    const set = setAttributeFix(r, textOf, 'security_group_ids', `[aws_security_group.${sgName}.id]`, '', '');
    if (!set) return undefined;
    let end = text.indexOf('\n', r.span.end - 1);
    if (end < 0) end = text.length;
    if (end > 0 && text[end - 1] === '\r') end--;
    const rules: string[] = [];
    for (const port of ports) {
      const rule = (peer: string) => ['', `${ind}  ingress {`, `${ind}    description = "PrivateLink clients"`, `${ind}    from_port   = ${port}`, `${ind}    to_port     = ${port}`, `${ind}    protocol    = "tcp"`, `${ind}    ${peer}`, `${ind}  }`];
      if (sgRefs.length > 0) rules.push(...rule(`security_groups = [${uniq(sgRefs).join(', ')}]`));
      if (cidrs.length > 0) rules.push(...rule(`cidr_blocks = [${uniq(cidrs).map((x) => JSON.stringify(x)).join(', ')}]`));
    }
    const sg = ['', `${ind}resource "aws_security_group" "${sgName}" {`, `${ind}  name_prefix = "${base}-vpce-"`, `${ind}  description = "Interface endpoint ${base}"`, `${ind}  vpc_id      = ${vpcText}`, ...rules, `${ind}}`].join(nl);
    return { title: `Create a security group for ${r.address}`, edits: [...set.edits, { file: r.file, span: { start: end, end }, newText: nl + sg }], preferred: true };
  }
  if (r.file.toLowerCase().endsWith('.json')) return undefined;
  const sgName = unique(`${r.address}Sg`, (n) => n);
  const set = setAttributeFix(r, textOf, 'SecurityGroupIds', '', `[!GetAtt ${sgName}.GroupId]`, '');
  if (!set) return undefined;
  const unit = '  ';
  let end = r.span.end;
  while (end > r.span.start && /\s/.test(text[end - 1])) end--;
  const le = text.indexOf('\n', end);
  let pos = le < 0 ? text.length : le;
  if (pos > 0 && text[pos - 1] === '\r') pos--;
  const p3 = `${ind}${unit}${unit}`;
  const items: string[] = [];
  for (const port of ports) {
    const item = (peer: string) => [`${p3}  - IpProtocol: tcp`, `${p3}    FromPort: ${port}`, `${p3}    ToPort: ${port}`, `${p3}    ${peer}`, `${p3}    Description: PrivateLink clients`];
    for (const g of uniq(sgRefs)) items.push(...item(`SourceSecurityGroupId: !GetAtt ${g}.GroupId`));
    for (const c of uniq(cidrs)) items.push(...item(`${c.includes(':') ? 'CidrIpv6' : 'CidrIp'}: ${c}`));
  }
  const block = ['', `${ind}${sgName}:`, `${ind}${unit}Type: AWS::EC2::SecurityGroup`, `${ind}${unit}Properties:`, `${p3}GroupDescription: Interface endpoint ${r.address}`, `${p3}VpcId: ${vpcText}`, ...(items.length > 0 ? [`${p3}SecurityGroupIngress:`, ...items] : [])].join(nl);
  return { title: `Create a security group for ${r.address}`, edits: [...set.edits, { file: r.file, span: { start: pos, end: pos }, newText: block }], preferred: true };
}

