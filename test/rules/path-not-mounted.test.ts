import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathNotMounted } from '../../server/src/engine/rules/pathNotMounted';
import { clusterCa, findings, manifest } from '../support/ruleTester';

const MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';

describe('path-not-mounted', () => {
  it('is silent when a volumeMount covers the path', async () => {
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(pathNotMounted, {
        [MANIFEST]: manifest('kube-apiserver', ['--client-ca-file=/etc/kubernetes/pki/ca.crt']),
        'etc/kubernetes/pki/ca.crt': ca.cert,
      }),
      [],
    );
  });

  it('reports a path no volumeMount covers, listing the mounts', async () => {
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(pathNotMounted, { [MANIFEST]: manifest('kube-apiserver', ['--client-ca-file=/srv/pki/ca.crt']), 'srv/pki/ca.crt': ca.cert }),
      [
        `${MANIFEST}:10:24-10:39 /srv/pki/ca.crt (--client-ca-file) is not under any volumeMount of container kube-apiserver, so the file is not visible inside it (mounts: /etc/kubernetes/pki)`,
      ],
    );
  });
});
