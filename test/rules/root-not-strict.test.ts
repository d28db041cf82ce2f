import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describeObject } from '../../server/src/engine/format/describe';
import type { CertificateInfo } from '../../server/src/engine/pki/certificate';
import { decodePemText } from '../../server/src/engine/pki/decode';
import { notACa } from '../../server/src/engine/rules/notACa';
import { rootNotStrict } from '../../server/src/engine/rules/rootNotStrict';
import { weakKey } from '../../server/src/engine/rules/weakKey';
import { REPO_ROOT } from '../support/paths';
import { clusterCa, findings, manifest } from '../support/ruleTester';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = ['--client-ca-file=/etc/kubernetes/pki/ca.crt'];
const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'trust', name), 'utf8');
const NOW = { now: new Date('2030-01-01T00:00:00Z') };

describe('root-not-strict', () => {
  it("notes the seed's v1 root (openssl x509 -req -signkey) on the flag naming it, and not-a-ca stays silent", async () => {
    const tree = { [APISERVER]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/ca.crt': fixture('seed-ca.crt') };
    assert.deepEqual(await findings(rootNotStrict, tree, NOW), [
      `${APISERVER}:10:24-10:50 ca.crt (from --client-ca-file in kube-apiserver.yaml): openssl verify -x509_strict rejects this root; Kubernetes accepts it: it has no basicConstraints extension, so it is not a CA (RFC 5280 4.2.1.9) (CN=Kubernetes-CA)`,
    ]);
    assert.deepEqual(await findings(notACa, tree, NOW), []);
  });

  it('is silent on a v3 CA', async () => {
    const ca = await clusterCa();
    assert.deepEqual(await findings(rootNotStrict, { [APISERVER]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/ca.crt': ca.cert }, NOW), []);
  });

  it("says nothing of a root's SHA-1 self-signature (Go never checks it)", async () => {
    const tree = { [APISERVER]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/ca.crt': fixture('sha1-root.crt') };
    assert.deepEqual(await findings(weakKey, tree, NOW), []);
    assert.deepEqual(await findings(rootNotStrict, tree, NOW), []);
  });

  it('the hover on the root says so, as a note', () => {
    const cert = decodePemText(fixture('seed-ca.crt')).blocks[0].object as CertificateInfo;
    const findings = describeObject(cert, NOW.now).findings.filter((f) => f.text.includes('x509_strict'));
    assert.deepEqual(findings, [
      {
        level: 'info',
        text: 'as a trust anchor: openssl verify -x509_strict rejects this root; Kubernetes accepts it (it has no basicConstraints extension, so it is not a CA (RFC 5280 4.2.1.9))',
      },
    ]);
  });
});
