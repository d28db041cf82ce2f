import { objectLabel } from '../kube/kinds';
import { dnsPatternMatches } from '../verify/hostname';
import { Rule } from './rule';

export const ingressHostWithoutTls: Rule = {
  meta: {
    code: 'ingress-host-without-tls',
    severity: 'warning',
    description: 'An Ingress with tls entries has a rules[].host that no tls[].hosts entry names, so the controller serves it with its default certificate.',
    docs: 'docs/rules/ingress-host-without-tls.md',
    fixable: true,
    options: [],
  },
  check(ctx, report) {
    for (const object of ctx.objects.objects) {
      const frontend = object.frontend;
      if (object.kind !== 'Ingress' || !frontend || frontend.terminations.length === 0) continue;
      const tlsHosts = frontend.terminations.flatMap((t) => t.hosts.map((h) => h.value));
      for (const host of frontend.ruleHosts) {
        if (tlsHosts.some((pattern) => dnsPatternMatches(pattern, host.value))) continue;
        // The fix adds it to the first tls entry's hosts (its certificate must cover it: ingress-host-not-covered says so).
        const entry = frontend.terminations.find((t) => t.addHost);
        report(
          { file: object.file, range: host.range },
          `${objectLabel(object)} serves ${host.value} over TLS but no tls[].hosts entry names it: the controller answers it with its default certificate, which clients reject`,
          entry?.addHost && {
            kind: 'edit-text',
            title: `Add ${host.value} to ${entry.field}.hosts`,
            path: object.file,
            edits: [{ range: entry.addHost.at, newText: `${entry.addHost.prefix}${yamlHost(host.value)}` }],
          },
        );
      }
    }
  },
};

/** A host as a YAML scalar: a wildcard starts with `*`, an alias in plain YAML, so it is quoted. */
const yamlHost = (host: string) => (host.startsWith('*') ? JSON.stringify(host) : host);
