import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certText, folderLabel, useText } from '../../client/src/pkiTreeText';
import type { TreeCert } from '../../server/src/engine/features/pkiTree';
import { HOSTILE_CN, HOSTILE_CN_SHOWN } from '../support/hostileText';

// HOSTILE_CN_SHOWN with VS Code's icon syntax shown as text, as tree labels and descriptions need it.
const HOSTILE_CN_LABEL = HOSTILE_CN_SHOWN.replace('$(alert)', '\\$(alert)');

const cert = (over: Partial<TreeCert>): TreeCert => ({
  path: '/ws/pki/evil\u001b[2J\u202e.crt',
  subject: `CN=${HOSTILE_CN}`,
  notAfter: '2027-01-01T00:00:00.000Z',
  expiry: 'expires in 30 days',
  status: 'ok',
  roles: ['--client-ca-file of kube-apiserver', 'certificate-authority of $(alert)\u202e\n'],
  usedBy: [],
  ...over,
});

describe('Kubernetes PKI view: item text shows workspace text inert', () => {
  it('a certificate: label, description and tooltip escaped, icons as text', () => {
    assert.deepEqual(certText(cert({})), {
      label: `CN=${HOSTILE_CN_LABEL}`,
      description: 'expires in 30 days',
      tooltip: `CN=${HOSTILE_CN_SHOWN}\n/ws/pki/evil\\x1b[2J\\u202e.crt\nnotAfter 2027-01-01T00:00:00.000Z (expires in 30 days)\n\n--client-ca-file of kube-apiserver\ncertificate-authority of $(alert)\\u202e\\x0a`,
    });
  });

  it('a kubeconfig user: its name and file name in the label, the subject in the description', () => {
    const text = certText(cert({ user: 'admin\u001b]0;T\u0007$(bug)', path: '/ws/adm\u202ein.conf' }));
    assert.equal(text.label, 'admin\\x1b]0;T\\x07\\$(bug) (adm\\u202ein.conf)');
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
