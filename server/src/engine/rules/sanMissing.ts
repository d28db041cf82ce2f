import { refOf } from '../check/clusterModel';
import { apiserverNames, ExpectedName, etcdNames } from '../check/expectedNames';
import type { RuleContext } from '../check/ruleContext';
import { reissueFix } from '../fix/reissue';
import type { Reference } from '../kube/reference';
import { getOrMake } from '../memo';
import type { CertificateInfo } from '../pki/certificate';
import { sansOf } from '../pki/certificateFields';
import { matchHostname } from '../verify/hostname';
import { checkOpensslApiserverNames } from './opensslProfiles';
import { Report, Rule } from './rule';
import { checkTalosEndpointNames } from './talos';
import { checkServingNames } from './webhookServing';

/** "a, b (each a name every pod uses ...), c (the --advertise-address)": names that share a reason are listed before it once. */
function namesWithReasons(missing: ExpectedName[]): string {
  const groups: Array<{ why: string; names: string[] }> = [];
  for (const { name, why } of missing) {
    const group = groups.find((g) => g.why === why);
    if (group) group.names.push(name);
    else groups.push({ why, names: [name] });
  }
  return groups.map(({ why, names }) => `${names.join(', ')} (${names.length > 1 ? 'each ' : ''}${why})`).join(', ');
}

// A certificate is kept between checks while its file is unchanged: each re-check matched every name of every node again.
const covered = new WeakMap<CertificateInfo, Map<string, boolean>>();

function covers(cert: CertificateInfo, name: string): boolean {
  return getOrMake(
    getOrMake(covered, cert, () => new Map()),
    name,
    () => matchHostname(cert, name).ok,
  );
}

function checkNames(ctx: RuleContext, report: Report, certRef: Reference | undefined, names: ExpectedName[]): void {
  const cert = certRef ? ctx.ok(certRef)?.certs[0] : undefined;
  if (!certRef || !cert) return;
  const seen = new Set<string>();
  const missing = names.filter(({ name }) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return !covers(cert, name);
  });
  if (missing.length === 0) return;
  const what = ctx.describe(certRef);
  // One fix for all: re-issue with every missing name added, keeping the key.
  const fix = reissueFix(ctx, certRef, cert, `Re-issue ${what.split(' ')[0]} with ${missing.map((m) => m.name).join(', ')} added`, [
    ...sansOf(cert),
    ...missing.map((m) => m.name),
  ]);
  // One fault, one finding: the certificate lacks these names, said once on the flag that serves it.
  const [only] = missing;
  report(
    certRef,
    missing.length === 1
      ? `${what} has no SAN ${only.name}, ${only.why}`
      : `${what} is missing ${missing.length} names the clients use: ${namesWithReasons(missing)}`,
    fix,
  );
  // A client that writes a missing name (a kubeconfig's server:) is told where, so the one reading that file sees why it fails.
  const missingNames = new Set(missing.map((m) => m.name.toLowerCase()));
  for (const { name, at, why } of names) {
    if (!at || !missingNames.has(name.toLowerCase())) continue;
    // A kubeconfig's server: names its cluster; a distribution's tls-san says why on its own.
    if (at.owner === undefined) report(at, `${name}, ${why}, is not a name in ${what}: clients reaching the API server by this name reject it`, fix);
    else report(at, `${name}, the ${at.spec.name} of cluster "${at.owner}", is not a name in ${what}: clients using this cluster reject the API server`, fix);
  }
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
    checkTalosEndpointNames(ctx, report);
    checkServingNames(ctx, report);
  },
};
