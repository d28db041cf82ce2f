import assert from 'node:assert/strict';
import { it } from 'node:test';
import { missingPeer } from '../support/openssl';
import { describeNeeding } from '../support/paths';
import { dataDir, makeRancherServer } from '../support/rancherFixture';
import { edit, fixtureTrees } from '../support/seed';
import { service } from '../support/service';

const skip = missingPeer('openssl');
const SERVING = `${dataDir('k3s')}/server/tls/serving-kube-apiserver.crt`;
const CONFIG = 'etc/rancher/k3s/config.yaml';

describeNeeding("k3s config.yaml service-cidr: the kubernetes service's IP the serving certificate carries", skip, () => {
  // The supervisor adds the first IP of the (first) service-cidr to the serving certificate (k3s pkg/cli/server/server.go).
  const trees = fixtureTrees((root) => makeRancherServer(root, { serviceCidr: { cidr: '10.44.0.0/16', serviceIp: '10.44.0.1' } }));
  const dualStack = fixtureTrees((root) => makeRancherServer(root, { serviceCidr: { cidr: '10.45.0.0/16,fd00:45::/112', serviceIp: '10.45.0.1' } }));

  it('finds nothing wrong when the serving certificate carries the first IP of service-cidr, not the default 10.43.0.1', async () => {
    assert.deepEqual((await service.checkTree(trees.clean())).findings, []);
  });

  it('dual-stack (v4,v6): the first range gives the service IP, as the supervisor takes it', async () => {
    assert.deepEqual((await service.checkTree(dualStack.clean())).findings, []);
  });

  it('san-missing: service-cidr changed to 10.46.0.0/16 after the certificate was issued, on the serving certificate', async () => {
    const root = trees.seeded((r) => edit(r, CONFIG, (t) => t.replace('service-cidr: 10.44.0.0/16', 'service-cidr: 10.46.0.0/16')));
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1]),
      [['san-missing', SERVING, 1]],
    );
    assert.equal(
      report.findings[0].message,
      'serving-kube-apiserver.crt (from --tls-cert-file, which k3s passes to kube-apiserver) has no SAN 10.46.0.1, the first IP of --service-cluster-ip-range=10.46.0.0/16',
    );
  });

  it('san-missing: without service-cidr the default 10.43.0.1 is expected again', async () => {
    const root = trees.seeded((r) => edit(r, CONFIG, (t) => t.replace('service-cidr: 10.44.0.0/16\n', '')));
    const report = await service.checkTree(root);
    assert.deepEqual(
      report.findings.map((f) => [f.code, f.file.slice(root.length + 1), f.range.start.line + 1]),
      [['san-missing', SERVING, 1]],
    );
    assert.match(report.findings[0].message, /has no SAN 10\.43\.0\.1, the first IP of --service-cluster-ip-range=10\.43\.0\.0\/16$/);
  });
});
