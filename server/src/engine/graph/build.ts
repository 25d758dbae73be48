import type { Resource } from '../model/resource';
import type { Settings } from '../settings';
import { type Value, asBool, asList, asNumber, asString, getAttr } from '../model/value';
import { ResourceIndex, targetId, type Target } from './refs';
import { buildSecurityGroups, defaultSg, type SecurityGroup } from './securityGroups';

/**
 * The PrivateLink graph (privatelink.md E0): both languages normalised into one set of nodes, so every
 * rule and every path reads the same shapes whatever syntax declared them.
 */
export interface Vpc {
  resource: Resource;
  cidrs: string[];
  dnsHostnames: boolean | undefined;
  dnsSupport: boolean | undefined;
}

export interface Subnet {
  resource: Resource;
  vpc: Target;
  cidr: string | undefined;
  az: string | undefined;
  azId: string | undefined;
}

export interface SgSet {
  groups: SecurityGroup[];
  /** Groups named by literal ids or values that are not known: the member set is not fully known. */
  unresolved: string[];
}

export interface Compute {
  resource: Resource;
  sgs: SgSet;
  subnets: Target[];
  vpc: Target;
}

export interface Endpoint {
  resource: Resource;
  type: string;
  vpc: Target;
  /** The explicit SG list (plus associations); empty means the VPC default SG (A2.2). */
  sgs: SgSet;
  usesDefaultSg: boolean;
  subnets: Target[];
  privateDns: boolean | undefined;
  /** `ipv4` | `dualstack` | `ipv6`, when set. */
  ipAddressType: string | undefined;
  /** The endpoint policy, when one is set. */
  policy: Value | undefined;
  /** Terraform `auto_accept` (same-account acceptance by the consumer). */
  autoAccept: boolean | undefined;
  serviceName: Value | undefined;
  service?: EndpointService;
  /** How the service was found, or why it was not. */
  serviceLink: { kind: 'reference' | 'declared' } | { kind: 'unresolved'; reason: string } | { kind: 'aws-service' };
}

export interface EndpointService {
  resource: Resource;
  acceptanceRequired: boolean | undefined;
  principals: { value: Value; declaredBy: Resource }[];
  lbs: Target[];
  privateDnsName: Value | undefined;
  /** `supported_ip_address_types` / `SupportedIpAddressTypes`; undefined when not set (AWS: ipv4). */
  ipTypes: string[] | undefined;
  /** Endpoints accepted in the config (`aws_vpc_endpoint_connection_accepter`), by endpoint key. */
  accepted: Set<string>;
  /** An `aws_vpc_endpoint_service_private_dns_verification` exists for it. */
  dnsVerified: boolean;
}

export interface LoadBalancer {
  resource: Resource;
  type: string;
  sgs: SgSet;
  /** The SG list is empty in the config (no filtering; SGs can't be added later, A4.2). */
  noSgs: boolean;
  enforcePrivateLink: string;
  enforceExplicit: boolean;
  subnets: Target[];
  internal: boolean | undefined;
  crossZone: boolean | undefined;
  ipAddressType: string | undefined;
  listeners: Listener[];
}

export interface Listener {
  resource: Resource;
  port: number | undefined;
  protocol: string | undefined;
  targetGroups: Target[];
}

export interface TargetGroup {
  resource: Resource;
  port: number | undefined;
  protocol: string | undefined;
  targetType: string;
  /** A fixed health-check port; undefined for "traffic-port" (each target's own port, A6.4). */
  healthCheckPort: number | undefined;
  /** Upper-case health-check protocol when set (TCP, HTTP, HTTPS). */
  healthCheckProtocol: string | undefined;
  proxyProtocolV2: boolean;
  /** The target group's own cross-zone setting: true, false, or undefined (use the load balancer's). */
  crossZone: boolean | undefined;
  preserveClientIp: boolean | undefined;
  vpc: Target;
  targets: TargetNode[];
}

export interface TargetNode {
  /** The attachment / ASG / ECS service / CFN TG entry that registers the target. */
  via: Resource;
  /** The compute behind it, when known. */
  compute?: Compute;
  /** An IP target. */
  ip?: string;
  port: number | undefined;
  /** Why the target cannot be followed further. */
  unresolved?: string;
}

export interface Graph {
  index: ResourceIndex;
  sgs: Map<string, SecurityGroup>;
  vpcs: Map<string, Vpc>;
  subnets: Map<string, Subnet>;
  computes: Compute[];
  endpoints: Endpoint[];
  services: EndpointService[];
  lbs: Map<string, LoadBalancer>;
  targetGroups: Map<string, TargetGroup>;
  /** What each flow log watches: VPC, subnet or network interface targets. */
  flowLogs: { resource: Resource; target: Target }[];
  /** For each SG key, the resources it is attached to (compute, endpoints, load balancers). */
  sgAttachments: Map<string, Resource[]>;
}

const tf = (r: Resource) => r.lang === 'terraform';

function boolOf(v: Value | undefined): boolean | undefined {
  return asBool(v);
}

export function buildGraph(resources: Resource[], settings: Settings): Graph {
  const index = new ResourceIndex(resources.filter((r) => r.mode === 'managed' || r.type.startsWith('AWS::')));
  const sgs = buildSecurityGroups(index);
  const g: Graph = { index, sgs, vpcs: new Map(), subnets: new Map(), computes: [], endpoints: [], services: [], lbs: new Map(), targetGroups: new Map(), flowLogs: [], sgAttachments: new Map() };

  for (const r of index.ofType('aws_vpc', 'aws_default_vpc', 'AWS::EC2::VPC')) {
    const cidrs = [asString(tf(r) ? r.attrs.cidr_block : r.attrs.CidrBlock)].filter((c): c is string => !!c);
    g.vpcs.set(r.key, {
      resource: r,
      cidrs,
      dnsHostnames: boolOf(tf(r) ? r.attrs.enable_dns_hostnames : r.attrs.EnableDnsHostnames),
      dnsSupport: boolOf(tf(r) ? r.attrs.enable_dns_support : r.attrs.EnableDnsSupport),
    });
  }
  for (const r of index.ofType('aws_subnet', 'AWS::EC2::Subnet')) {
    g.subnets.set(r.key, {
      resource: r,
      vpc: index.target(tf(r) ? r.attrs.vpc_id : r.attrs.VpcId),
      cidr: asString(tf(r) ? r.attrs.cidr_block : r.attrs.CidrBlock),
      az: asString(tf(r) ? r.attrs.availability_zone : r.attrs.AvailabilityZone),
      azId: asString(tf(r) ? r.attrs.availability_zone_id : r.attrs.AvailabilityZoneId),
    });
  }

  const sgSet = (v: Value | undefined): SgSet => {
    const groups: SecurityGroup[] = [];
    const unresolved: string[] = [];
    for (const t of index.targets(v)) {
      if (t.kind === 'resource') {
        if (t.resource.type === 'aws_vpc' || t.resource.type === 'AWS::EC2::VPC') {
          groups.push(defaultSg(sgs, index, t.resource));
          continue;
        }
        const sg = sgs.get(t.resource.key);
        if (sg) groups.push(sg);
        else unresolved.push(`${t.resource.address} is not a security group`);
      } else if (t.kind === 'literal') unresolved.push(`security group ${t.id} is not defined in the workspace`);
      else unresolved.push(t.reason);
    }
    return { groups, unresolved };
  };

  /**
   * A resource named by its `name` (`aws_launch_template.x.name`, `aws_autoscaling_group.x.name`): the
   * evaluator gives the configured string, which is matched back to the resource of the same root.
   */
  const byName = (v: Value | undefined, types: string[], from: Resource): Target => {
    const t = index.target(v);
    if (t.kind !== 'literal') return t;
    const hit = index.ofType(...types).find((x) => x.root === from.root && asString(x.attrs.name ?? x.attrs.LaunchTemplateName ?? x.attrs.AutoScalingGroupName) === t.id);
    return hit ? { kind: 'resource', resource: hit, attr: [] } : t;
  };

  // Compute that can be a client or a target.
  const computeFor = new Map<string, Compute>();
  const addCompute = (r: Resource, sgVal: Value | undefined, subnetVal: Value | undefined) => {
    const subnets = index.targets(subnetVal);
    const sgs = sgSet(sgVal);
    let vpc = vpcOfSubnets(g, subnets);
    // A security group can only be attached in its own VPC (A1.6): when the subnet is not known, the
    // groups still say where the compute runs.
    if (vpc.kind === 'unknown') vpc = sgs.groups.map((x) => x.vpc).find((t) => t.kind !== 'unknown') ?? vpc;
    const c: Compute = { resource: r, sgs, subnets, vpc };
    g.computes.push(c);
    computeFor.set(r.key, c);
    return c;
  };
  const enis = new Map(index.ofType('aws_network_interface').map((n) => [n.key, n]));
  for (const r of index.ofType('aws_instance')) {
    // An instance launched with its own `network_interface` blocks takes the primary interface's groups
    // and subnet (device index 0).
    const nics = asList(r.attrs.network_interface);
    const primary = nics.find((n) => asNumber(getAttr(n, 'device_index')) === 0) ?? nics[0];
    const eniT = primary ? index.target(getAttr(primary, 'network_interface_id')) : undefined;
    const eni = eniT?.kind === 'resource' ? enis.get(eniT.resource.key) : undefined;
    const sgVal = r.attrs.vpc_security_group_ids ?? r.attrs.security_groups ?? eni?.attrs.security_groups;
    addCompute(r, sgVal, r.attrs.subnet_id ?? eni?.attrs.subnet_id);
  }
  for (const r of index.ofType('AWS::EC2::Instance')) {
    const nics = asList(r.attrs.NetworkInterfaces);
    const first = nics[0];
    if (first && first.kind === 'object') addCompute(r, getAttr(first, 'GroupSet'), getAttr(first, 'SubnetId'));
    else addCompute(r, r.attrs.SecurityGroupIds ?? r.attrs.SecurityGroups, r.attrs.SubnetId);
  }
  for (const r of index.ofType('aws_lambda_function')) {
    const vc = asList(r.attrs.vpc_config)[0];
    if (vc) addCompute(r, getAttr(vc, 'security_group_ids'), getAttr(vc, 'subnet_ids'));
  }
  for (const r of index.ofType('AWS::Lambda::Function')) {
    const vc = r.attrs.VpcConfig;
    if (vc && vc.kind === 'object') addCompute(r, getAttr(vc, 'SecurityGroupIds'), getAttr(vc, 'SubnetIds'));
  }
  for (const r of index.ofType('aws_ecs_service')) {
    const nc = asList(r.attrs.network_configuration)[0];
    if (nc) addCompute(r, getAttr(nc, 'security_groups'), getAttr(nc, 'subnets'));
  }
  for (const r of index.ofType('AWS::ECS::Service')) {
    const aws = getAttr(r.attrs.NetworkConfiguration, 'AwsvpcConfiguration');
    if (aws) addCompute(r, getAttr(aws, 'SecurityGroups'), getAttr(aws, 'Subnets'));
  }
  for (const r of index.ofType('aws_network_interface')) addCompute(r, r.attrs.security_groups, r.attrs.subnet_id);
  for (const r of index.ofType('aws_db_instance')) addCompute(r, r.attrs.vpc_security_group_ids, undefined);
  // Launch templates carry SGs for the instances an ASG starts; the ASG gives the subnets.
  const launchTemplates = new Map<string, Value | undefined>();
  for (const r of index.ofType('aws_launch_template')) {
    const nic = asList(r.attrs.network_interfaces)[0];
    launchTemplates.set(r.key, (nic && getAttr(nic, 'security_groups')) ?? r.attrs.vpc_security_group_ids);
  }
  for (const r of index.ofType('AWS::EC2::LaunchTemplate')) {
    const d = r.attrs.LaunchTemplateData;
    const nic = asList(getAttr(d, 'NetworkInterfaces'))[0];
    launchTemplates.set(r.key, (nic && getAttr(nic, 'Groups')) ?? getAttr(d, 'SecurityGroupIds'));
  }
  for (const r of index.ofType('aws_autoscaling_group', 'AWS::AutoScaling::AutoScalingGroup')) {
    let lt: Value | undefined = tf(r) ? asList(r.attrs.launch_template)[0] : r.attrs.LaunchTemplate;
    if (!lt) {
      // A mixed instances policy names its template one level deeper.
      lt = tf(r)
        ? asList(getAttr(asList(getAttr(asList(r.attrs.mixed_instances_policy)[0], 'launch_template'))[0], 'launch_template_specification'))[0]
        : getAttr(getAttr(r.attrs.MixedInstancesPolicy, 'LaunchTemplate'), 'LaunchTemplateSpecification');
    }
    const ltId = lt ? (tf(r) ? (getAttr(lt, 'id') ?? getAttr(lt, 'launch_template_id') ?? getAttr(lt, 'name') ?? getAttr(lt, 'launch_template_name')) : (getAttr(lt, 'LaunchTemplateId') ?? getAttr(lt, 'LaunchTemplateName'))) : undefined;
    const ltRef = ltId ? byName(ltId, ['aws_launch_template', 'AWS::EC2::LaunchTemplate'], r) : undefined;
    const sgVal = ltRef?.kind === 'resource' ? launchTemplates.get(ltRef.resource.key) : undefined;
    addCompute(r, sgVal, tf(r) ? r.attrs.vpc_zone_identifier : r.attrs.VPCZoneIdentifier);
  }

  // Endpoint services and their principals.
  const serviceByKey = new Map<string, EndpointService>();
  for (const r of index.ofType('aws_vpc_endpoint_service', 'AWS::EC2::VPCEndpointService')) {
    const s: EndpointService = {
      resource: r,
      acceptanceRequired: boolOf(tf(r) ? r.attrs.acceptance_required : r.attrs.AcceptanceRequired),
      principals: asList(tf(r) ? r.attrs.allowed_principals : undefined).map((value) => ({ value, declaredBy: r })),
      lbs: index.targets(tf(r) ? r.attrs.network_load_balancer_arns : r.attrs.NetworkLoadBalancerArns),
      privateDnsName: tf(r) ? r.attrs.private_dns_name : undefined,
      ipTypes: (() => {
        const v = tf(r) ? r.attrs.supported_ip_address_types : r.attrs.SupportedIpAddressTypes;
        if (!v || v.kind === 'null') return undefined;
        const items = asList(v).map((x) => asString(x)?.toLowerCase());
        return items.every((x): x is string => x !== undefined) ? items : undefined;
      })(),
      accepted: new Set(),
      dnsVerified: false,
    };
    if (tf(r) && r.attrs.allowed_principals?.kind === 'unknown') s.principals.push({ value: r.attrs.allowed_principals, declaredBy: r });
    g.services.push(s);
    serviceByKey.set(r.key, s);
  }
  for (const r of index.ofType('aws_vpc_endpoint_service_allowed_principal', 'AWS::EC2::VPCEndpointServicePermissions')) {
    const t = index.target(tf(r) ? r.attrs.vpc_endpoint_service_id : r.attrs.ServiceId);
    const s = t.kind === 'resource' ? serviceByKey.get(t.resource.key) : undefined;
    if (!s) continue;
    const v = tf(r) ? r.attrs.principal_arn : r.attrs.AllowedPrincipals;
    if (v && v.kind === 'list') for (const value of v.items) s.principals.push({ value, declaredBy: r });
    else if (v) s.principals.push({ value: v, declaredBy: r });
  }

  // Load balancers, listeners, target groups, targets.
  for (const r of index.ofType('aws_lb', 'aws_alb', 'AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const sgVal = tf(r) ? r.attrs.security_groups : r.attrs.SecurityGroups;
    const enforce = asString(tf(r) ? r.attrs.enforce_security_group_inbound_rules_on_private_link_traffic : r.attrs.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic);
    const subnetMapping = tf(r) ? asList(r.attrs.subnet_mapping).map((m) => getAttr(m, 'subnet_id')) : asList(r.attrs.SubnetMappings).map((m) => getAttr(m, 'SubnetId'));
    const subnetsVal = tf(r) ? r.attrs.subnets : r.attrs.Subnets;
    const subnets = subnetMapping.length > 0 ? subnetMapping.map((v) => index.target(v)) : index.targets(subnetsVal);
    let crossZone: boolean | undefined;
    if (tf(r)) crossZone = boolOf(r.attrs.enable_cross_zone_load_balancing) ?? false;
    else {
      const a = asList(r.attrs.LoadBalancerAttributes).find((x) => asString(getAttr(x, 'Key')) === 'load_balancing.cross_zone.enabled');
      crossZone = a ? boolOf(getAttr(a, 'Value')) : false;
    }
    const sgList = sgSet(sgVal);
    g.lbs.set(r.key, {
      resource: r,
      type: (asString(tf(r) ? r.attrs.load_balancer_type : r.attrs.Type) ?? 'application').toLowerCase(),
      sgs: sgList,
      noSgs: !sgVal || sgVal.kind === 'null' || (sgVal.kind === 'list' && sgVal.items.length === 0),
      enforcePrivateLink: (enforce ?? 'on').toLowerCase(),
      enforceExplicit: enforce !== undefined,
      subnets,
      internal: tf(r) ? boolOf(r.attrs.internal) : asString(r.attrs.Scheme) === 'internal',
      crossZone,
      ipAddressType: asString(tf(r) ? r.attrs.ip_address_type : r.attrs.IpAddressType)?.toLowerCase(),
      listeners: [],
    });
  }
  for (const r of index.ofType('aws_lb_target_group', 'aws_alb_target_group', 'AWS::ElasticLoadBalancingV2::TargetGroup')) {
    const port = asNumber(tf(r) ? r.attrs.port : r.attrs.Port);
    let hc: number | undefined;
    let hcProto: string | undefined;
    let ppv2 = false;
    let crossZone: boolean | undefined;
    let preserve: boolean | undefined;
    if (tf(r)) {
      const h = asList(r.attrs.health_check)[0];
      const hp = h ? asString(getAttr(h, 'port')) : undefined;
      hc = hp === undefined || hp === 'traffic-port' ? undefined : asNumber(getAttr(h, 'port'));
      hcProto = h ? asString(getAttr(h, 'protocol'))?.toUpperCase() : undefined;
      ppv2 = boolOf(r.attrs.proxy_protocol_v2) === true;
      const cz = asString(r.attrs.load_balancing_cross_zone_enabled);
      crossZone = cz === 'true' ? true : cz === 'false' ? false : undefined;
      preserve = boolOf(r.attrs.preserve_client_ip);
    } else {
      const hp = asString(r.attrs.HealthCheckPort);
      hc = hp === undefined || hp === 'traffic-port' ? undefined : asNumber(r.attrs.HealthCheckPort);
      hcProto = asString(r.attrs.HealthCheckProtocol)?.toUpperCase();
      const attr = (key: string) => {
        const a = asList(r.attrs.TargetGroupAttributes).find((x) => asString(getAttr(x, 'Key')) === key);
        return a ? getAttr(a, 'Value') : undefined;
      };
      ppv2 = boolOf(attr('proxy_protocol_v2.enabled')) === true;
      const cz = asString(attr('load_balancing.cross_zone.enabled'));
      crossZone = cz === 'true' ? true : cz === 'false' ? false : undefined;
      preserve = boolOf(attr('preserve_client_ip.enabled'));
    }
    const tgNode: TargetGroup = {
      resource: r,
      port,
      protocol: asString(tf(r) ? r.attrs.protocol : r.attrs.Protocol)?.toUpperCase(),
      targetType: (asString(tf(r) ? r.attrs.target_type : r.attrs.TargetType) ?? 'instance').toLowerCase(),
      healthCheckPort: hc,
      healthCheckProtocol: hcProto,
      proxyProtocolV2: ppv2,
      crossZone,
      preserveClientIp: preserve,
      vpc: index.target(tf(r) ? r.attrs.vpc_id : r.attrs.VpcId),
      targets: [],
    };
    g.targetGroups.set(r.key, tgNode);
    if (!tf(r)) {
      for (const t of asList(r.attrs.Targets)) {
        const id = getAttr(t, 'Id');
        tgNode.targets.push(targetNode(g, computeFor, r, id, asNumber(getAttr(t, 'Port')) ?? port));
      }
    }
  }
  const tgOf = (v: Value | undefined) => {
    const t = index.target(v);
    return t.kind === 'resource' ? g.targetGroups.get(t.resource.key) : undefined;
  };
  for (const r of index.ofType('aws_lb_target_group_attachment', 'aws_alb_target_group_attachment')) {
    const tg = tgOf(r.attrs.target_group_arn);
    if (tg) tg.targets.push(targetNode(g, computeFor, r, r.attrs.target_id, asNumber(r.attrs.port) ?? tg.port));
  }
  for (const c of g.computes) {
    const r = c.resource;
    // [target group, port the targets are registered on]; ECS registers tasks on the container port.
    const regs: [Value | undefined, number | undefined][] =
      r.type === 'aws_autoscaling_group'
        ? asList(r.attrs.target_group_arns).map((a) => [a, undefined])
        : r.type === 'AWS::AutoScaling::AutoScalingGroup'
          ? asList(r.attrs.TargetGroupARNs).map((a) => [a, undefined])
          : r.type === 'aws_ecs_service'
            ? asList(r.attrs.load_balancer).map((lb) => [getAttr(lb, 'target_group_arn'), asNumber(getAttr(lb, 'container_port'))])
            : r.type === 'AWS::ECS::Service'
              ? asList(r.attrs.LoadBalancers).map((lb) => [getAttr(lb, 'TargetGroupArn'), asNumber(getAttr(lb, 'ContainerPort'))])
              : [];
    for (const [a, port] of regs) {
      const tg = tgOf(a);
      if (tg) tg.targets.push({ via: r, compute: c, port: port ?? tg.port });
    }
  }
  for (const r of index.ofType('aws_autoscaling_attachment')) {
    const tg = tgOf(r.attrs.lb_target_group_arn);
    const asg = byName(r.attrs.autoscaling_group_name, ['aws_autoscaling_group'], r);
    if (tg && asg.kind === 'resource') {
      const c = computeFor.get(asg.resource.key);
      if (c) tg.targets.push({ via: r, compute: c, port: tg.port });
    }
  }
  for (const r of index.ofType('aws_lb_listener', 'aws_alb_listener', 'AWS::ElasticLoadBalancingV2::Listener')) {
    const lbT = index.target(tf(r) ? r.attrs.load_balancer_arn : r.attrs.LoadBalancerArn);
    const lb = lbT.kind === 'resource' ? g.lbs.get(lbT.resource.key) : undefined;
    if (!lb) continue;
    const tgs: Target[] = [];
    const actions = asList(tf(r) ? r.attrs.default_action : r.attrs.DefaultActions);
    for (const a of actions) {
      const type = asString(getAttr(a, tf(r) ? 'type' : 'Type'))?.toLowerCase();
      if (type && type !== 'forward') continue;
      const direct = getAttr(a, tf(r) ? 'target_group_arn' : 'TargetGroupArn');
      if (direct && direct.kind !== 'null') tgs.push(index.target(direct));
      if (tf(r)) {
        for (const f of asList(getAttr(a, 'forward'))) for (const tg of asList(getAttr(f, 'target_group'))) tgs.push(index.target(getAttr(tg, 'arn')));
      } else {
        const fc = getAttr(a, 'ForwardConfig');
        for (const tg of asList(getAttr(fc, 'TargetGroups'))) tgs.push(index.target(getAttr(tg, 'TargetGroupArn')));
      }
    }
    lb.listeners.push({ resource: r, port: asNumber(tf(r) ? r.attrs.port : r.attrs.Port), protocol: asString(tf(r) ? r.attrs.protocol : r.attrs.Protocol)?.toUpperCase(), targetGroups: tgs });
  }

  // Interface endpoints and their link to a service.
  const sgAssoc = new Map<string, Value[]>();
  const subnetAssoc = new Map<string, Value[]>();
  const replacesDefault = new Set<string>();
  for (const r of index.ofType('aws_vpc_endpoint_security_group_association')) {
    const t = index.target(r.attrs.vpc_endpoint_id);
    if (t.kind !== 'resource') continue;
    (sgAssoc.get(t.resource.key) ?? sgAssoc.set(t.resource.key, []).get(t.resource.key)!).push(r.attrs.security_group_id);
    if (boolOf(r.attrs.replace_default_association)) replacesDefault.add(t.resource.key);
  }
  for (const r of index.ofType('aws_vpc_endpoint_subnet_association')) {
    const t = index.target(r.attrs.vpc_endpoint_id);
    if (t.kind !== 'resource') continue;
    (subnetAssoc.get(t.resource.key) ?? subnetAssoc.set(t.resource.key, []).get(t.resource.key)!).push(r.attrs.subnet_id);
  }
  for (const r of index.ofType('aws_vpc_endpoint', 'AWS::EC2::VPCEndpoint')) {
    const type = asString(tf(r) ? r.attrs.vpc_endpoint_type : r.attrs.VpcEndpointType) ?? 'Gateway';
    const vpc = index.target(tf(r) ? r.attrs.vpc_id : r.attrs.VpcId);
    const sgVal = tf(r) ? r.attrs.security_group_ids : r.attrs.SecurityGroupIds;
    const inline = asList(sgVal);
    const associated = sgAssoc.get(r.key) ?? [];
    let sgList: SgSet;
    let usesDefault = false;
    if (sgVal?.kind === 'unknown') sgList = { groups: [], unresolved: [sgVal.reason] };
    else if (inline.length === 0 && !replacesDefault.has(r.key)) {
      // No groups at creation: AWS attaches the VPC default SG (A2.2); an association adds to it unless it
      // replaces the default association.
      usesDefault = true;
      const extra = sgSet({ kind: 'list', items: associated });
      const dflt: SgSet =
        vpc.kind === 'resource' && g.vpcs.has(vpc.resource.key)
          ? { groups: [defaultSg(sgs, index, vpc.resource)], unresolved: [] }
          : { groups: [], unresolved: [`the default security group of VPC ${vpc.kind === 'literal' ? vpc.id : '(not known)'} is not in the workspace`] };
      sgList = { groups: [...dflt.groups, ...extra.groups], unresolved: [...dflt.unresolved, ...extra.unresolved] };
    } else sgList = sgSet({ kind: 'list', items: [...inline, ...associated] });
    const subnetVals = [...asList(tf(r) ? r.attrs.subnet_ids : r.attrs.SubnetIds), ...(subnetAssoc.get(r.key) ?? [])];
    const serviceName = tf(r) ? r.attrs.service_name : r.attrs.ServiceName;
    const e: Endpoint = {
      resource: r,
      type,
      vpc,
      sgs: sgList,
      usesDefaultSg: usesDefault,
      subnets: subnetVals.map((v) => index.target(v)),
      privateDns: boolOf(tf(r) ? r.attrs.private_dns_enabled : r.attrs.PrivateDnsEnabled),
      ipAddressType: asString(tf(r) ? r.attrs.ip_address_type : r.attrs.IpAddressType)?.toLowerCase(),
      policy: (() => {
        const v = tf(r) ? r.attrs.policy : r.attrs.PolicyDocument;
        return v && v.kind !== 'null' ? v : undefined;
      })(),
      autoAccept: tf(r) ? boolOf(r.attrs.auto_accept) : undefined,
      serviceName,
      serviceLink: { kind: 'unresolved', reason: 'service_name is not set' },
    };
    linkService(g, e, serviceByKey, settings);
    g.endpoints.push(e);
  }

  for (const r of index.ofType('aws_vpc_endpoint_connection_accepter')) {
    const s = index.target(r.attrs.vpc_endpoint_service_id);
    const e = index.target(r.attrs.vpc_endpoint_id);
    const svc = s.kind === 'resource' ? serviceByKey.get(s.resource.key) : undefined;
    if (svc && e.kind === 'resource') svc.accepted.add(e.resource.key);
  }
  for (const r of index.ofType('aws_vpc_endpoint_service_private_dns_verification')) {
    const s = index.target(r.attrs.service_id);
    const svc = s.kind === 'resource' ? serviceByKey.get(s.resource.key) : undefined;
    if (svc) svc.dnsVerified = true;
  }
  for (const r of index.ofType('aws_flow_log')) {
    const v = r.attrs.vpc_id ?? r.attrs.subnet_id ?? r.attrs.eni_id;
    g.flowLogs.push({ resource: r, target: index.target(v) });
  }
  for (const r of index.ofType('AWS::EC2::FlowLog')) g.flowLogs.push({ resource: r, target: index.target(r.attrs.ResourceId) });

  const attach = (sgs: SgSet, r: Resource) => {
    for (const sg of sgs.groups) (g.sgAttachments.get(sg.key) ?? g.sgAttachments.set(sg.key, []).get(sg.key)!).push(r);
  };
  for (const c of g.computes) attach(c.sgs, c.resource);
  for (const e of g.endpoints) attach(e.sgs, e.resource);
  for (const lb of g.lbs.values()) attach(lb.sgs, lb.resource);
  return g;
}

const VPCE_SERVICE_NAME = /^com\.amazonaws\.vpce\.[a-z0-9-]+\.(vpce-svc-[0-9a-f]+)$/;

/** Endpoint -> service: by reference, by a declaration (annotation or setting), or unresolved with why. */
function linkService(g: Graph, e: Endpoint, services: Map<string, EndpointService>, settings: Settings): void {
  const v = e.serviceName;
  const refs: string[] = [];
  const collect = (x: Value | undefined) => {
    if (!x) return;
    if (x.kind === 'ref') refs.push(x.target);
    else if (x.kind === 'concat') x.parts.forEach(collect);
  };
  collect(v);
  for (const k of refs) {
    const s = services.get(k);
    if (s) {
      e.service = s;
      e.serviceLink = { kind: 'reference' };
      return;
    }
  }
  // A declaration wins over an unresolvable name.
  const declared = declaredService(g, e, settings);
  if (declared) {
    e.service = declared;
    e.serviceLink = { kind: 'declared' };
    return;
  }
  const s = asString(v);
  if (s !== undefined && s.trim() === '') {
    e.serviceLink = { kind: 'unresolved', reason: 'the service name is empty in the config (a placeholder filled in at deployment); declare the link with a "privatelink-lens: service = <file>#<address>" comment or the privatelinkLens.links setting' };
    return;
  }
  if (s !== undefined) {
    if (!VPCE_SERVICE_NAME.test(s)) {
      e.serviceLink = { kind: 'aws-service' };
      return;
    }
    e.serviceLink = { kind: 'unresolved', reason: `service "${s}" is not defined in the workspace; declare it with a "privatelink-lens: service = <file>#<address>" comment or the privatelinkLens.links setting` };
    return;
  }
  if (refs.length > 0) {
    e.serviceLink = { kind: 'unresolved', reason: `service_name refers to ${refs[0].split(':').pop()}, which is not an endpoint service in the workspace` };
    return;
  }
  if (v?.kind === 'unknown' || v?.kind === 'concat') {
    // Of a built name, the part that is not known says why (the Region alone would not stop the link).
    const parts = v.kind === 'concat' ? v.parts.filter((p) => p.kind === 'unknown' || p.kind === 'import') : [v];
    const specific = parts.find((p) => p.kind === 'import' || (p.kind === 'unknown' && !/pseudo parameter|AWS::Region/.test(p.reason))) ?? parts[0];
    const why = specific?.kind === 'unknown' ? specific.reason : specific?.kind === 'import' ? `imported from "${specific.name}", which no stack in the workspace exports` : 'built from values known only after deployment';
    e.serviceLink = { kind: 'unresolved', reason: `the service name is not known statically (${why}); declare the link with a "privatelink-lens: service = <file>#<address>" comment or the privatelinkLens.links setting` };
    return;
  }
  if (v?.kind === 'import') {
    e.serviceLink = { kind: 'unresolved', reason: `the service name is imported from "${v.name}", which no stack in the workspace exports` };
  }
}

/** `<path>#<address>` where path is a file or folder, relative to the endpoint's file or absolute. */
function declaredService(g: Graph, e: Endpoint, settings: Settings): EndpointService | undefined {
  const decls: string[] = e.resource.annotations.filter((a) => a.kind === 'link').map((a) => a.value);
  for (const l of settings.links) {
    if (matchesDecl(l.endpoint, e.resource)) decls.push(l.service);
  }
  for (const d of decls) {
    const hash = d.lastIndexOf('#');
    const path = hash >= 0 ? d.slice(0, hash) : '';
    const address = hash >= 0 ? d.slice(hash + 1) : d;
    const found = g.services.find((s) => s.resource.address === address && (path === '' || pathMatches(path, s.resource.file, e.resource.file)));
    if (found) return found;
  }
  return undefined;
}

function matchesDecl(decl: string, r: Resource): boolean {
  const hash = decl.lastIndexOf('#');
  const address = hash >= 0 ? decl.slice(hash + 1) : decl;
  const path = hash >= 0 ? decl.slice(0, hash) : '';
  return r.address === address && (path === '' || r.file.endsWith(path.replace(/^\.\//, '')) || r.root.endsWith(path.replace(/^\.\//, '').replace(/\/$/, '')));
}

function pathMatches(path: string, targetFile: string, fromFile: string): boolean {
  const cleaned = path.replace(/\/$/, '');
  if (cleaned.startsWith('/')) return targetFile === cleaned || targetFile.startsWith(`${cleaned}/`);
  // Relative to the declaring file's folder: normalise by resolving `..` segments.
  const base = fromFile.slice(0, fromFile.lastIndexOf('/'));
  const parts = `${base}/${cleaned}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  const abs = `/${out.join('/')}`;
  const tail = cleaned.replace(/^(\.\.\/)+/, '').replace(/^\.\//, '');
  // A workspace-relative folder or file (from the setting) matches by its tail.
  return targetFile === abs || targetFile.startsWith(`${abs}/`) || targetFile.endsWith(`/${tail}`) || targetFile.includes(`/${tail}/`);
}

function targetNode(g: Graph, computeFor: Map<string, Compute>, via: Resource, id: Value | undefined, port: number | undefined): TargetNode {
  const t = g.index.target(id);
  if (t.kind === 'resource') {
    const c = computeFor.get(t.resource.key);
    if (c) return { via, compute: c, port };
    return { via, port, unresolved: `target ${t.resource.address} is not a compute resource the analysis models` };
  }
  if (t.kind === 'literal') {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(t.id) || t.id.includes(':')) return { via, ip: t.id, port };
    return { via, port, unresolved: `target ${t.id} is not defined in the workspace` };
  }
  return { via, port, unresolved: t.reason };
}

/** The VPC of a compute resource, from its subnets. */
function vpcOfSubnets(g: Graph, subnets: Target[]): Target {
  for (const s of subnets) {
    if (s.kind === 'resource') {
      const sn = g.subnets.get(s.resource.key);
      if (sn) return sn.vpc;
    }
  }
  return { kind: 'unknown', reason: 'the subnet is not known' };
}

/** CIDRs of a list of subnets, or undefined (with why) when any is not known. */
export function subnetCidrs(g: Graph, subnets: Target[]): { cidrs?: string[]; why?: string } {
  const out: string[] = [];
  for (const s of subnets) {
    if (s.kind !== 'resource') return { why: s.kind === 'literal' ? `subnet ${s.id} is not defined in the workspace` : s.reason };
    const sn = g.subnets.get(s.resource.key);
    if (!sn) return { why: `${s.resource.address} is not a subnet` };
    if (!sn.cidr) return { why: `the CIDR of ${sn.resource.address} is not known` };
    out.push(sn.cidr);
  }
  if (subnets.length === 0) return { why: 'no subnets are known' };
  return { cidrs: out };
}

export function vpcCidrs(g: Graph, vpc: Target): { cidrs?: string[]; why?: string } {
  if (vpc.kind !== 'resource') return { why: vpc.kind === 'literal' ? `VPC ${vpc.id} is not defined in the workspace` : vpc.reason };
  const v = g.vpcs.get(vpc.resource.key);
  if (!v || v.cidrs.length === 0) return { why: `the CIDR of ${vpc.resource.address} is not known` };
  return { cidrs: v.cidrs };
}

export function sameTarget(a: Target, b: Target): boolean | undefined {
  const ia = targetId(a);
  const ib = targetId(b);
  if (!ia || !ib) return undefined;
  return ia === ib;
}
