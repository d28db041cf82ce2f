import type { NodeModel } from '../check/clusterModel';
import { refOf } from '../check/clusterModel';
import type { FixSpec } from '../check/fixSpec';
import { nodeName, podFor } from '../check/nodeFacts';
import type { RuleContext } from '../check/ruleContext';
import { expectedIdentity } from '../distributions';
import { base } from '../fix/signerFor';
import { keyPathFor } from '../gen/profiles';
import type { Reference } from '../kube/reference';
import { attributeValues, commonName } from '../pki/distinguishedName';
import { checkOpensslIdentities } from './opensslProfiles';
import { Report, Rule } from './rule';
import { checkTalosClientRoles } from './talos';
import { activeUserRefs, kubeconfigUses } from './topology';

/** A new client certificate with the right subject, signed by the CA the API server trusts, embedded in the kubeconfig. */
function userFix(ctx: RuleContext, node: NodeModel, ref: Reference, subject: Array<[string, string]>): FixSpec | undefined {
  const caRef = refOf(podFor(ctx, node, 'kube-apiserver'), '--client-ca-file');
  const caPath = caRef ? ctx.ok(caRef)?.path : undefined;
  if (!ref.inline || !ref.owner || !caPath || !ctx.workspace.exists(keyPathFor(caPath))) return undefined;
  return {
    kind: 'kubeconfig-user',
    title: `Re-issue the client certificate of ${ref.owner} as ${subject.map(([k, v]) => `${k}=${v}`).join(', ')} (signed by ${base(caPath)})`,
    kubeconfigPath: ref.file,
    user: ref.owner,
    subject,
    signer: { certPath: caPath, keyPath: keyPathFor(caPath) },
    validityDays: 365,
  };
}

/** The groups RBAC binds to cluster-admin by default: every cluster, and kubeadm 1.29+ (its admin.conf's group). */
const ADMIN_GROUPS = ['system:masters', 'kubeadm:cluster-admins'];

/**
 * An admin kubeconfig whose certificate carries no admin group: its user has no permission unless a
 * ClusterRoleBinding in the cluster names its CN, which the tree cannot show, hence a warning.
 */
function checkAdmin(ctx: RuleContext, node: NodeModel, ref: Reference, cn: string, orgs: string[], report: Report): void {
  if (orgs.some((o) => ADMIN_GROUPS.includes(o))) return;
  report(
    ref,
    `${ctx.describe(ref)} is the cluster's admin credential but its O is ${orgs.length ? orgs.map((o) => `"${o}"`).join(', ') : 'missing'}, not system:masters or kubeadm:cluster-admins: user "${cn}" has no permissions unless a ClusterRoleBinding names it`,
    cn
      ? userFix(ctx, node, ref, [
          ['O', 'system:masters'],
          ['CN', cn],
        ])
      : undefined,
    'warning',
  );
}

/** A component's (or a distribution controller's) client certificate: the CN and groups its distribution's table gives that user. */
function checkFixedIdentity(ctx: RuleContext, node: NodeModel, ref: Reference, user: string, cn: string, orgs: string[], report: Report): void {
  const want = expectedIdentity(user);
  if (!want) return;
  const missing = (want.orgs ?? []).filter((o) => !orgs.includes(o));
  if (cn === want.cn && missing.length === 0) return;
  const subject: Array<[string, string]> = [...(want.orgs ?? []).map((o): [string, string] => ['O', o]), ['CN', want.cn]];
  const problem =
    cn !== want.cn
      ? `its CN is "${cn}", not "${want.cn}"`
      : `its O is ${orgs.length ? orgs.map((o) => `"${o}"`).join(', ') : 'missing'}, without ${missing.map((o) => `"${o}"`).join(', ')}`;
  report(ref, `${ctx.describe(ref)} is used by ${user} but ${problem}: RBAC gives it none of ${user}'s permissions`, userFix(ctx, node, ref, subject));
}

export const identityMismatch: Rule = {
  meta: {
    code: 'identity-mismatch',
    severity: 'error',
    description: "A client certificate's subject is not the identity Kubernetes expects for the component using it.",
    docs: 'docs/rules/identity-mismatch.md',
    fixable: true,
    options: [],
  },
  check(ctx, report) {
    for (const node of ctx.nodes) {
      const name = nodeName(ctx, node);
      for (const { kubeconfig, user } of kubeconfigUses(ctx, node)) {
        if (!user) continue;
        for (const ref of activeUserRefs(kubeconfig, 'client-certificate')) {
          const cert = ctx.ok(ref)?.certs[0];
          if (!cert) continue;
          const cn = commonName(cert.subject) ?? '';
          const orgs = attributeValues(cert.subject, 'O');
          if (user === 'kubelet') {
            const wantCn = name ? `system:node:${name}` : undefined;
            const problems: string[] = [];
            if (wantCn ? cn.toLowerCase() !== wantCn : !cn.startsWith('system:node:'))
              problems.push(`CN is "${cn}", not "${wantCn ?? 'system:node:<node name>'}"`);
            if (!orgs.includes('system:nodes')) problems.push(`O is ${orgs.length ? orgs.map((o) => `"${o}"`).join(', ') : 'missing'}, not "system:nodes"`);
            if (problems.length)
              report(
                ref,
                `${ctx.describe(ref)} is the kubelet's client certificate but its ${problems.join(' and its ')}: the Node authorizer will deny it`,
                wantCn
                  ? userFix(ctx, node, ref, [
                      ['O', 'system:nodes'],
                      ['CN', wantCn],
                    ])
                  : undefined,
              );
          } else if (user === 'admin') {
            checkAdmin(ctx, node, ref, cn, orgs, report);
          } else {
            checkFixedIdentity(ctx, node, ref, user, cn, orgs, report);
          }
        }
      }
      const apiserver = node.pods['kube-apiserver'];
      const proxyRef = refOf(apiserver, '--proxy-client-cert-file');
      const allowed =
        refOf(apiserver, '--requestheader-allowed-names')
          ?.value.split(',')
          .map((s) => s.trim())
          .filter(Boolean) ?? [];
      const proxyCert = proxyRef ? ctx.ok(proxyRef)?.certs[0] : undefined;
      if (proxyRef && proxyCert && allowed.length > 0) {
        const cn = commonName(proxyCert.subject) ?? '';
        if (!allowed.includes(cn))
          report(
            proxyRef,
            `${ctx.describe(proxyRef)} has CN "${cn}", which --requestheader-allowed-names=${allowed.join(',')} does not allow: aggregated APIs reject the proxy`,
          );
      }
    }
    checkOpensslIdentities(ctx, report);
    checkTalosClientRoles(ctx, report);
  },
};
