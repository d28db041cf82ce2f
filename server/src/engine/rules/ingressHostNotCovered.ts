import { objectLabel } from '../kube/kinds';
import { valueOf } from './objectValues';
import { Rule } from './rule';
import { secretReissueFix } from './secretReissue';
import { uncoveredHosts } from './tlsCoverage';

export const ingressHostNotCovered: Rule = {
  meta: {
    code: 'ingress-host-not-covered',
    severity: 'error',
    description:
      "An Ingress tls host or a Gateway listener's hostname is not among the DNS names of the certificate its Secret holds (or the cert-manager Certificate writing that Secret asks for).",
    docs: 'docs/rules/ingress-host-not-covered.md',
    fixable: true,
    options: [],
  },
  check(ctx, report) {
    const certificateHosts = new Set<string>();
    for (const { object, host, why } of uncoveredHosts(ctx)) {
      if (why.by === 'secret') {
        const cert = valueOf(why.secret, 'tls.crt');
        report(
          { file: object.file, range: host.range },
          `${objectLabel(object)} serves ${host.value} with ${objectLabel(why.secret)}, whose certificate does not cover it: ${why.reason}`,
          cert && secretReissueFix(ctx, cert, [host.value]),
        );
        continue;
      }
      // One finding per Certificate and host, on its dnsNames: the Certificate is what must change.
      const spec = why.certificate.certificate;
      const key = `${objectLabel(why.certificate)}\u0000${host.value}`;
      if (!spec || certificateHosts.has(key)) continue;
      certificateHosts.add(key);
      const names = spec.dnsNames.map((n) => n.value);
      report(
        { file: why.certificate.file, range: spec.dnsNamesRange ?? spec.secretName?.range ?? why.certificate.range },
        `${objectLabel(why.certificate)} writes Secret ${why.secretName}, which ${objectLabel(object)} serves ${host.value} with, but its dnsNames do not cover ${host.value} (${names.length > 0 ? `they are ${names.join(', ')}` : 'it has none'})`,
      );
    }
  },
};
