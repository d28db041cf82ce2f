import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FixSpec } from '../../server/src/engine/check/fixSpec';
import { sanMissing } from '../../server/src/engine/rules/sanMissing';
import { b64, clusterCa, contextOf, findings, kubeconfig, manifest, otherCa, pki } from '../support/ruleTester';

const APISERVER = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const flags = [
  '--client-ca-file=/etc/kubernetes/pki/ca.crt',
  '--advertise-address=192.168.10.10',
  '--service-cluster-ip-range=10.96.0.0/12',
  '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
  '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
];
const SERVICE = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

describe('san-missing', () => {
  it('is silent when the serving certificate has every name and address its clients use', async () => {
    const leaf = await pki('apiserver-full', {
      subject: [['CN', 'kube-apiserver']],
      usages: ['serverAuth'],
      sans: [...SERVICE, '10.96.0.1', '192.168.10.10'],
      signer: clusterCa(),
    });
    assert.deepEqual(
      await findings(sanMissing, {
        [APISERVER]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': leaf.cert,
        'etc/kubernetes/pki/apiserver.key': leaf.key,
      }),
      [],
    );
  });

  it('reports the missing names in one finding on the flag, each saying why it is needed, with one re-issue adding them all', async () => {
    const leaf = await pki('apiserver-short', {
      subject: [['CN', 'kube-apiserver']],
      usages: ['serverAuth'],
      sans: ['kubernetes', '192.168.10.10'],
      signer: clusterCa(),
    });
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(sanMissing, {
        [APISERVER]: manifest('kube-apiserver', flags),
        'etc/kubernetes/pki/apiserver.crt': leaf.cert,
        'etc/kubernetes/pki/apiserver.key': leaf.key,
        'etc/kubernetes/pki/ca.crt': ca.cert,
        'etc/kubernetes/pki/ca.key': ca.key,
      }),
      [
        `${APISERVER}:13:23-13:56 apiserver.crt (from --tls-cert-file in kube-apiserver.yaml) is missing 4 names the clients use: kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.cluster.local (each a name every pod uses for the kubernetes service), 10.96.0.1 (the first IP of --service-cluster-ip-range=10.96.0.0/12) [fix: Re-issue apiserver.crt with kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.cluster.local, 10.96.0.1 added (signed by ca.crt, same key)]`,
      ],
    );
  });

  it("re-issues for its role's profile lifetime (one year), not the old certificate's (issue 15)", async () => {
    // Ten days long: a re-issue that copied the old length would give ten days again.
    const leaf = await pki('apiserver-ten-days', {
      subject: [['CN', 'kube-apiserver']],
      usages: ['serverAuth'],
      sans: ['kubernetes', '192.168.10.10'],
      signer: clusterCa(),
      notBefore: new Date('2025-06-01T00:00:00Z'),
      notAfter: new Date('2025-06-11T00:00:00Z'),
    });
    const ca = await clusterCa();
    const ctx = await contextOf({
      [APISERVER]: manifest('kube-apiserver', flags),
      'etc/kubernetes/pki/apiserver.crt': leaf.cert,
      'etc/kubernetes/pki/apiserver.key': leaf.key,
      'etc/kubernetes/pki/ca.crt': ca.cert,
      'etc/kubernetes/pki/ca.key': ca.key,
    });
    const fixes: FixSpec[] = [];
    sanMissing.check(ctx, (_at, _message, fix) => fix && fixes.push(fix));
    assert.deepEqual(
      fixes.map((f) => f.kind === 'issue-certificate' && f.validityDays),
      [365],
    );
  });

  it("compares a kubeconfig cluster's server with the API server's names only when that cluster trusts the API server's CA", async () => {
    const leaf = await pki('apiserver-full', {
      subject: [['CN', 'kube-apiserver']],
      usages: ['serverAuth'],
      sans: [...SERVICE, '10.96.0.1', '192.168.10.10'],
      signer: clusterCa(),
    });
    const [ours, theirs] = [await clusterCa(), await otherCa()];
    // One file, two clusters: "staging" is another cluster (its CA signed nothing here), "prod" is this one.
    const twoClusters = (prodServer: string) =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- cluster:',
        `    certificate-authority-data: ${b64(theirs.cert)}`,
        '    server: https://staging.example.com:6443',
        '  name: staging',
        '- cluster:',
        `    certificate-authority-data: ${b64(ours.cert)}`,
        `    server: ${prodServer}`,
        '  name: prod',
        'contexts: []',
        'users: []',
        '',
      ].join('\n');
    const tree = (prodServer: string) => ({
      [APISERVER]: manifest('kube-apiserver', flags),
      'etc/kubernetes/pki/apiserver.crt': leaf.cert,
      'etc/kubernetes/pki/apiserver.key': leaf.key,
      'etc/kubernetes/admin.conf': twoClusters(prodServer),
    });
    assert.deepEqual(await findings(sanMissing, tree('https://192.168.10.10:6443')), []);
    assert.deepEqual(await findings(sanMissing, tree('https://prod.example.com:6443')), [
      `${APISERVER}:13:23-13:56 apiserver.crt (from --tls-cert-file in kube-apiserver.yaml) has no SAN prod.example.com, the server of cluster "prod" in admin.conf`,
      'etc/kubernetes/admin.conf:10:13-10:42 prod.example.com, the server of cluster "prod", is not a name in apiserver.crt (from --tls-cert-file in kube-apiserver.yaml): clients using this cluster reject the API server',
    ]);
  });

  it("reports a kubeconfig's server the certificate lacks on that kubeconfig's server: line too, pointing to the certificate", async () => {
    const leaf = await pki('apiserver-old-address', {
      subject: [['CN', 'kube-apiserver']],
      usages: ['serverAuth'],
      sans: [...SERVICE, '10.96.0.1', '192.168.10.10'],
      signer: clusterCa(),
    });
    const ca = await clusterCa();
    const moved = flags.map((f) => f.replace('--advertise-address=192.168.10.10', '--advertise-address=192.168.10.20'));
    const fix = '[fix: Re-issue apiserver.crt with 192.168.10.20, cp-1.example.com added (signed by ca.crt, same key)]';
    assert.deepEqual(
      await findings(sanMissing, {
        [APISERVER]: manifest('kube-apiserver', moved),
        'etc/kubernetes/pki/apiserver.crt': leaf.cert,
        'etc/kubernetes/pki/apiserver.key': leaf.key,
        'etc/kubernetes/pki/ca.crt': ca.cert,
        'etc/kubernetes/pki/ca.key': ca.key,
        'etc/kubernetes/admin.conf': kubeconfig('kubernetes-admin', ca, ca, 'https://192.168.10.20:6443'),
        'etc/kubernetes/super-admin.conf': kubeconfig('kubernetes-super-admin', ca, ca, 'https://cp-1.example.com:6443'),
      }),
      [
        `${APISERVER}:13:23-13:56 apiserver.crt (from --tls-cert-file in kube-apiserver.yaml) is missing 2 names the clients use: 192.168.10.20 (the --advertise-address), cp-1.example.com (the server of cluster "kubernetes" in super-admin.conf) ${fix}`,
        `etc/kubernetes/admin.conf:6:13-6:39 192.168.10.20, the server of cluster "kubernetes", is not a name in apiserver.crt (from --tls-cert-file in kube-apiserver.yaml): clients using this cluster reject the API server ${fix}`,
        `etc/kubernetes/super-admin.conf:6:13-6:42 cp-1.example.com, the server of cluster "kubernetes", is not a name in apiserver.crt (from --tls-cert-file in kube-apiserver.yaml): clients using this cluster reject the API server ${fix}`,
      ],
    );
  });

  it("holds an openssl profile to the API server's names only when it makes the API server's serving certificate", async () => {
    // One alt_names section shared by two profiles, as in a hand-written openssl.cnf; kubernetes.default.svc.* are missing.
    const cnf = (eku: string, cn: string, section = 'apiserver') =>
      [
        '[ req ]',
        'distinguished_name = req_distinguished_name',
        '',
        `[ ${section} ]`,
        'distinguished_name = dn',
        'req_extensions = v3_ext',
        'prompt = no',
        '',
        '[ dn ]',
        `CN = ${cn}`,
        '',
        '[ v3_ext ]',
        `extendedKeyUsage = ${eku}`,
        'subjectAltName = @alt_names',
        '',
        '[ alt_names ]',
        'DNS.1 = kubernetes',
        'DNS.2 = kubernetes.default',
        'IP.1 = 10.96.0.1',
        '',
      ].join('\n');
    const lacks = (name: string) => `openssl.cnf:16:1-16:14 [alt_names] lacks DNS ${name}, a name every pod uses for the kubernetes service`;
    const serving = [lacks('kubernetes.default.svc'), lacks('kubernetes.default.svc.cluster.local')];
    // The admin's client certificate: no service name is its business.
    assert.deepEqual(await findings(sanMissing, { 'openssl.cnf': cnf('clientAuth', 'kubernetes-admin') }), []);
    assert.deepEqual(await findings(sanMissing, { 'openssl.cnf': cnf('critical, clientAuth', 'kube-apiserver') }), []);
    // serverAuth with the API server's CN, or the profile whose output the API server serves.
    assert.deepEqual(await findings(sanMissing, { 'openssl.cnf': cnf('serverAuth', 'kube-apiserver') }), serving);
    assert.deepEqual(await findings(sanMissing, { 'openssl.cnf': cnf('serverAuth, clientAuth', 'kubernetes') }), serving);
    assert.deepEqual(await findings(sanMissing, { 'openssl.cnf': cnf('serverAuth', 'front-door') }), []);
    assert.deepEqual(
      await findings(sanMissing, {
        'openssl.cnf': cnf('serverAuth', 'front-door', 'front-door'),
        [APISERVER]: manifest('kube-apiserver', ['--tls-cert-file=/etc/kubernetes/pki/front-door.crt']),
      }),
      serving,
    );
  });
});
