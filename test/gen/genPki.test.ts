import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { CERT_PROFILES } from '../../server/src/engine/gen/profiles';
import { runCli } from '../support/cli';
import { makeKubeadmNode } from '../support/clusterFixture';
import { missingPeer, openssl } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { service } from '../support/service';

const skip = missingPeer('openssl');
const PARAMS = ['--node-name', 'cp-1', '--advertise-address', '192.168.10.10', '--service-cidr', '10.96.0.0/12'];
const PKI = 'etc/kubernetes/pki';

function opensslVerify(pki: string, cert: string, ca: string, extra: string[]): { ok: boolean; output: string } {
  const run = spawnSync('openssl', ['verify', '-x509_strict', '-CAfile', join(pki, `${ca}.crt`), ...extra, join(pki, `${cert}.crt`)], { encoding: 'utf8' });
  return { ok: run.status === 0, output: run.stdout + run.stderr };
}

function sansOf(path: string): string[] {
  const text = openssl(['x509', '-in', path, '-noout', '-ext', 'subjectAltName']);
  return [...text.matchAll(/(DNS|IP Address):([^,\s]+)/g)].map((m) => m[2]);
}

for (const keyType of ['RSA-2048', 'ECDSA-P256']) {
  describeNeeding(`kube-pki gen pki (${keyType})`, skip, () => {
    let root: string;
    before(() => {
      // A kubeadm node's manifests and kubelet files (openssl-made), with its PKI and kubeconfigs replaced by the generator's.
      root = mkdtempSync(join(tmpdir(), 'kube-pki-gen-'));
      makeKubeadmNode(root);
      rmSync(join(root, PKI), { recursive: true });
      for (const conf of ['admin', 'super-admin', 'controller-manager', 'scheduler', 'kubelet']) unlinkSync(join(root, `etc/kubernetes/${conf}.conf`));
      const run = runCli(['gen', 'pki', root, ...PARAMS, '--key-type', keyType]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^kube-pki gen pki: 27 files written under .* \\(${keyType}, [\\d.]+ s\\)\\n`));
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('checks clean with kube-pki check, against openssl-made manifests', async () => {
      const report = await service.checkTree(root);
      assert.deepEqual(report.findings, []);
      assert.equal(report.configFiles, 11);
    });

    it('passes openssl verify with the right purpose and every SAN', () => {
      const pki = join(root, PKI);
      for (const profile of CERT_PROFILES) {
        const ca = profile.signer ? CERT_PROFILES.find((p) => p.name === profile.signer)!.file : profile.file;
        const purposes = profile.usages.length === 0 ? [[]] : profile.usages.map((u) => ['-purpose', u === 'serverAuth' ? 'sslserver' : 'sslclient']);
        for (const purpose of purposes) {
          const verdict = opensslVerify(pki, profile.file, ca, purpose);
          assert.ok(verdict.ok, `${profile.file} ${purpose.join(' ')}: ${verdict.output}`);
        }
        for (const san of profile.ca ? [] : sansOf(join(pki, `${profile.file}.crt`))) {
          const flag = /^[\d.]+$|:/.test(san) ? '-verify_ip' : '-verify_hostname';
          const verdict = opensslVerify(pki, profile.file, ca, [flag, san]);
          assert.ok(verdict.ok, `${profile.file} ${flag} ${san}: ${verdict.output}`);
        }
        // The key belongs to the cert.
        const fromCert = openssl(['x509', '-in', join(pki, `${profile.file}.crt`), '-noout', '-pubkey']);
        const fromKey = openssl(['pkey', '-in', join(pki, `${profile.file}.key`), '-pubout']);
        assert.equal(fromCert, fromKey, profile.file);
      }
      assert.deepEqual(sansOf(join(pki, 'apiserver.crt')), [
        'cp-1',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
        '10.96.0.1',
        '192.168.10.10',
      ]);
    });

    it('writes the profile usages and keys as kubeadm does, keys 0600', () => {
      const pki = join(root, PKI);
      const text = openssl(['x509', '-in', join(pki, 'etcd/peer.crt'), '-noout', '-text']);
      assert.match(text, /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication/);
      assert.match(text, keyType === 'RSA-2048' ? /Digital Signature, Key Encipherment/ : /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
      const ca = openssl(['x509', '-in', join(pki, 'ca.crt'), '-noout', '-text']);
      assert.match(ca, /CA:TRUE/);
      assert.match(ca, /Certificate Sign/);
      assert.match(
        readFileSync(join(pki, 'apiserver.key'), 'utf8'),
        keyType === 'RSA-2048' ? /^-----BEGIN RSA PRIVATE KEY-----\n/ : /^-----BEGIN EC PRIVATE KEY-----\n/,
      );
      for (const file of ['ca.key', 'apiserver.key', 'etcd/ca.key', 'sa.key', '../admin.conf', '../kubelet.conf'])
        assert.equal(statSync(join(pki, file)).mode & 0o777, 0o600, file);
      assert.equal(statSync(join(pki, 'ca.crt')).mode & 0o777, 0o644);
    });

    it('never overwrites, and reuses the CA it finds to sign what is missing', () => {
      const pki = join(root, PKI);
      const caBefore = readFileSync(join(pki, 'ca.crt'), 'utf8');
      const again = runCli(['gen', 'pki', root, ...PARAMS, '--key-type', keyType]);
      assert.equal(again.status, 0);
      assert.match(again.stdout, /^kube-pki gen pki: 0 files written/);
      assert.match(again.stdout, /reused CA  etc\/kubernetes\/pki\/ca\.crt/);
      assert.match(again.stdout, /left alone etc\/kubernetes\/pki\/apiserver\.crt \(exists\)/);
      unlinkSync(join(pki, 'apiserver.crt'));
      unlinkSync(join(pki, 'apiserver.key'));
      const refill = runCli(['gen', 'pki', root, ...PARAMS, '--key-type', keyType]);
      assert.match(refill.stdout, /^kube-pki gen pki: 2 files written/);
      assert.equal(readFileSync(join(pki, 'ca.crt'), 'utf8'), caBefore);
      assert.ok(opensslVerify(pki, 'apiserver', 'ca', ['-verify_ip', '10.96.0.1']).ok);
    });
  });
}

describeNeeding("kube-pki gen cert, gen csr and sign (the seeds' openssl flow in one step each)", skip, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-gencert-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a profile certificate signed by the CA in the folder, and refuses to overwrite', () => {
    assert.equal(runCli(['gen', 'cert', '--profile', 'ca', '--out', dir]).status, 0);
    const run = runCli(['gen', 'cert', '--profile', 'apiserver', '--out', dir, '--advertise-address', '10.0.0.5', '--san', 'api.example.com']);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(
      spawnSync('openssl', [
        'verify',
        '-CAfile',
        join(dir, 'ca.crt'),
        '-verify_hostname',
        'api.example.com',
        '-verify_ip',
        '10.0.0.5',
        join(dir, 'apiserver.crt'),
      ]).status === 0,
    );
    const again = runCli(['gen', 'cert', '--profile', 'apiserver', '--out', dir]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /apiserver\.crt exists; kube-pki never overwrites/);
    const noCa = runCli(['gen', 'cert', '--profile', 'etcd-server', '--out', dir]);
    assert.equal(noCa.status, 2);
    assert.match(noCa.stderr, /signed by etcd-ca: .*etcd\/ca\.crt and .*etcd\/ca\.key are needed/);
  });

  it('gen cert --key issues for an existing key: the certificate only, the key file untouched', () => {
    const keyFile = join(dir, 'existing-admin.key');
    const made = spawnSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile]);
    assert.equal(made.status, 0, String(made.stderr));
    const keyBefore = readFileSync(keyFile, 'utf8');
    const run = runCli(['gen', 'cert', '--profile', 'admin', '--out', dir, '--key', keyFile]);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, `kube-pki gen cert: wrote ${join(dir, 'admin.crt')} for the key ${keyFile}\n`);
    assert.equal(run.status, 0);
    assert.equal(existsSync(join(dir, 'admin.key')), false);
    assert.equal(readFileSync(keyFile, 'utf8'), keyBefore);
    const certKey = spawnSync('openssl', ['x509', '-in', join(dir, 'admin.crt'), '-noout', '-pubkey'], { encoding: 'utf8' }).stdout;
    const ownKey = spawnSync('openssl', ['pkey', '-in', keyFile, '-pubout'], { encoding: 'utf8' }).stdout;
    assert.ok(certKey.includes('BEGIN PUBLIC KEY'));
    assert.equal(certKey, ownKey);
    const missing = runCli(['gen', 'cert', '--profile', 'scheduler', '--out', dir, '--key', join(dir, 'absent.key')]);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, `kube-pki gen: ${join(dir, 'absent.key')}: no such key file\n`);
    assert.equal(existsSync(join(dir, 'scheduler.crt')), false);
  });

  it('makes a CSR and signs it, keeping the requested names', () => {
    const prefix = join(dir, 'worker-1');
    const csr = runCli([
      'gen',
      'csr',
      '--cn',
      'system:node:worker-1',
      '--o',
      'system:nodes',
      '--san',
      'worker-1',
      '--san',
      '192.168.1.7',
      '--out',
      prefix,
      '--key-type',
      'ECDSA-P256',
    ]);
    assert.equal(csr.status, 0, csr.stderr);
    assert.match(openssl(['req', '-in', `${prefix}.csr`, '-noout', '-verify', '-subject']), /subject=O = system:nodes, CN = system:node:worker-1/);
    const sign = runCli(['sign', `${prefix}.csr`, '--ca', join(dir, 'ca.crt'), '--usage', 'both', '--validity', '30d']);
    assert.equal(sign.status, 0, sign.stderr);
    assert.match(sign.stdout, /wrote .*worker-1\.crt \(serverAuth, clientAuth, 30 days, signed by CN=kubernetes\)/);
    assert.ok(
      spawnSync('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), '-purpose', 'sslserver', '-verify_ip', '192.168.1.7', `${prefix}.crt`]).status === 0,
    );
    assert.ok(existsSync(`${prefix}.key`));
    const verify = runCli(['verify', `${prefix}.crt`, '--ca', join(dir, 'ca.crt'), '--key', `${prefix}.key`, '--host', 'worker-1', '--purpose', 'client']);
    assert.equal(verify.status, 0, verify.stdout);
  });
});
