import { lookupSecret } from '../check/ingressLinks';
import { objectLabel } from '../kube/kinds';
import { valueOf } from './objectValues';
import { Rule } from './rule';

/** Where cert-manager reads a ClusterIssuer's Secrets: its --cluster-resource-namespace, by default its own. */
const CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';

export const issuerCaInvalid: Rule = {
  meta: {
    code: 'issuer-ca-invalid',
    severity: 'error',
    description:
      "A cert-manager Issuer's or ClusterIssuer's spec.ca.secretName names a Secret in the repository whose tls.crt is not a CA certificate, or that holds no tls.key.",
    docs: 'docs/rules/issuer-ca-invalid.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const object of ctx.objects.objects) {
      const secretName = object.issuer?.caSecretName;
      if (!secretName) continue;
      const namespace = object.kind === 'ClusterIssuer' ? CLUSTER_RESOURCE_NAMESPACE : object.namespace;
      const secrets = lookupSecret(ctx, object, namespace, secretName.value);
      // Not in the workspace, or ambiguous: no finding (the hover says which).
      if (secrets.length !== 1) continue;
      const secret = secrets[0];
      const cert = ctx.objects.ok(valueOf(secret, 'tls.crt'))?.certs[0];
      if (!cert) continue;
      // A tls.key that does not match is key-mismatch's, on the Secret's tls.key: one fault, one finding.
      const keyValue = valueOf(secret, 'tls.key');
      const prefix = `${objectLabel(object)} signs with ${objectLabel(secret)}`;
      const at = { file: object.file, range: secretName.range };
      if (!cert.basicConstraints?.ca)
        report(at, `${prefix}, whose tls.crt is not a CA certificate (no basicConstraints CA:TRUE): cert-manager cannot sign with it`);
      else if (!keyValue) report(at, `${prefix}, which holds no tls.key: cert-manager needs the CA's private key to sign`);
    }
  },
};
