import { posix } from 'node:path';
import type { RuleContext } from '../check/ruleContext';
import type { OpensslConfig, OpensslEntry, OpensslSection } from '../kube/kinds/opensslProfile';
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

/** Names the API server's certificate goes by in kubeadm, the hard way and the seeds. */
const APISERVER_CNS = new Set(['kube-apiserver', 'kubernetes', 'kube-api-server']);

const listItems = (value: string) => value.split(',').map((v) => v.trim());
const entryOf = (section: OpensslSection | undefined, ...keys: string[]) => section?.entries.find((e) => keys.includes(e.key))?.value;

/**
 * Whether the certificates that take their names from `altNames` are the API server's serving
 * certificate: signed for serverAuth (an absent extendedKeyUsage allows every purpose) from a
 * profile whose CN is the API server's, or named as the file the API server serves (the hard
 * way's [kube-api-server] makes kube-api-server.crt). A client profile (the admin's) that
 * happens to list kubernetes.* names is not held to the service names.
 */
function isApiserverServing(config: OpensslConfig, altNames: OpensslSection, servedFiles: Set<string>): boolean {
  const extensions = config.sections.filter((s) => s.entries.some((e) => e.key === 'subjectAltName' && listItems(e.value).includes(`@${altNames.name}`)));
  // Alt names no section uses: signed with -extfile or by hand, their use unknown; held to the names as before.
  if (extensions.length === 0) return true;
  return extensions.some((ext) => {
    const eku = entryOf(ext, 'extendedKeyUsage');
    if (eku && !listItems(eku).some((u) => u === 'serverAuth' || u === 'TLS Web Server Authentication')) return false;
    const profiles = config.sections.filter((s) => s.entries.some((e) => (e.key === 'req_extensions' || e.key === 'x509_extensions') && e.value === ext.name));
    // Extensions chosen on the command line (-extensions): their purpose is all there is to go by.
    if (profiles.length === 0) return true;
    return profiles.some((profile) => {
      const dn = config.sections.find((s) => s.name === entryOf(profile, 'distinguished_name'));
      const cn = entryOf(dn, 'CN', 'commonName_default', 'commonName');
      return servedFiles.has(profile.name) || (cn !== undefined && APISERVER_CNS.has(cn));
    });
  });
}

/** The files API servers of the tree serve, without folder and extension (kube-api-server for /var/lib/kubernetes/kube-api-server.crt). */
function apiserverServedFiles(ctx: RuleContext): Set<string> {
  return new Set(
    ctx.nodes.flatMap((n) => {
      const value = n.pods['kube-apiserver']?.references.find((r) => r.spec.name === '--tls-cert-file')?.value;
      return value ? [posix.basename(value, posix.extname(value))] : [];
    }),
  );
}

/** The API server's serving profile (alt names with kubernetes.*) must list the four service names. */
export function checkOpensslApiserverNames(ctx: RuleContext, report: Report): void {
  const servedFiles = apiserverServedFiles(ctx);
  for (const node of ctx.nodes) {
    // The cluster domain comes from the cluster's own config, never guessed from the profile being checked.
    const domain = node.dnsDomain ?? ctx.nodes.find((n) => n.dnsDomain)?.dnsDomain ?? 'cluster.local';
    for (const { file, config } of node.opensslConfigs)
      for (const section of config.sections) {
        const names = dnsNames(section).map((e) => e.value.toLowerCase());
        if (!names.includes('kubernetes') || !names.some((n) => n.startsWith('kubernetes.'))) continue;
        if (!isApiserverServing(config, section, servedFiles)) continue;
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
