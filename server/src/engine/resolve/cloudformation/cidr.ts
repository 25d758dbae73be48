/**
 * `Fn::Cidr [ipBlock, count, cidrBits]`: `count` consecutive subnets of the block, each with `cidrBits`
 * host bits (so a /(32 - cidrBits) for IPv4, /(128 - cidrBits) for IPv6), starting at the block's
 * network address. Returns the CIDRs, or a sentence saying why the arguments are not valid.
 */
export function cidrSubnets(ipBlock: string, count: number, cidrBits: number): string[] | string {
  const slash = ipBlock.indexOf('/');
  if (slash < 0) return `${ipBlock} is not a CIDR block`;
  const addrText = ipBlock.slice(0, slash).trim();
  const prefix = Number(ipBlock.slice(slash + 1).trim());
  const v6 = addrText.includes(':');
  const width = v6 ? 128 : 32;
  const addr = v6 ? parseIpv6(addrText) : parseIpv4(addrText);
  if (addr === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > width) return `${ipBlock} is not a CIDR block`;
  if (!Number.isInteger(count) || count < 1 || count > 256) return `Fn::Cidr count must be between 1 and 256, not ${count}`;
  if (!Number.isInteger(cidrBits) || cidrBits < 0 || cidrBits > width - prefix) {
    return `Fn::Cidr cannot make subnets with ${cidrBits} host bits from a /${prefix}`;
  }
  const available = 1n << BigInt(width - prefix - cidrBits);
  if (BigInt(count) > available) return `a /${prefix} holds only ${available} subnets of /${width - cidrBits}, not ${count}`;
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  const network = addr & ~hostMask & ((1n << BigInt(width)) - 1n);
  const step = 1n << BigInt(cidrBits);
  const out: string[] = [];
  for (let i = 0n; i < BigInt(count); i++) {
    const a = network + i * step;
    out.push(`${v6 ? formatIpv6(a) : formatIpv4(a)}/${width - cidrBits}`);
  }
  return out;
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function formatIpv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}

function parseIpv6(s: string): bigint | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(v: bigint): string {
  const groups: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(Number((v >> s) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
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
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
