import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'unique-local'
  | 'multicast'
  | 'reserved';

type Range = [network: string, prefix: number];

// First match wins, so the narrow IPv6 ranges come before the wide ::/96 they sit in.
const RANGES: [Exclude<AddressClass, 'public'>, v4: Range[], v6: Range[]][] = [
  ['unspecified', [['0.0.0.0', 8]], [['::', 128]]],
  ['loopback', [['127.0.0.0', 8]], [['::1', 128]]],
  [
    'private',
    [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
    ],
    [['fec0::', 10]],
  ],
  // 169.254.169.254 (cloud instance metadata) is in here.
  ['link-local', [['169.254.0.0', 16]], [['fe80::', 10]]],
  ['cgnat', [['100.64.0.0', 10]], []],
  // fd00:ec2::254 (AWS metadata over IPv6) is in here.
  ['unique-local', [], [['fc00::', 7]]],
  ['multicast', [['224.0.0.0', 4]], [['ff00::', 8]]],
  [
    'reserved',
    [
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['240.0.0.0', 4],
    ],
    [
      ['::', 96],
      ['100::', 64],
      ['2001:db8::', 32],
    ],
  ],
];

// net.BlockList also matches IPv4-mapped IPv6 (::ffff:127.0.0.1, ::ffff:7f00:1) against the IPv4 ranges.
const LISTS = RANGES.map(([name, v4, v6]) => {
  const list = new BlockList();
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6');
  return [name, list] as const;
});

/** Where an IP address points; anything but `public` is refused as a webhook target unless explicitly allowed. */
export function classifyAddress(address: string): AddressClass {
  const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!type) throw new Error(`not an IP address: ${address}`);
  return LISTS.find(([, list]) => list.check(address, type))?.[0] ?? 'public';
}
