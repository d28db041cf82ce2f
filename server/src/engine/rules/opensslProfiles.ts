import type { RuleContext } from '../check/ruleContext';
import type { OpensslEntry, OpensslSection } from '../kube/kinds/opensslProfile';
import type { Report } from './rule';

/**
 * Checks of certificate profiles written for openssl (the seeds' openssl.cnf,
 * the hard way's ca.conf): mistakes there end up in every certificate signed
 * from them, so they are reported where they are written.
 */
const SERVICE_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc'];

function dnsNames(section: OpensslSection): OpensslEntry[] {
  return section.entries.filter((e) => /^DNS(\.\d+)?$/i.test(e.key));
}

/** Subject attributes with a doubled "system:" prefix, or a node identity outside system:nodes. */
export function checkOpensslIdentities(ctx: RuleContext, report: Report): void {
  for (const { file, config } of ctx.nodes.flatMap((n) => n.opensslConfigs)) {
    for (const section of config.sections) {
      const cn = section.entries.find((e) => e.key === 'CN' || e.key === 'commonName');
      for (const entry of section.entries.filter((e) => ['CN', 'O', 'commonName', 'organizationName'].includes(e.key))) {
        if (/^system:system:/.test(entry.value)) {
          report(
            { file, range: entry.range },
            `[${section.name}] ${entry.key} = ${entry.value} has "system:" twice: certificates signed from this profile carry an identity Kubernetes does not know`,
          );
        }
      }
      const org = section.entries.find((e) => e.key === 'O' || e.key === 'organizationName');
      if (cn && /^system:node:/.test(cn.value) && org && org.value !== 'system:nodes') {
        report(
          { file, range: org.range },
          `[${section.name}] is a kubelet identity (${cn.value}) but O = ${org.value}, not system:nodes: the Node authorizer will deny it`,
        );
      }
    }
  }
}

/** An API server profile (alt names with kubernetes.*) must list the four service names. */
export function checkOpensslApiserverNames(ctx: RuleContext, report: Report): void {
  for (const node of ctx.nodes) {
    // The cluster domain comes from the cluster's own config, never guessed from the profile being checked.
    const domain = node.dnsDomain ?? ctx.nodes.find((n) => n.dnsDomain)?.dnsDomain ?? 'cluster.local';
    for (const { file, config } of node.opensslConfigs)
      for (const section of config.sections) {
        const names = dnsNames(section).map((e) => e.value.toLowerCase());
        if (!names.includes('kubernetes') || !names.some((n) => n.startsWith('kubernetes.'))) continue;
        const near = names.filter((n) => n.startsWith('kubernetes.') && !SERVICE_NAMES.includes(n) && n !== `kubernetes.default.svc.${domain}`);
        for (const wanted of [...SERVICE_NAMES, `kubernetes.default.svc.${domain}`]) {
          if (names.includes(wanted)) continue;
          report(
            { file, range: section.range },
            `[${section.name}] lacks DNS ${wanted}, a name every pod uses for the kubernetes service${near.length ? ` (it has ${near.join(', ')}: a typo?)` : ''}`,
          );
        }
      }
  }
}
