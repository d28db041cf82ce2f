import { nodeReferences } from '../check/clusterModel';
import { Rule } from './rule';

const WEAK_CODES = new Set(['weak-key', 'weak-signature']);

export const weakKey: Rule = {
  code: 'weak-key',
  severity: 'warning',
  description: 'A referenced key is RSA below 2048 bits (or otherwise weak), or a certificate is signed with SHA-1 or MD5.',
  check(ctx, report) {
    // One fault, one finding: a weak key is reported once, at the first reference to it (cert or key file).
    const seenKeys = new Set<string>();
    for (const ref of ctx.nodes.flatMap(nodeReferences)) {
      const target = ctx.ok(ref);
      if (!target) continue;
      const certs = ref.role === 'client-ca' || ref.role === 'server-ca' ? target.certs : target.certs.slice(0, 1);
      const problems: string[] = [];
      for (const holder of [...certs, ...(target.privateKey ? [target.privateKey] : [])]) {
        const fingerprint = holder.kind === 'certificate' ? holder.publicKey.spkiSha256 : holder.publicKey?.spkiSha256;
        for (const p of holder.problems.filter((p) => WEAK_CODES.has(p.code))) {
          const key = p.code === 'weak-key' ? `key:${fingerprint}` : `sig:${holder.kind === 'certificate' ? holder.sha256 : ''}`;
          if (seenKeys.has(key)) continue;
          seenKeys.add(key);
          problems.push(p.message);
        }
      }
      if (problems.length > 0) report(ref, `${ctx.describe(ref)}: ${problems.join('; ')}`);
    }
  },
};
