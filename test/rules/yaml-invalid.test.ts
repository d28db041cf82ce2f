import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { yamlInvalid } from '../../server/src/engine/rules/yamlInvalid';
import { findings } from '../support/ruleTester';

const CONFIG = 'var/lib/kubelet/config.yaml';
const KUBELET = [
  'apiVersion: kubelet.config.k8s.io/v1beta1',
  'kind: KubeletConfiguration',
  'authentication:',
  '  x509:',
  '    clientCAFile: /etc/kubernetes/pki/ca.crt',
];

describe('yaml-invalid', () => {
  it('is silent on a KubeletConfiguration that parses', async () => {
    assert.deepEqual(await findings(yamlInvalid, { [CONFIG]: [...KUBELET, ''].join('\n') }), []);
  });

  it('reports where the parser stopped', async () => {
    assert.deepEqual(await findings(yamlInvalid, { [CONFIG]: [...KUBELET, 'bad: [unclosed', ''].join('\n') }), [
      `${CONFIG}:7:1-7:1 invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
  });
});
