import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { makeMicrok8sNode, snapData } from '../support/microk8sFixture';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { findingsOf, fixtureTrees, issue, lineOf, replaceKubeconfigUser, writeKeyFile } from '../support/seed';
import { service } from '../support/service';

const skip = missingPeer('openssl');
const DATA = snapData();
const CERTS = `${DATA}/certs`;
const APISERVER = `${DATA}/args/kube-apiserver`;
const ca = (name: string) => ({ cert: `${CERTS}/${name}.crt`, key: `${CERTS}/${name}.key` });
// What rebuild_x509_auth_client_configs signs: `openssl x509 -req` with no extension file.
const NO_EXTENSIONS: string[] = [];

/** Re-issues a file of certs/ (certificate and key) as the snap's openssl would. */
function reissue(
  root: string,
  name: string,
  signer: string,
  subject: string,
  extensions: string[],
  dates: { startDate?: string; endDate?: string } = {},
): void {
  const pair = issue(root, ca(signer), subject, extensions, dates);
  writeFileSync(join(root, CERTS, `${name}.crt`), pair.cert);
  writeKeyFile(root, `${CERTS}/${name}.key`, pair.key);
}

describeNeeding('kube-pki check on a MicroK8s node (certs, credentials, args files)', skip, () => {
  const trees = fixtureTrees((root) => makeMicrok8sNode(root));
  const seeded = trees.seeded;

  it('finds nothing wrong with the clean layout: ${SNAP_DATA} in args files resolved, csr.conf.template an openssl profile', async () => {
    const report = await service.checkTree(trees.clean());
    assert.deepEqual(report.findings, []);
    // Five args files (k8s-dqlite names no PKI flag), five credentials/*.config, csr.conf and its template.
    assert.equal(report.configFiles, 12);
    assert.equal(report.nodes, 1);
  });

  it("kube-pki expiry lists MicroK8s's certificates by role, each CA with its key", async () => {
    const table = await service.expiry(trees.clean());
    const rows = (list: typeof table.certificates) => list.map((r) => `${r.role} ${r.ca ?? '-'} ${r.caKeyPresent ? 'key' : 'no-key'}`).sort();
    assert.deepEqual(rows(table.authorities), ['ca - key', 'front-proxy-ca - key']);
    assert.deepEqual(rows(table.certificates), [
      'client.config client ca key',
      'controller.config client ca key',
      'front-proxy-client front-proxy-ca key',
      // k8s-dqlite's self-signed cluster.crt: no flag names it.
      'k8s-dqlite cluster - no-key',
      'kubelet.config client ca key',
      'proxy.config client ca key',
      'scheduler.config client ca key',
      'server ca key',
    ]);
  });

  it('cert-expired: an expired front-proxy-client.crt, on the --proxy-client-cert-file line of args/kube-apiserver', async () => {
    const dates = { startDate: '20230101000000Z', endDate: '20240101000000Z' };
    const root = seeded((r) => reissue(r, 'front-proxy-client', 'front-proxy-ca', '/CN=front-proxy-client', ['extendedKeyUsage=clientAuth'], dates));
    assert.deepEqual(await findingsOf(root), [['cert-expired', APISERVER, lineOf(root, APISERVER, '--proxy-client-cert-file=')]]);
  });

  it('san-missing: server.crt without kubernetes.default.svc, on the --tls-cert-file line', async () => {
    const sans = 'subjectAltName=DNS:kubernetes,DNS:kubernetes.default,IP:127.0.0.1,IP:10.152.183.1';
    const root = seeded((r) => reissue(r, 'server', 'ca', '/CN=127.0.0.1', ['extendedKeyUsage=serverAuth,clientAuth', sans]));
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1]),
      [['san-missing', APISERVER, lineOf(root, APISERVER, '--tls-cert-file=')]],
    );
    assert.match(report.findings[0].message, /kubernetes\.default\.svc, kubernetes\.default\.svc\.cluster\.local/);
  });

  it("san-missing lands on the value as written: ${SNAP_DATA}/certs/server.crt's columns", async () => {
    const sans = 'subjectAltName=DNS:kubernetes,DNS:kubernetes.default,IP:127.0.0.1,IP:10.152.183.1';
    const root = seeded((r) => reissue(r, 'server', 'ca', '/CN=127.0.0.1', ['extendedKeyUsage=serverAuth,clientAuth', sans]));
    const [finding] = (await service.checkTree(root)).findings;
    const written = '${SNAP_DATA}/certs/server.crt';
    assert.deepEqual([finding.range.start.character, finding.range.end.character], ['--tls-cert-file='.length, '--tls-cert-file='.length + written.length]);
  });

  it('ca-mismatch: scheduler.config embedding a certificate of the front proxy CA, on its client-certificate-data', async () => {
    const scheduler = `${DATA}/credentials/scheduler.config`;
    const root = seeded((r) => replaceKubeconfigUser(r, scheduler, issue(r, ca('front-proxy-ca'), '/CN=system:kube-scheduler', NO_EXTENSIONS)));
    assert.deepEqual(await findingsOf(root), [['ca-mismatch', scheduler, lineOf(root, scheduler, 'client-certificate-data:')]]);
  });

  it('key-mismatch: server.key of another certificate, on both flags that pair it with server.crt', async () => {
    const root = seeded((r) => writeKeyFile(r, `${CERTS}/server.key`, issue(r, ca('ca'), '/CN=other', NO_EXTENSIONS).key));
    assert.deepEqual(await findingsOf(root), [
      ['key-mismatch', APISERVER, lineOf(root, APISERVER, '--tls-private-key-file=')],
      ['key-mismatch', APISERVER, lineOf(root, APISERVER, '--kubelet-client-key=')],
    ]);
  });

  it("identity-mismatch: controller.config with the scheduler's CN", async () => {
    const controller = `${DATA}/credentials/controller.config`;
    const root = seeded((r) => replaceKubeconfigUser(r, controller, issue(r, ca('ca'), '/CN=system:kube-scheduler', NO_EXTENSIONS)));
    assert.deepEqual(await findingsOf(root), [['identity-mismatch', controller, lineOf(root, controller, 'client-certificate-data:')]]);
  });
});

describeNeeding('kube-pki check on a MicroK8s node copied from its revision folder (/var/snap/microk8s/<revision>)', skip, () => {
  const trees = fixtureTrees((root) => makeMicrok8sNode(root, { revision: '7229' }));

  it('resolves ${SNAP_DATA} to the revision folder the args file lies in: clean, and a bad key found there', async () => {
    assert.deepEqual((await service.checkTree(trees.clean())).findings, []);
    const certs = `${snapData('7229')}/certs`;
    const args = `${snapData('7229')}/args/kube-apiserver`;
    const root = trees.seeded((r) =>
      writeKeyFile(r, `${certs}/front-proxy-client.key`, issue(r, { cert: `${certs}/ca.crt`, key: `${certs}/ca.key` }, '/CN=other', NO_EXTENSIONS).key),
    );
    assert.deepEqual(await findingsOf(root), [['key-mismatch', args, lineOf(root, args, '--proxy-client-key-file=')]]);
  });
});

describeNeeding("MicroK8s's k8s-dqlite pair and a revision folder's kubeconfigs and roles", skip, () => {
  const trees = fixtureTrees((root) => makeMicrok8sNode(root, { revision: '7229' }));
  const backend = `${snapData('7229')}/var/kubernetes/backend`;

  it('kube-pki expiry lists a revision folder by role, k8s-dqlite cluster.crt among the certificates nothing names', async () => {
    const table = await service.expiry(trees.clean());
    const rows = (list: typeof table.certificates) => list.map((r) => `${r.role} ${r.referenced ? 'used' : 'unused'}`).sort();
    assert.deepEqual(rows(table.authorities), ['ca used', 'front-proxy-ca used']);
    assert.deepEqual(rows(table.certificates), [
      'client.config client used',
      'controller.config client used',
      'front-proxy-client used',
      'k8s-dqlite cluster unused',
      'kubelet.config client used',
      'proxy.config client used',
      'scheduler.config client used',
      'server used',
    ]);
  });

  it("key-mismatch: cluster.key that is not cluster.crt's key, on cluster.crt", async () => {
    const root = trees.seeded((r) =>
      writeKeyFile(
        r,
        `${backend}/cluster.key`,
        issue(r, { cert: `${snapData('7229')}/certs/ca.crt`, key: `${snapData('7229')}/certs/ca.key` }, '/CN=k8s', NO_EXTENSIONS).key,
      ),
    );
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1]),
      [['key-mismatch', `${backend}/cluster.crt`, 1]],
    );
    assert.match(report.findings[0].message, /^k8s-dqlite's cluster\.crt does not belong to the cluster\.key beside it, which it is served with: /);
  });

  it('cert-expired: an expired cluster.crt, on its first line', async () => {
    const root = trees.seeded((r) => {
      const pair = issue(r, { cert: `${snapData('7229')}/certs/ca.crt`, key: `${snapData('7229')}/certs/ca.key` }, '/CN=k8s', NO_EXTENSIONS, {
        startDate: '20230101000000Z',
        endDate: '20240101000000Z',
      });
      writeFileSync(join(r, backend, 'cluster.crt'), pair.cert);
      writeKeyFile(r, `${backend}/cluster.key`, pair.key);
    });
    assert.deepEqual(await findingsOf(root), [['cert-expired', `${backend}/cluster.crt`, 1]]);
  });
});
