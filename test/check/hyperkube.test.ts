import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileNotFound } from '../../server/src/engine/rules/fileNotFound';
import { sanMissing } from '../../server/src/engine/rules/sanMissing';
import { clusterCa, findings, MemoryTree, manifest, pki } from '../support/ruleTester';

// Old CoreOS, kube-aws and Rancher layouts ran every component from one hyperkube binary: the component is its subcommand.
const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = [
  '--client-ca-file=/etc/kubernetes/pki/ca.crt',
  '--advertise-address=192.168.10.10',
  '--service-cluster-ip-range=10.96.0.0/12',
  '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
  '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
];
const KUBE_APISERVER = '  - command:\n    - kube-apiserver\n';

/** The kube-apiserver manifest with its command written another way, and how many lines that adds before the flags. */
const variants: Array<[string, string, number]> = [
  ['command: [/hyperkube, apiserver]', '  - command:\n    - /hyperkube\n    - apiserver\n', 1],
  ['command: [/usr/local/bin/hyperkube, kube-apiserver]', '  - command:\n    - /usr/local/bin/hyperkube\n    - kube-apiserver\n', 1],
  ['command: [hyperkube], args: [apiserver, flags...]', '  - command:\n    - hyperkube\n    args:\n    - apiserver\n', 2],
  ['no command, image hyperkube, args: [apiserver, flags...]', '  - image: quay.io/coreos/hyperkube:v1.9.3_coreos.0\n    args:\n    - apiserver\n', 1],
];

/** A finding's lines moved by `delta` ("file:L:C-L:C message"). */
const shifted = (seen: string, delta: number) =>
  seen.replace(/:(\d+):(\d+)-(\d+):(\d+) /, (_, l1, c1, l2, c2) => `:${+l1 + delta}:${c1}-${+l2 + delta}:${c2} `);

async function tree(apiserver: string): Promise<MemoryTree> {
  const leaf = await pki('apiserver-short', {
    subject: [['CN', 'kube-apiserver']],
    usages: ['serverAuth'],
    sans: ['kubernetes', '192.168.10.10'],
    signer: clusterCa(),
  });
  // ca.crt is missing: file-not-found on --client-ca-file; apiserver.crt lacks the service names: san-missing.
  return { [APISERVER]: apiserver, 'etc/kubernetes/pki/apiserver.crt': leaf.cert, 'etc/kubernetes/pki/apiserver.key': leaf.key };
}

// san-missing lists every missing name of one certificate in one finding.
const MISSING =
  'kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.cluster.local (each a name every pod uses for the kubernetes service), ' +
  '10.96.0.1 (the first IP of --service-cluster-ip-range=10.96.0.0/12)';

describe('hyperkube', () => {
  it('recognises the API server by its hyperkube subcommand: the same findings as the kube-apiserver manifest', async () => {
    const plain = await tree(manifest('kube-apiserver', flags));
    const expected = [...(await findings(fileNotFound, plain)), ...(await findings(sanMissing, plain))];
    assert.deepEqual(expected, [
      `${APISERVER}:10:24-10:50 /etc/kubernetes/pki/ca.crt (--client-ca-file) does not exist: looked for etc/kubernetes/pki/ca.crt`,
      `${APISERVER}:13:23-13:56 apiserver.crt (from --tls-cert-file in kube-apiserver.yaml) is missing 4 names the clients use: ${MISSING}`,
    ]);
    for (const [shape, command, delta] of variants) {
      const text = manifest('kube-apiserver', flags).replace(KUBE_APISERVER, command);
      assert.notEqual(text, manifest('kube-apiserver', flags));
      const files = await tree(text);
      const seen = [...(await findings(fileNotFound, files)), ...(await findings(sanMissing, files))];
      assert.deepEqual(
        seen,
        expected.map((s) => shifted(s, delta)),
        shape,
      );
    }
  });

  it('recognises hyperkube in a shell script and in a systemd unit', async () => {
    const script = manifest('kube-apiserver', []).replace(
      KUBE_APISERVER,
      `  - command:\n    - /bin/sh\n    - -c\n    - exec /hyperkube apiserver ${flags.join(' ')}\n`,
    );
    const unit = ['[Service]', `ExecStart=/opt/bin/hyperkube apiserver \\`, ...flags.map((f) => `  ${f} \\`), '  --v=2', ''].join('\n');
    const UNIT = 'etc/systemd/system/kube-apiserver.service';
    for (const [name, text] of [
      [APISERVER, script],
      [UNIT, unit],
    ]) {
      const files = await tree(text);
      delete files[APISERVER];
      files[name] = text;
      assert.deepEqual(
        [...(await findings(fileNotFound, files)), ...(await findings(sanMissing, files))].map((s) => s.replace(/:\d+:\d+-\d+:\d+ /, ' ')),
        [
          `${name} /etc/kubernetes/pki/ca.crt (--client-ca-file) does not exist: looked for etc/kubernetes/pki/ca.crt`,
          `${name} apiserver.crt (from --tls-cert-file in ${name.split('/').pop()}) is missing 4 names the clients use: ${MISSING}`,
        ],
        name,
      );
    }
  });

  it('recognises the controller manager by its hyperkube subcommand', async () => {
    const CM = 'etc/kubernetes/manifests/kube-controller-manager.yaml';
    const text = manifest('kube-controller-manager', ['--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt']).replace(
      '    - kube-controller-manager\n',
      '    - /hyperkube\n    - controller-manager\n',
    );
    assert.deepEqual(await findings(fileNotFound, { [CM]: text }), [
      `${CM}:11:35-11:61 /etc/kubernetes/pki/ca.crt (--cluster-signing-cert-file) does not exist: looked for etc/kubernetes/pki/ca.crt`,
    ]);
  });

  it('does not take another program for a component, nor hyperkube with an unknown subcommand', async () => {
    const other = manifest('kube-apiserver', flags).replace(KUBE_APISERVER, '  - command:\n    - /hyperkube\n    - kubectl\n');
    assert.deepEqual(await findings(fileNotFound, { [APISERVER]: other }), []);
  });
});
