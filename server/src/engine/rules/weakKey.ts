import { nodeReferences } from '../check/clusterModel';
import { valueLabel } from '../kube/kinds';
import type { PkiObject } from '../pki/decode';
import { isSelfSigned } from '../verify/caUsable';
import { certificatesOf, placeOf } from './objectValues';
import { Rule } from './rule';
import { standaloneBlocks } from './standalone';

const WEAK_CODES = new Set(['weak-key', 'weak-signature']);

export const weakKey: Rule = {
  meta: {
    code: 'weak-key',
    severity: 'warning',
    description: 'A key is RSA below 2048 bits (or otherwise weak), or a certificate is signed with SHA-1 or MD5.',
    docs: 'docs/rules/weak-key.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    // One fault, one finding: a weak key is reported once, at the first place that holds it
    // (a cert and its key file, or a private key and its public half, share one fingerprint).
    const seen = new Set<string>();
    const weaknesses = (object: PkiObject): string[] => {
      const fingerprint =
        object.kind === 'certificate' || object.kind === 'publicKey'
          ? object.publicKey.spkiSha256
          : object.kind === 'privateKey'
            ? object.publicKey?.spkiSha256
            : undefined;
      return (
        object.problems
          .filter((p) => WEAK_CODES.has(p.code))
          // Nobody checks a root's self-signature (Go never does), so its algorithm is no weakness.
          .filter((p) => !(p.code === 'weak-signature' && object.kind === 'certificate' && isSelfSigned(object)))
          .filter((p) => {
            const key = p.code === 'weak-key' ? `key:${fingerprint}` : `sig:${object.kind === 'certificate' ? object.sha256 : ''}`;
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          })
          .map((p) => p.message)
      );
    };
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      const target = ctx.ok(ref);
      if (!target) continue;
      const certs = ref.role === 'client-ca' || ref.role === 'server-ca' ? target.certs : target.certs.slice(0, 1);
      const problems = [...certs, ...(target.privateKey ? [target.privateKey] : [])].flatMap(weaknesses);
      if (problems.length > 0) report(ref, `${ctx.describe(ref)}: ${problems.join('; ')}`);
    }
    for (const value of ctx.objects.values()) {
      const key = ctx.objects.ok(value)?.privateKey;
      const problems = [...certificatesOf(ctx, value), ...(key ? [key] : [])].flatMap(weaknesses);
      if (problems.length > 0) report(placeOf(value), `${valueLabel(value)}: ${problems.join('; ')}`);
    }
    for (const { file, range, block, label } of standaloneBlocks(ctx)) {
      const problems = block.object ? weaknesses(block.object) : [];
      if (problems.length > 0) report({ file, range }, `${label}: ${problems.join('; ')}`);
    }
  },
};
