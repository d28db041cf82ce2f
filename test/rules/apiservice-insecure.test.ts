import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiserviceInsecure } from '../../server/src/engine/rules/apiserviceInsecure';
import { b64, clusterCa, findings } from '../support/ruleTester';

const apiService = (spec: string[]) =>
  [
    'apiVersion: apiregistration.k8s.io/v1',
    'kind: APIService',
    'metadata:',
    '  name: v1beta1.metrics.k8s.io',
    'spec:',
    '  group: metrics.k8s.io',
    '  service:',
    '    name: metrics-server',
    '    namespace: kube-system',
    ...spec.map((s) => `  ${s}`),
    '',
  ].join('\n');

describe('apiservice-insecure', () => {
  it('is silent with a caBundle, and with insecureSkipTLSVerify: false', async () => {
    const ca = await clusterCa();
    assert.deepEqual(
      await findings(apiserviceInsecure, {
        'a.yaml': apiService([`caBundle: ${b64(ca.cert)}`]),
        'b.yaml': apiService(['insecureSkipTLSVerify: false', `caBundle: ${b64(ca.cert)}`]),
      }),
      [],
    );
  });

  it('warns on insecureSkipTLSVerify: true, on its value', async () => {
    assert.deepEqual(await findings(apiserviceInsecure, { 'metrics.yaml': apiService(['insecureSkipTLSVerify: true']) }), [
      'metrics.yaml:10:26-10:30 APIService v1beta1.metrics.k8s.io sets insecureSkipTLSVerify: true: the API server does not verify the serving certificate of metrics-server, so anyone who can answer for that service sees and answers its requests',
    ]);
  });

  it('reads an APIService inside a kind: List, and never a templated file', async () => {
    const item = apiService(['insecureSkipTLSVerify: true'])
      .split('\n')
      .filter(Boolean)
      .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`));
    const list = ['apiVersion: v1', 'kind: List', 'items:', ...item, ''].join('\n');
    assert.deepEqual(
      await findings(apiserviceInsecure, {
        'list.yaml': list,
        'chart/templates/apiservice.yaml': apiService(['insecureSkipTLSVerify: {{ .Values.insecure }}']),
      }),
      [
        'list.yaml:13:28-13:32 APIService v1beta1.metrics.k8s.io sets insecureSkipTLSVerify: true: the API server does not verify the serving certificate of metrics-server, so anyone who can answer for that service sees and answers its requests',
      ],
    );
  });
});
