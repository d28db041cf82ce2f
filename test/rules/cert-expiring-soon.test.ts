import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certExpiringSoon } from '../../server/src/engine/rules/certExpiringSoon';
import { clusterCa, findings, manifest, pki } from '../support/ruleTester';

const MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = ['--client-ca-file=/etc/kubernetes/pki/ca.crt'];
// 45 days after NOW (2025-06-01).
const soon = () => pki('soon-ca', { subject: [['CN', 'soon']], ca: true, notAfter: new Date('2025-07-16T00:00:00Z') });

describe('cert-expiring-soon', () => {
  it('is silent outside the window (30 days by default)', async () => {
    const ca = await soon();
    assert.deepEqual(await findings(certExpiringSoon, { [MANIFEST]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/ca.crt': ca.cert }), []);
  });

  it('reports within a wider window (expiryWarningDays 60)', async () => {
    const ca = await soon();
    assert.deepEqual(
      await findings(certExpiringSoon, { [MANIFEST]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/ca.crt': ca.cert }, { expiryWarningDays: 60 }),
      [`${MANIFEST}:10:24-10:50 ca.crt (from --client-ca-file in kube-apiserver.yaml) expires in 45 days (CN=soon, notAfter 2025-07-16T00:00:00Z)`],
    );
  });

  it('is silent on a certificate that already expired (cert-expired says it)', async () => {
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(
        certExpiringSoon,
        { [MANIFEST]: manifest('kube-apiserver', flags), 'etc/kubernetes/pki/ca.crt': ca.cert },
        { now: new Date('2027-01-01T00:00:00Z') },
      ),
      [],
    );
  });
});
