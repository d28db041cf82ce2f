import { lookupSecret } from '../check/ingressLinks';
import { unitViews } from '../check/objectUnits';
import type { RuleContext } from '../check/ruleContext';
import { type ApiObject, objectLabel } from '../kube/kinds';
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
      const namespace = object.kind === 'ClusterIssuer' ? CLUSTER_RESOURCE_NAMESPACE : undefined;
      const at = { file: object.file, range: secretName.range };
      // Resolved in each unit deploying the issuer; the same fault in several units is one finding.
      const said = new Set<string>();
      for (const view of unitViews(ctx, object)) {
        const secrets = lookupSecret(ctx, view, namespace, secretName.value);
        // Not in the workspace, or ambiguous: no finding (the hover says which).
        const message = secrets.length === 1 ? faultOf(ctx, object, secrets[0]) : undefined;
        if (message && !said.has(message)) report(at, message);
        if (message) said.add(message);
      }
    }
  },
};

/** Why cert-manager cannot sign with the Secret, or undefined. */
function faultOf(ctx: RuleContext, issuer: ApiObject, secret: ApiObject): string | undefined {
  const cert = ctx.objects.ok(valueOf(secret, 'tls.crt'))?.certs[0];
  if (!cert) return undefined;
  const prefix = `${objectLabel(issuer)} signs with ${objectLabel(secret)}`;
  if (!cert.basicConstraints?.ca) return `${prefix}, whose tls.crt is not a CA certificate (no basicConstraints CA:TRUE): cert-manager cannot sign with it`;
  // A tls.key that does not match is key-mismatch's, on the Secret's tls.key: one fault, one finding.
  return valueOf(secret, 'tls.key') ? undefined : `${prefix}, which holds no tls.key: cert-manager needs the CA's private key to sign`;
}
