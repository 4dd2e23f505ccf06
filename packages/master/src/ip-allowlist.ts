import { BlockList, isIP } from 'node:net';

/** The node API's optional IP allowlist (seed 000): addresses and CIDR ranges, v4 or v6. */
export function parseAllowList(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) === 0) throw new RangeError(`allowlist entry ${entry} is not an address or CIDR range`);
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

export function ipAllowed(list: BlockList | undefined, ip: string): boolean {
  if (!list) return true;
  const mapped = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return list.check(mapped, isIP(mapped) === 6 ? 'ipv6' : 'ipv4');
}
