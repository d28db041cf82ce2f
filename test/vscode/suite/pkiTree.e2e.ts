// The explorer view "Kubernetes PKI" lists each CA of the cluster with what it signed.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { activated, eventually } from './workspace';

suite('PKI view', () => {
  test('lists the three kubeadm CAs and the certificates they signed', async () => {
    const api = await activated();
    const items = await eventually('the PKI view to fill', async () => {
      const all = await api.pkiTreeItems();
      return all.length > 3 ? all : undefined;
    });
    const labels = items.map((i) => String(typeof i.label === 'object' ? i.label.label : i.label));
    for (const ca of ['CN=kubernetes', 'CN=etcd-ca', 'CN=front-proxy-ca'])
      assert.ok(
        labels.some((l) => l.includes(ca)),
        `${ca} in ${labels.join(', ')}`,
      );
    assert.ok(
      labels.some((l) => l.includes('CN=kube-apiserver')),
      'the apiserver cert under its CA',
    );
    const expired = items.find((i) => String(i.label).includes('kube-apiserver-etcd-client'));
    assert.match(String(expired?.description), /expired/i, 'the seeded expired cert says so');
  });
});
