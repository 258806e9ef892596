// Which addresses a request may reach. Private, loopback, link-local (cloud metadata at 169.254.169.254),
// carrier-grade NAT, multicast and reserved ranges are refused unless the embedding application opts in.
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
// Whole IPv6 ranges that are never the public internet: unspecified and loopback, NAT64 (well-known and local-use
// prefixes, which embed an IPv4 address), discard, Teredo (an obfuscated IPv4 address), documentation, unique
// local, link-local, site-local (deprecated, still routed inside some networks) and multicast. Forms that embed an
// IPv4 address in the clear (IPv4-compatible, -mapped, -translated, 6to4) are judged by that address.
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 32], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10],
  ['fec0::', 10], ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (without zone index), an embedded dotted quad read as two. */
function groupsOf(address: string): number[] {
  let text = address;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((group) => Number.parseInt(group, 16));
}

function ipv4Of(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** The IPv4 address an IPv6 address carries in the clear, if it is of a form that does. */
function embeddedIpv4(groups: readonly number[]): string | undefined {
  const zeros = (count: number) => groups.slice(0, count).every((group) => group === 0);
  const [g0 = 0, g1 = 0, g2 = 0, , g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  // ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (translated).
  if ((zeros(5) && g5 === 0xffff) || (zeros(4) && g4 === 0xffff && g5 === 0)) return ipv4Of(g6, g7);
  // 2002:aabb:ccdd::/48 (6to4).
  if (g0 === 0x2002) return ipv4Of(g1, g2);
  return undefined;
}

/** True for addresses that are not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const plain = address.split('%')[0] as string;
    const groups = groupsOf(plain);
    if (groups.length !== 8 || groups.some((group) => !Number.isInteger(group) || group < 0 || group > 0xffff)) return true;
    // ::/96 — unspecified, loopback and the deprecated IPv4-compatible form (::7f00:1 is 127.0.0.1 to some stacks).
    if (groups.slice(0, 6).every((group) => group === 0)) return true;
    const ipv4 = embeddedIpv4(groups);
    return (ipv4 !== undefined && blocked.check(ipv4, 'ipv4')) || blocked.check(plain, 'ipv6');
  }
  return true;
}

/** True for the loopback addresses that tests opt into. */
export function isLoopbackAddress(address: string): boolean {
  return address === '::1' || /^127\./.test(address) || /^::ffff:127\./i.test(address);
}
