/** IPv4 CIDR arithmetic for subnet layout. */

/** Each private subnet is the VPC CIDR split this many bits further (a /16 VPC gets /18 subnets). */
export const SUBNET_PREFIX_DELTA = 2;

/** Parses a.b.c.d/n into a 32-bit address and prefix length. */
export function parseCidr(cidr: string): { address: number; prefix: number } {
  const [ip = '', prefix = ''] = cidr.split('/');
  const address = ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return { address, prefix: Number(prefix) };
}

/** Formats a 32-bit address and prefix as a.b.c.d/n. */
export function formatCidr(address: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

/** The index-th subnet of a VPC CIDR, SUBNET_PREFIX_DELTA bits longer. */
export function subnetCidr(vpcCidr: string, index: number): string {
  const { address, prefix } = parseCidr(vpcCidr);
  const subnetPrefix = prefix + SUBNET_PREFIX_DELTA;
  return formatCidr(address + index * 2 ** (32 - subnetPrefix), subnetPrefix);
}
