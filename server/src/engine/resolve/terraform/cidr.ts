/**
 * IPv4/IPv6 address and CIDR arithmetic on BigInt, shared by the Terraform `cidr*` functions and by the
 * rules ("does 10.0.0.0/16 cover subnet 10.0.1.0/24").
 *
 * The query helpers (`parseCidr`, `cidrContains`, `cidrOverlaps`, `ipInCidr`) never throw: anything that
 * is not an address answers `undefined`. The Terraform arithmetic (`cidrSubnet`, `cidrHost`, ...) throws
 * `CidrError` with Terraform's own wording, because the function library turns that into an explained
 * unknown value.
 */

export type IpVersion = 4 | 6;

export interface IpAddress {
  version: IpVersion;
  value: bigint;
}

export interface ParsedCidr {
  version: IpVersion;
  /** The network address: the written address with the host bits cleared (`10.0.0.5/16` -> 10.0.0.0). */
  network: bigint;
  prefix: number;
  /** The address as written, host bits included (Terraform keeps only `network`). */
  address: bigint;
}

export class CidrError extends Error {}

export function addressBits(version: IpVersion): number {
  return version === 4 ? 32 : 128;
}

function allOnes(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}

/** The mask of a prefix length as a number (`/24` of IPv4 -> 0xffffff00). */
export function prefixMask(version: IpVersion, prefix: number): bigint {
  const bits = addressBits(version);
  return allOnes(bits) ^ allOnes(bits - prefix);
}

/**
 * Dotted-quad IPv4. Like Terraform (which kept Go's pre-1.17 parser) an octet may have leading zeros and
 * is still decimal: `010.0.0.1` is 10.0.0.1.
 */
function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(s: string): bigint | undefined {
  if (s.length === 0) return undefined;
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) counts as the last two groups.
  let tail: bigint[] = [];
  let body = s;
  const lastColon = s.lastIndexOf(':');
  if (lastColon !== -1 && s.indexOf('.', lastColon) !== -1) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    body = s.slice(0, lastColon + 1);
    // `::1.2.3.4` leaves `::`, `a::1.2.3.4` leaves `a::`, `a:b:...:1.2.3.4` leaves a trailing single colon.
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const groupOf = (g: string): bigint | undefined => (/^[0-9a-fA-F]{1,4}$/.test(g) ? BigInt(parseInt(g, 16)) : undefined);
  const parseGroups = (t: string): bigint[] | undefined => {
    if (t === '') return [];
    const out: bigint[] = [];
    for (const g of t.split(':')) {
      const n = groupOf(g);
      if (n === undefined) return undefined;
      out.push(n);
    }
    return out;
  };
  let groups: bigint[];
  const dbl = body.indexOf('::');
  if (dbl !== -1) {
    if (body.indexOf('::', dbl + 1) !== -1) return undefined;
    const head = parseGroups(body.slice(0, dbl));
    const rest = parseGroups(body.slice(dbl + 2));
    if (!head || !rest) return undefined;
    const missing = 8 - head.length - rest.length - tail.length;
    // `::` stands for at least one group of zeros.
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<bigint>(missing).fill(0n), ...rest, ...tail];
  } else {
    const all = parseGroups(body);
    if (!all) return undefined;
    groups = [...all, ...tail];
  }
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** An IPv4 or IPv6 address without a prefix; zones (`%eth0`) are not addresses Terraform or AWS accept. */
export function parseIp(s: string): IpAddress | undefined {
  const t = s.trim();
  const v4 = parseIpv4(t);
  if (v4 !== undefined) return { version: 4, value: v4 };
  if (!t.includes(':')) return undefined;
  const v6 = parseIpv6(t);
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

/** `a.b.c.d/n` or `x:y::z/n`. A bare address is not a CIDR here; see `parseCidrOrIp`. */
export function parseCidr(s: string): ParsedCidr | undefined {
  const t = s.trim();
  const slash = t.indexOf('/');
  if (slash === -1) return undefined;
  const ip = parseIp(t.slice(0, slash));
  const p = t.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > addressBits(ip.version)) return undefined;
  return { version: ip.version, network: ip.value & prefixMask(ip.version, prefix), prefix, address: ip.value };
}

/** A CIDR, or a bare address as the /32 (/128) that holds only it. */
export function parseCidrOrIp(s: string): ParsedCidr | undefined {
  const c = parseCidr(s);
  if (c) return c;
  const ip = parseIp(s);
  if (!ip) return undefined;
  return { version: ip.version, network: ip.value, prefix: addressBits(ip.version), address: ip.value };
}

/** The last address of a network (its broadcast address for IPv4). */
export function lastAddress(c: ParsedCidr): bigint {
  return c.network | allOnes(addressBits(c.version) - c.prefix);
}

function containsParsed(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.version !== inner.version || outer.prefix > inner.prefix) return false;
  return (inner.network & prefixMask(outer.version, outer.prefix)) === outer.network;
}

/**
 * Whether every address of `inner` is in `outer` (an address is a /32 or /128). Different IP versions never
 * contain each other. `undefined` when either side is not an address or CIDR.
 */
export function cidrContains(outer: string, inner: string): boolean | undefined {
  const o = parseCidrOrIp(outer);
  const i = parseCidrOrIp(inner);
  if (!o || !i) return undefined;
  return containsParsed(o, i);
}

/** Whether the two ranges share at least one address. `undefined` when either is not an address or CIDR. */
export function cidrOverlaps(a: string, b: string): boolean | undefined {
  const x = parseCidrOrIp(a);
  const y = parseCidrOrIp(b);
  if (!x || !y) return undefined;
  // Two prefixes overlap exactly when the shorter one contains the longer.
  return containsParsed(x, y) || containsParsed(y, x);
}

/** Whether the address `ip` (or every address of a CIDR given there) is in `cidr`. */
export function ipInCidr(ip: string, cidr: string): boolean | undefined {
  return cidrContains(cidr, ip);
}

/**
 * An address the way Go's `net.IP.String` prints it, which is what Terraform's functions return: IPv6 in
 * RFC 5952 form (lowercase, no leading zeros, the longest run of two or more zero groups as `::`, the
 * first run on a tie), and an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) as plain IPv4.
 */
export function formatIp(version: IpVersion, value: bigint): string {
  const v4 = (v: bigint) => [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  if (version === 4) return v4(value);
  if (value >> 32n === 0xffffn) return v4(value & 0xffffffffn);
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestLen < 2) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

export function formatCidr(c: { version: IpVersion; network: bigint; prefix: number }): string {
  return `${formatIp(c.version, c.network)}/${c.prefix}`;
}

function mustParse(prefix: string): ParsedCidr {
  const c = parseCidr(prefix);
  if (!c) throw new CidrError(`invalid CIDR expression: invalid CIDR address: ${prefix}`);
  return c;
}

/** Terraform `cidrsubnet(prefix, newbits, netnum)`: the `netnum`th subnet `newbits` longer than `prefix`. */
export function cidrSubnet(prefix: string, newbits: number, netnum: bigint): string {
  const base = mustParse(prefix);
  const bits = addressBits(base.version);
  if (!Number.isInteger(newbits) || newbits < 0) throw new CidrError(`invalid newbits ${newbits}: must be a whole number not less than 0`);
  const newPrefix = base.prefix + newbits;
  if (newPrefix > bits) throw new CidrError(`insufficient address space to extend prefix of ${base.prefix} by ${newbits}`);
  if (netnum < 0n || netnum > allOnes(newbits)) {
    throw new CidrError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
  }
  const network = base.network | (netnum << BigInt(bits - newPrefix));
  return formatCidr({ version: base.version, network, prefix: newPrefix });
}

/**
 * Terraform `cidrhost(prefix, hostnum)`: the `hostnum`th address of the network; a negative number counts
 * back from the last address (-1 is the last).
 */
export function cidrHost(prefix: string, hostnum: bigint): string {
  const base = mustParse(prefix);
  const hostBits = addressBits(base.version) - base.prefix;
  const max = allOnes(hostBits);
  const n = hostnum < 0n ? max + 1n + hostnum : hostnum;
  if (n < 0n || n > max) throw new CidrError(`prefix of ${base.prefix} does not accommodate a host numbered ${hostnum}`);
  return formatIp(base.version, base.network | n);
}

/** Terraform `cidrnetmask(prefix)`: the dotted mask of an IPv4 prefix. */
export function cidrNetmask(prefix: string): string {
  const base = mustParse(prefix);
  if (base.version !== 4) throw new CidrError(`IPv6 addresses cannot have a netmask: ${prefix}`);
  return formatIp(4, prefixMask(4, base.prefix));
}

/**
 * Terraform `cidrsubnets(prefix, newbits...)`: consecutive subnets of the given extra lengths, each one
 * starting at the first suitably aligned address after the previous one (so a short subnet after a long
 * one skips ahead to its alignment), all inside `prefix`.
 *
 * One known Terraform bug is deliberately not copied: for a prefix whose network address is all zeros
 * (`0.0.0.0/1`) Terraform's go-cidr wraps around and reports "not enough remaining address space"
 * (hashicorp/terraform#35486, open). Here such a prefix is split like any other.
 */
export function cidrSubnets(prefix: string, newbits: number[]): string[] {
  const base = mustParse(prefix);
  const bits = addressBits(base.version);
  const out: string[] = [];
  // The next free address; Terraform walks "next subnet after the current one", which is the same as
  // rounding the first free address up to the new subnet's alignment.
  let next = base.network;
  let previous: string | undefined;
  for (const nb of newbits) {
    if (!Number.isInteger(nb)) throw new CidrError(`newbits must be a whole number, got ${nb}`);
    if (nb < 1) throw new CidrError('must extend prefix by at least one bit');
    // Terraform's limit (for 32-bit portability of the subnet number), which matters only for IPv6.
    if (nb > 32) throw new CidrError('may not extend prefix by more than 32 bits');
    const length = base.prefix + nb;
    if (length > bits) {
      throw new CidrError(`would extend prefix to ${length} bits, which is too long for an IPv${base.version} address`);
    }
    const size = 1n << BigInt(bits - length);
    const start = ((next + size - 1n) / size) * size;
    const end = start + size - 1n;
    if (end > lastAddress(base)) {
      const after = previous ?? formatCidr({ version: base.version, network: (base.network - size) & allOnes(bits), prefix: length });
      throw new CidrError(`not enough remaining address space for a subnet with a prefix of ${length} bits after ${after}`);
    }
    previous = formatCidr({ version: base.version, network: start, prefix: length });
    out.push(previous);
    next = end + 1n;
  }
  return out;
}
