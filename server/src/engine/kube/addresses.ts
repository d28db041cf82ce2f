import { isIP } from 'node:net';
import { canonicalIp } from '../verify/hostname';

/** Host of a URL ("https://10.0.0.1:6443" -> "10.0.0.1"; IPv6 brackets removed). */
export function urlHost(url: string): string | undefined {
  try {
    const host = new URL(url.includes('://') ? url : `https://${url}`).hostname;
    return host.startsWith('[') ? host.slice(1, -1) : host;
  } catch {
    return undefined;
  }
}

/** The first usable IP of a CIDR: the address Kubernetes gives the `kubernetes` service. */
export function firstIpOf(cidr: string): string | undefined {
  const [address] = cidr.split(',')[0].trim().split('/');
  const family = isIP(address);
  if (family === 4) {
    const n = address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0) + 1;
    return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
  }
  if (family === 6) {
    const canonical = canonicalIp(address);
    if (!canonical) return undefined;
    const full = expandIpv6(canonical);
    const value = BigInt(`0x${full.join('')}`) + 1n;
    const hex = value.toString(16).padStart(32, '0');
    return canonicalIp(hex.match(/.{4}/g)!.join(':'));
  }
  return undefined;
}

function expandIpv6(address: string): string[] {
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array(tail !== undefined ? missing : 0).fill('0'), ...right].map((g) => g.padStart(4, '0'));
}
