import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certText, expiryRowText, expiryStatusText, folderLabel, iconOf, useText } from '../../client/src/pkiTreeText';
import type { TreeCert } from '../../server/src/engine/features/pkiTree';
import { HOSTILE_CN, HOSTILE_CN_SHOWN } from '../support/hostileText';

// HOSTILE_CN_SHOWN with VS Code's icon syntax shown as text, as tree labels and descriptions need it.
const HOSTILE_CN_LABEL = HOSTILE_CN_SHOWN.replace('$(alert)', '\\$(alert)');

const cert = (over: Partial<TreeCert>): TreeCert => ({
  path: '/ws/pki/evil\u001b[2J\u202e.crt',
  role: 'etcd peer$(alert)',
  subject: `CN=${HOSTILE_CN}`,
  sha256: 'AB:CD',
  notAfter: '2027-01-01T00:00:00.000Z',
  expiry: 'expires in 30 days',
  status: 'ok',
  roles: ['--client-ca-file of kube-apiserver', 'certificate-authority of $(alert)\u202e\n'],
  usedBy: [],
  findings: [],
  ...over,
});

describe('Kubernetes PKI view: item text shows workspace text inert', () => {
  it('a certificate: label, description and tooltip escaped, icons as text', () => {
    assert.deepEqual(certText(cert({})), {
      label: 'etcd peer\\$(alert)',
      description: `CN=${HOSTILE_CN_LABEL} · expires in 30 days`,
      tooltip: `etcd peer$(alert): CN=${HOSTILE_CN_SHOWN}\n/ws/pki/evil\\x1b[2J\\u202e.crt\nnotAfter 2027-01-01T00:00:00.000Z (expires in 30 days)\n\n--client-ca-file of kube-apiserver\ncertificate-authority of $(alert)\\u202e\\x0a`,
    });
  });

  it('a kubeconfig user: its role and user name in the label, the subject in the description', () => {
    const text = certText(cert({ role: 'adm\u202ein.conf client', user: 'admin\u001b]0;T\u0007$(bug)', path: '/ws/adm\u202ein.conf' }));
    assert.equal(text.label, 'adm\\u202ein.conf client · admin\\x1b]0;T\\x07\\$(bug)');
    assert.equal(text.description, `CN=${HOSTILE_CN_LABEL} · expires in 30 days`);
  });

  it('a folder and a reference', () => {
    assert.equal(folderLabel('/home/me/clu\u001b[2J$(x)'), 'clu\\x1b[2J\\$(x)');
    assert.deepEqual(useText({ file: '/ws/kube\u2066.yaml', line: 4, name: '--tls-cert-file$(x)' }), {
      label: '--tls-cert-file\\$(x)',
      description: 'kube\\u2066.yaml:5',
    });
  });
});

describe('Kubernetes PKI view: icons, the By expiry rows and the status bar text', () => {
  it('the icon is the worst finding, else the expiry: an identity mismatch is no green check', () => {
    assert.equal(iconOf({ status: 'ok' }), 'ok');
    assert.equal(iconOf({ status: 'ok', worst: 'error' }), 'error');
    assert.equal(iconOf({ status: 'ok', worst: 'warning' }), 'warning');
    assert.equal(iconOf({ status: 'ok', worst: 'information' }), 'info');
    assert.equal(iconOf({ status: 'ok', worst: 'hint' }), 'ok');
    assert.equal(iconOf({ status: 'expiring', worst: 'information' }), 'warning');
    assert.equal(iconOf({ status: 'expired' }), 'error');
  });

  it('a By expiry row: role, days left and where, inert', () => {
    const row = {
      role: 'apiserver-etcd-client',
      file: '/ws/pki/apiserver-etcd-client.crt',
      field: null,
      line: 0,
      subject: `CN=${HOSTILE_CN}`,
      sha256: 'AB',
      notAfter: '2021-03-15T00:00:00.000Z',
      daysLeft: -2087,
      residual: 'expired',
      status: 'expired' as const,
      ca: 'etcd-ca',
      caKeyPresent: true,
      referenced: true,
    };
    assert.deepEqual(expiryRowText(row), {
      label: 'apiserver-etcd-client',
      description: 'expired 2087 days ago · apiserver-etcd-client.crt',
      tooltip: `apiserver-etcd-client: CN=${HOSTILE_CN_SHOWN}\n/ws/pki/apiserver-etcd-client.crt\nnotAfter 2021-03-15T00:00:00.000Z (expired)`,
    });
    const embedded = expiryRowText({
      ...row,
      role: 'admin.conf client',
      file: '/ws/admin.conf',
      field: 'kubernetes-admin$(x)',
      daysLeft: 1,
      referenced: false,
    });
    assert.equal(embedded.description, '1 day left · admin.conf (kubernetes-admin\\$(x)) · unreferenced');
  });

  it('the status bar: hidden when nothing is due, else the counts', () => {
    assert.equal(expiryStatusText({ expired: 0, expiring: 0, warningDays: 30 }), undefined);
    assert.equal(expiryStatusText({ expired: 1, expiring: 2, warningDays: 30 }), 'PKI: 1 expired · 2 expire < 30 d');
    assert.equal(expiryStatusText({ expired: 0, expiring: 1, warningDays: 7 }), 'PKI: 1 expires < 7 d');
    assert.equal(expiryStatusText({ expired: 3, expiring: 0, warningDays: 30 }), 'PKI: 3 expired');
  });
});
