import { kubeletRef, refOf } from '../check/clusterModel';
import { podFor } from '../check/nodeFacts';
import type { RuleContext } from '../check/ruleContext';
import { reissueUnderTrustedCa } from '../fix/underTrustedCa';
import { valueLabel } from '../kube/kinds';
import type { Reference } from '../kube/reference';
import { ChainVerdict, edgeVerdict } from './helpers';
import { placeOf, tlsTriples } from './objectValues';
import { Rule } from './rule';
import { talosTrustEdges } from './talos';
import { activeClusterRefs, activeUserRefs } from './topology';
import { checkServingCaBundles } from './webhookServing';

/** One trust edge: the leaf of `leafRef` must chain to a CA of `caRef`; findings go on `reportOn`. */
export interface TrustEdge {
  leafRef: Reference;
  caRef: Reference;
  reportOn: 'leaf' | 'ca';
  why: string;
  verdict: ChainVerdict;
}

/** Every trust edge of the cluster whose two ends decoded, with its chain verdict. */
export function trustEdges(ctx: RuleContext): TrustEdge[] {
  const edges: TrustEdge[] = [];
  const edge = (leafRef: Reference | undefined, caRef: Reference | undefined, reportOn: 'leaf' | 'ca', why: string): void => {
    if (!leafRef || !caRef) return;
    const leafTarget = ctx.ok(leafRef);
    const caTarget = ctx.ok(caRef);
    if (!leafTarget || !caTarget || leafTarget.certs.length === 0) return;
    edges.push({ leafRef, caRef, reportOn, why, verdict: edgeVerdict(leafTarget.certs, caTarget.certs) });
  };
  for (const node of ctx.nodes) {
    const apiserver = podFor(ctx, node, 'kube-apiserver');
    const etcd = podFor(ctx, node, 'etcd');
    const ownApiserver = node.pods['kube-apiserver'];
    const ownEtcd = node.pods.etcd;
    // Client certificates of every kubeconfig vs the API server's --client-ca-file.
    for (const kubeconfig of node.kubeconfigs) {
      for (const cert of activeUserRefs(kubeconfig, 'client-certificate')) {
        edge(cert, refOf(apiserver, '--client-ca-file'), 'leaf', 'so the API server rejects this user');
      }
      if (kubeconfig.references.some((r) => r.spec.name === 'insecure-skip-tls-verify' && r.value === 'true')) continue;
      for (const ca of activeClusterRefs(kubeconfig, 'certificate-authority')) {
        edge(refOf(apiserver, '--tls-cert-file'), ca, 'ca', 'so clients of this kubeconfig reject the API server');
      }
    }
    if (ownApiserver) {
      edge(refOf(ownApiserver, '--etcd-certfile'), refOf(etcd, '--trusted-ca-file'), 'leaf', 'so etcd rejects the API server');
      edge(refOf(etcd, '--cert-file'), refOf(ownApiserver, '--etcd-cafile'), 'ca', 'so the API server rejects etcd');
      edge(
        refOf(ownApiserver, '--proxy-client-cert-file'),
        refOf(ownApiserver, '--requestheader-client-ca-file'),
        'leaf',
        'so aggregated APIs reject the front proxy',
      );
      const kubeletClientCa = kubeletRef(node, 'authentication.x509.clientCAFile', '--client-ca-file');
      edge(refOf(ownApiserver, '--kubelet-client-certificate'), kubeletClientCa, 'leaf', 'so the kubelet rejects the API server (kubectl logs and exec fail)');
      edge(
        kubeletRef(node, 'tlsCertFile', '--tls-cert-file'),
        refOf(ownApiserver, '--kubelet-certificate-authority'),
        'ca',
        'so the API server rejects the kubelet',
      );
    }
    if (ownEtcd) edge(refOf(ownEtcd, '--peer-cert-file'), refOf(ownEtcd, '--peer-trusted-ca-file'), 'leaf', 'so etcd peers reject this member');
  }
  talosTrustEdges(ctx, edge);
  return edges;
}

export const caMismatch: Rule = {
  meta: {
    code: 'ca-mismatch',
    severity: 'error',
    description: "A certificate is not signed by the CA its peer trusts (client cert vs the server's client CA, serving cert vs the CA its clients use).",
    docs: 'docs/rules/ca-mismatch.md',
    fixable: true,
    options: [],
  },
  check(ctx, report) {
    for (const { leafRef, caRef, reportOn, why, verdict } of trustEdges(ctx)) {
      // A search that gave up is chain-too-complex's finding, not a mismatch.
      if (verdict.ok || verdict.tooComplex) continue;
      const message = `${ctx.describe(leafRef)} is not signed by ${ctx.describe(caRef)}, ${why}: ${verdict.reason}`;
      if (reportOn === 'leaf') report(leafRef, message, reissueUnderTrustedCa(ctx, leafRef, caRef));
      else report(caRef, message);
    }
    // A Secret's ca.crt is what its clients are told to trust: it must verify the tls.crt beside it.
    for (const { cert, ca } of tlsTriples(ctx)) {
      const leafCerts = ctx.objects.ok(cert)?.certs;
      const caCerts = ca && ctx.objects.ok(ca)?.certs;
      if (!leafCerts?.length || !caCerts?.length) continue;
      const verdict = edgeVerdict(leafCerts, caCerts);
      if (!verdict.ok && !verdict.tooComplex)
        report(placeOf(ca!), `${valueLabel(cert)} is not signed by its ca.crt, so clients that trust ca.crt reject it: ${verdict.reason}`);
    }
    checkServingCaBundles(ctx, report);
  },
};
