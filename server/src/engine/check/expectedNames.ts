import { firstIpOf, urlHost } from '../kube/addresses';
import type { Reference } from '../kube/reference';
import { unexpandedVariable } from '../kube/unexpandedVariable';
import { getOrMake } from '../memo';
import type { CertificateInfo } from '../pki/certificate';
import { chainsTo } from '../verify/chainsTo';
import { NodeModel, refOf } from './clusterModel';
import { nodesServedBy } from './nodeFacts';
import type { RuleContext } from './ruleContext';

/** The names (DNS or IP SANs) Kubernetes clients use to reach a serving certificate, each with why. */
export interface ExpectedName {
  name: string;
  why: string;
  /** Where a client (a kubeconfig's server: or tls-server-name:) writes the name: its own finding lands there too. */
  at?: Reference;
}

function clusterDomain(ctx: RuleContext, node: NodeModel): string {
  return node.dnsDomain ?? ctx.nodes.find((n) => n.dnsDomain)?.dnsDomain ?? 'cluster.local';
}

export function apiserverNames(ctx: RuleContext, node: NodeModel): ExpectedName[] {
  const pod = node.pods['kube-apiserver']!;
  const domain = clusterDomain(ctx, node);
  const names: ExpectedName[] = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${domain}`].map((name) => ({
    name,
    why: 'a name every pod uses for the kubernetes service',
  }));
  const range = refOf(pod, '--service-cluster-ip-range')?.value;
  const first = range ? firstIpOf(range) : undefined;
  if (first) names.push({ name: first, why: `the first IP of --service-cluster-ip-range=${range}` });
  const advertise = refOf(pod, '--advertise-address')?.value;
  if (advertise) names.push({ name: advertise, why: `the --advertise-address` });
  for (const kubeconfig of nodesServedBy(ctx, pod).flatMap((n) => n.kubeconfigs)) {
    if (kubeconfig.references.some((r) => r.spec.name === 'insecure-skip-tls-verify' && r.value === 'true')) continue;
    for (const server of kubeconfig.references.filter((r) => r.spec.name === 'server')) {
      if (!trustsServingCert(ctx, kubeconfig.references, server.owner, refOf(pod, '--tls-cert-file'))) continue;
      const tlsRef = kubeconfig.references.find((r) => r.spec.name === 'tls-server-name' && r.owner === server.owner);
      const host = tlsRef?.value ?? urlHost(server.value);
      if (host)
        names.push({
          name: host,
          why: `the ${tlsRef ? 'tls-server-name' : 'server'} of cluster "${server.owner}" in ${kubeconfig.file.split('/').pop()}`,
          at: tlsRef ?? server,
        });
    }
  }
  for (const san of node.certSANs) names.push({ name: san.value, why: san.why ?? 'listed in the kubeadm certSANs', ...(san.at ? { at: san.at } : {}) });
  return knownOnly(names);
}

/**
 * Whether a kubeconfig's cluster entry trusts the CA that signed the API server's
 * certificate. Another cluster in the same file (a CA that did not sign it) is
 * another cluster: its server is not a name this API server must carry. A cluster
 * whose CA is absent or unreadable is given the benefit of the doubt.
 */
function trustsServingCert(ctx: RuleContext, references: Reference[], cluster: string | undefined, servingRef: Reference | undefined): boolean {
  const serving = ctx.ok(servingRef)?.certs;
  const caRef = references.find((r) => (r.spec.name === 'certificate-authority' || r.spec.name === 'certificate-authority-data') && r.owner === cluster);
  const cas = ctx.ok(caRef)?.certs;
  if (!serving?.length || !cas?.length) return true;
  return getOrMake(
    getOrMake(servingTrust, serving, () => new WeakMap()),
    cas,
    () => chainsTo(serving[0], serving.slice(1), cas),
  );
}

// A target's certificate list is kept between checks while its file is unchanged: a re-check verifies only changed pairs.
const servingTrust = new WeakMap<CertificateInfo[], WeakMap<CertificateInfo[], boolean>>();

export function etcdNames(pod: NodeModel['pods']['etcd'], apiserver: NodeModel['pods']['kube-apiserver'], flag: string): ExpectedName[] {
  const urls = (ref: Reference | undefined) => (ref?.value.split(',') ?? []).map((u) => ({ host: urlHost(u.trim()), ref }));
  const names = urls(refOf(pod, flag)).flatMap(({ host }) => (host ? [{ name: host, why: `a host of ${flag}` }] : []));
  if (flag === '--advertise-client-urls' && apiserver) {
    names.push(
      ...urls(refOf(apiserver, '--etcd-servers')).flatMap(({ host }) => (host ? [{ name: host, why: "a host of the API server's --etcd-servers" }] : [])),
    );
  }
  return knownOnly(names);
}

/** A name written as a variable (${INTERNAL_IP}) is known only on the node: no certificate can be held to it here. */
function knownOnly(names: ExpectedName[]): ExpectedName[] {
  return names.filter((n) => !unexpandedVariable(n.name));
}

/** Every name the serving certificate a reference names must carry (for fixes that create it). */
export function expectedNames(ctx: RuleContext, node: NodeModel, ref: Reference): string[] {
  if (ref.component === 'kube-apiserver' && ref.spec.name === '--tls-cert-file') return apiserverNames(ctx, node).map((n) => n.name);
  const apiserver = node.pods['kube-apiserver'];
  if (ref.component === 'etcd' && ref.spec.name === '--cert-file') return etcdNames(node.pods.etcd, apiserver, '--advertise-client-urls').map((n) => n.name);
  if (ref.component === 'etcd' && ref.spec.name === '--peer-cert-file')
    return etcdNames(node.pods.etcd, apiserver, '--initial-advertise-peer-urls').map((n) => n.name);
  return [];
}
