import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { parseConfigText } from '../../server/src/engine/check/workspace';
import { decodePkiBytes } from '../../server/src/engine/pki/decode';
import { corpusOrSkip, describeNeeding } from '../support/paths';
import { service } from '../support/service';

interface CorpusRef {
  line: number;
  kind: string;
  key: string;
  value: string;
}

const dir = corpusOrSkip('realworld');

describeNeeding('realworld corpus (49 upstream files)', dir === undefined ? 'skipped: corpus not found' : false, () => {
  const refs: Record<string, { refs: CorpusRef[] }> = dir ? JSON.parse(readFileSync(join(dir, 'refs.json'), 'utf8')) : {};
  let claimed = 0;
  let found = 0;

  for (const [file, entry] of Object.entries(refs)) {
    it(file, () => {
      const path = join(dir!, file);
      const bytes = readFileSync(path);
      const config = parseConfigText(path, bytes.toString('utf8'));
      const pem = decodePkiBytes(new Uint8Array(bytes));
      // An API object's values (a Secret's tls.crt) count as its references: the field, on the line of its value.
      const objectValues = (config?.documents ?? []).flatMap((d) =>
        'objects' in d ? d.objects.flatMap((o) => o.values.map((v) => ({ range: v.range, name: v.field, spec: { name: v.key } }))) : [],
      );
      const references = config ? [...config.documents.flatMap((d) => ('references' in d ? d.references : [])), ...config.envReferences, ...objectValues] : [];
      // Files of a kind we claim: every flag/field reference is found on its line with its name.
      if (config && config.documents.length > 0) {
        for (const ref of entry.refs.filter((r) => r.kind === 'flag' || r.kind === 'field')) {
          claimed++;
          const hit = references.find(
            (r) => r.range.start.line + 1 === ref.line && (r.name === ref.key || r.name.endsWith(`.${ref.key}`) || r.spec.name === ref.key),
          );
          assert.ok(
            hit,
            `${ref.kind} ${ref.key} on line ${ref.line} not found (found: ${references.map((r) => `${r.range.start.line + 1}:${r.name}`).join(' ')})`,
          );
          found++;
        }
      }
      // PEM files and PEM embedded in YAML: every block is found on its BEGIN line.
      for (const ref of entry.refs.filter((r) => r.kind === 'pem')) {
        claimed++;
        assert.ok(
          pem.blocks.some((b) => b.range && b.range.start.line + 1 === ref.line),
          `PEM block on line ${ref.line} not found`,
        );
        found++;
      }
    });
  }

  it('finds every claimed reference, and the upstream mistakes, without crashing on the rest', async () => {
    process.stdout.write(`# realworld: ${found} of ${claimed} references of claimed kinds found on their lines\n`);
    assert.equal(found, claimed);
    const report = await service.checkTree(dir!);
    const codes = (file: string) => report.findings.filter((f) => f.file.endsWith(file)).map((f) => `${f.code}@${f.range.start.line + 1}`);
    // kops ships 512-bit RSA service-account keys (private key and a second public key).
    assert.deepEqual(codes('tasks-kube-apiserver.yaml'), ['weak-key@311', 'weak-key@329']);
    // etcd's expired fixtures and kubeadm's 2019 test node cert, a kubeconfig user with a certificate and no key (client-go refuses it).
    assert.deepEqual(codes('fixtures-expired/server.crt'), ['cert-expired@1']);
    assert.deepEqual(codes('kubelet-with-embedded-cert.yaml'), ['kubeconfig-credential@17', 'cert-expired@17']);
    // The hard way's ca.conf: O=system:system:kube-scheduler, and kubernetes.svc.cluster.local for kubernetes.default.svc.cluster.local.
    assert.deepEqual(codes('kubernetes-the-hard-way/ca.conf'), ['identity-mismatch@155', 'san-missing@182']);
    assert.ok(!report.findings.some((f) => f.code === 'internal-error'));
  });
});
