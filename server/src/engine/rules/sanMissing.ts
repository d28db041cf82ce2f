import { refOf } from '../check/clusterModel';
import { apiserverNames, ExpectedName, etcdNames } from '../check/expectedNames';
import type { RuleContext } from '../check/ruleContext';
import { reissueFix } from '../fix/reissue';
import type { Reference } from '../kube/reference';
import { sansOf } from '../pki/certificateFields';
import { matchHostname } from '../verify/hostname';
import { checkOpensslApiserverNames } from './opensslProfiles';
import { Report, Rule } from './rule';

function checkNames(ctx: RuleContext, report: Report, certRef: Reference | undefined, names: ExpectedName[]): void {
  const cert = certRef ? ctx.ok(certRef)?.certs[0] : undefined;
  if (!certRef || !cert) return;
  const seen = new Set<string>();
  const missing = names.filter(({ name }) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return !matchHostname(cert, name).ok;
  });
  if (missing.length === 0) return;
  // One fix for all: re-issue with every missing name added, keeping the key.
  const fix = reissueFix(ctx, certRef, cert, `Re-issue ${ctx.describe(certRef).split(' ')[0]} with ${missing.map((m) => m.name).join(', ')} added`, [
    ...sansOf(cert),
    ...missing.map((m) => m.name),
  ]);
  for (const { name, why } of missing) report(certRef, `${ctx.describe(certRef)} has no SAN ${name}, ${why}`, fix);
}

export const sanMissing: Rule = {
  meta: {
    code: 'san-missing',
    severity: 'error',
    description: 'A serving certificate lacks a name (DNS or IP SAN) that its clients use to reach it.',
    docs: 'docs/rules/san-missing.md',
    fixable: true,
    options: [],
  },
  check(ctx, report) {
    for (const node of ctx.nodes) {
      const apiserver = node.pods['kube-apiserver'];
      if (apiserver) checkNames(ctx, report, refOf(apiserver, '--tls-cert-file'), apiserverNames(ctx, node));
      const etcd = node.pods.etcd;
      if (etcd) {
        checkNames(ctx, report, refOf(etcd, '--cert-file'), etcdNames(etcd, apiserver, '--advertise-client-urls'));
        checkNames(ctx, report, refOf(etcd, '--peer-cert-file'), etcdNames(etcd, apiserver, '--initial-advertise-peer-urls'));
      }
    }
    checkOpensslApiserverNames(ctx, report);
  },
};
