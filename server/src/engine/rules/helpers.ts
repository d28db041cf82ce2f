import { isIP } from 'node:net';
import type { NodeModel, PodModel } from '../check/clusterModel';
import { nodeReferences } from '../check/clusterModel';
import type { CertificateInfo } from '../pki/certificate';
import type { Component } from '../kube/flagTable';
import type { Reference } from '../kube/reference';
import { verifyCertificate } from '../verify/chain';
import { canonicalIp } from '../verify/hostname';

export function refOf(pod: PodModel | undefined, name: string): Reference | undefined {
  return pod?.references.find((r) => r.spec.name === name);
}

export function kubeletRef(node: NodeModel, ...names: string[]): Reference | undefined {
  for (const name of names) {
    const found = node.kubelet.find((r) => r.spec.name === name) ?? node.implicit.find((r) => r.spec.name === name);
    if (found) return found;
  }
  return undefined;
}

export function referencesOf(node: NodeModel, component?: Component): Reference[] {
  const all = nodeReferences(node);
  return component ? all.filter((r) => r.component === component) : all;
}

/** Is `leaf` signed (through `intermediates`) by one of `cas`? Only the chain counts here: dates have their own rules. */
export function chainsTo(leaf: CertificateInfo, cas: CertificateInfo[], intermediates: CertificateInfo[] = []): { ok: boolean; reason: string } {
  const result = verifyCertificate(leaf, { trusted: cas, intermediates, at: leaf.notBefore });
  const failed = result.checks.filter((c) => !c.ok && (c.check === 'chain' || c.check === 'signature'));
  if (failed.length === 0) return { ok: true, reason: '' };
  return { ok: false, reason: failed.map((c) => c.message).join('; ') };
}

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

export function isIpAddress(value: string): boolean {
  return canonicalIp(value) !== undefined;
}
