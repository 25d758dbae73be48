import type { Resource } from './model/resource';
import type { Settings } from './settings';

/**
 * Which root modules and templates can affect each other's graph, paths and findings. The analyzer
 * evaluates the graph per group of them ("component") and, after an edit, only the group the edit is in;
 * for that to give what one graph of the whole workspace gives, a group must hold everything the graph and
 * the rules can relate. Today they relate resources only through:
 *
 * - references: a `ref` names a resource by key, and keys are per Terraform root module
 *   (`tf:<root>:...`) or per template (`cfn:<file>:...`), so references stay inside a unit, except
 * - CloudFormation imports, which become the exporting template's values (import name -> exporters);
 * - declared links (graph/build.ts `declaredService`, graph/paths.ts `clientsOf`): a
 *   `privatelink-lens: service = <path>#<address>` comment on an endpoint, or the `privatelinkLens.links`
 *   setting, names an endpoint service by address and path; a `privatelink-lens: uses <address>` comment
 *   on compute names an endpoint by address alone.
 *
 * A group may be larger than necessary; it must never be smaller. The matching here is a superset of the
 * graph's: by address, and for paths by a necessary condition of its path match. A new kind of relation
 * across root modules or templates in graph/ or rules/ must be added here too; the equivalence tests
 * (test/engine/incremental.test.ts) compare partitioned analyses with whole-workspace ones.
 */
export interface LinkSummary {
  /** The unit's endpoint services, by address, with the files they are declared in. */
  services: [address: string, file: string][];
  /** Addresses of the unit's endpoints. */
  endpoints: string[];
  /** Links declared in the unit's comments. */
  links: DeclaredLinkRef[];
  /** CloudFormation: names imported, and names exported. */
  imports: string[];
  exports: string[];
}

interface DeclaredLinkRef {
  /** What `declaredService` can take the value to name: an endpoint service at this address... */
  address: string;
  /** ...whose file contains this text (empty: any file). */
  pathTail: string;
  /** What `clientsOf` can take it to name: an endpoint at one of these addresses. */
  endpointNames: string[];
}

const SERVICE_TYPES = new Set(['aws_vpc_endpoint_service', 'AWS::EC2::VPCEndpointService']);
const ENDPOINT_TYPES = new Set(['aws_vpc_endpoint', 'AWS::EC2::VPCEndpoint']);

export function linkSummary(resources: readonly Resource[], imports: string[] = [], exports: string[] = []): LinkSummary {
  const services: [string, string][] = [];
  const endpoints = new Set<string>();
  const links: DeclaredLinkRef[] = [];
  const seen = new Set<string>();
  for (const r of resources) {
    if (SERVICE_TYPES.has(r.type)) services.push([r.address, r.file]);
    if (ENDPOINT_TYPES.has(r.type)) endpoints.add(r.address);
    for (const a of r.annotations) {
      if (a.kind !== 'link' || seen.has(a.value)) continue;
      seen.add(a.value);
      links.push(declaredLink(a.value));
    }
  }
  return { services, endpoints: [...endpoints], links, imports, exports };
}

function declaredLink(value: string): DeclaredLinkRef {
  const hash = value.lastIndexOf('#');
  const endpointNames = [value];
  for (let i = value.indexOf('#'); i >= 0; i = value.indexOf('#', i + 1)) endpointNames.push(value.slice(i + 1));
  return { address: hash >= 0 ? value.slice(hash + 1) : value, pathTail: hash >= 0 ? pathTail(value.slice(0, hash)) : '', endpointNames };
}

/**
 * Text every file a link path can match must contain, or '' when that cannot be said. The graph resolves
 * the path against the declaring file's folder and also accepts it as a workspace-relative tail; in both
 * readings the target file contains the path without its leading `../` and `./`, provided no `.` or `..`
 * is left inside it.
 */
function pathTail(path: string): string {
  const tail = path.replace(/\/$/, '').replace(/^(\.\.\/)+/, '').replace(/^\.\//, '');
  if (tail === '' || tail.split('/').some((s) => s === '.' || s === '..')) return '';
  return tail;
}

/**
 * Groups units (by index) into components: units related by an import, a link comment or a link setting,
 * transitively. Groups come in the order of their first unit, members in unit order.
 */
export function componentsOf(units: readonly { links: LinkSummary }[], settings: Settings): number[][] {
  const parent = units.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const services = new Map<string, [number, string][]>();
  const endpoints = new Map<string, number[]>();
  const exporters = new Map<string, number[]>();
  units.forEach((u, i) => {
    for (const [a, file] of u.links.services) (services.get(a) ?? services.set(a, []).get(a)!).push([i, file]);
    for (const a of u.links.endpoints) (endpoints.get(a) ?? endpoints.set(a, []).get(a)!).push(i);
    for (const x of u.links.exports) (exporters.get(x) ?? exporters.set(x, []).get(x)!).push(i);
  });
  const serviceUnits = (address: string, tail: string) => (services.get(address) ?? []).filter(([, file]) => tail === '' || file.includes(tail)).map(([j]) => j);
  units.forEach((u, i) => {
    for (const l of u.links.links) {
      for (const j of serviceUnits(l.address, l.pathTail)) union(i, j);
      for (const n of l.endpointNames) for (const j of endpoints.get(n) ?? []) union(i, j);
    }
    for (const x of u.links.imports) for (const j of exporters.get(x) ?? []) union(i, j);
  });
  for (const l of settings.links) {
    const link = declaredLink(l.service);
    const sides = [...(endpoints.get(l.endpoint.slice(l.endpoint.lastIndexOf('#') + 1)) ?? []), ...serviceUnits(link.address, link.pathTail)];
    for (const j of sides) union(sides[0], j);
  }
  const groups = new Map<number, number[]>();
  units.forEach((_, i) => {
    const r = find(i);
    (groups.get(r) ?? groups.set(r, []).get(r)!).push(i);
  });
  return [...groups.values()];
}
