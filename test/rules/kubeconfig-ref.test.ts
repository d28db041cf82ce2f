import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubeconfigRef } from '../../server/src/engine/rules/kubeconfigRef';
import { clusterCa, findings, kubeconfig } from '../support/ruleTester';

const ADMIN = 'etc/kubernetes/admin.conf';

describe('kubeconfig-ref', () => {
  it('is silent when the context names a cluster and user that exist', async () => {
    const ca = await clusterCa();
    assert.deepEqual(await findings(kubeconfigRef, { [ADMIN]: kubeconfig('admin', ca, ca) }), []);
  });

  it('reports a context naming a missing user, and a current-context naming a missing context', async () => {
    const ca = await clusterCa();
    const text = kubeconfig('admin', ca, ca).replace('    user: admin', '    user: root').replace('current-context: admin@kubernetes', 'current-context: prod');
    assert.deepEqual(await findings(kubeconfigRef, { [ADMIN]: text }), [
      `${ADMIN}:11:11-11:15 context "admin@kubernetes" names user "root", which is not in users (admin)`,
      `${ADMIN}:13:18-13:22 current-context "prod" is not in contexts (admin@kubernetes)`,
    ]);
  });
});
