import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { yamlDuplicateKey } from '../../server/src/engine/rules/yamlDuplicateKey';
import { findings } from '../support/ruleTester';

const CONFIG = 'var/lib/kubelet/config.yaml';
const KUBELET = ['apiVersion: kubelet.config.k8s.io/v1beta1', 'kind: KubeletConfiguration', 'tlsCertFile: /var/lib/kubelet/pki/kubelet.crt'];

describe('yaml-duplicate-key', () => {
  it('is silent when every key is once in its mapping', async () => {
    assert.deepEqual(await findings(yamlDuplicateKey, { [CONFIG]: [...KUBELET, ''].join('\n') }), []);
  });

  it("reports the repeated key, naming the first one's line", async () => {
    assert.deepEqual(await findings(yamlDuplicateKey, { [CONFIG]: [...KUBELET, 'tlsCertFile: /etc/other.crt', ''].join('\n') }), [
      `${CONFIG}:4:1-4:12 duplicate key "tlsCertFile" (first on line 3): kubectl rejects the file, and which value is read is ambiguous`,
    ]);
  });
});
