import type { KubeconfigUser } from '../kube/kinds/kubeconfig';
import { Rule } from './rule';

const has = (user: KubeconfigUser, ...fields: string[]) => user.credentials.find((c) => fields.includes(c.field));

/**
 * A user whose client certificate has no key or whose key has no certificate: client-go's validateAuthInfo
 * refuses the user ("client-key-data or client-key must be specified for <user> to use the clientCert
 * authentication method"). A user a context names with no credential at all sends requests as system:anonymous;
 * an unnamed empty user is a common placeholder and is left alone.
 */
export const kubeconfigCredential: Rule = {
  meta: {
    code: 'kubeconfig-credential',
    severity: 'error',
    description: 'A kubeconfig user has a client certificate without its key (or the reverse), or a user a context names has no credentials.',
    docs: 'docs/rules/kubeconfig-credential.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const kubeconfig of ctx.nodes.flatMap((n) => n.kubeconfigs)) {
      const { users, contexts } = kubeconfig.model;
      for (const user of users) {
        const cert = has(user, 'client-certificate', 'client-certificate-data');
        const key = has(user, 'client-key', 'client-key-data');
        if (cert && !key) {
          report(
            { file: kubeconfig.file, range: cert.range },
            `user "${user.name}" has ${cert.field} but no client-key or client-key-data: client-go (kubectl and every component) refuses this user: client-key-data or client-key must be specified for ${user.name} to use the clientCert authentication method`,
          );
        } else if (key && !cert) {
          report(
            { file: kubeconfig.file, range: key.range },
            `user "${user.name}" has ${key.field} but no client-certificate or client-certificate-data: client-go (kubectl and every component) refuses this user: client-cert-data or client-cert must be specified for ${user.name} to use the clientCert authentication method`,
          );
        }
        const usedBy = contexts.filter((c) => c.user === user.name).map((c) => `"${c.name}"`);
        if (user.credentials.length === 0 && usedBy.length > 0) {
          report(
            { file: kubeconfig.file, range: user.range },
            `user "${user.name}" (of context ${usedBy.join(', ')}) has no credentials (no client certificate and key, token, tokenFile, exec, auth-provider or username and password): the API server takes its requests as system:anonymous`,
          );
        }
      }
    }
  },
};
