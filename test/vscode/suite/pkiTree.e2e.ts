// The explorer view "Kubernetes PKI" lists each CA of the cluster with what it signed, by role, and
// every certificate by expiry; the status bar counts what is due.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { activated, eventually } from './workspace';

const labelOf = (i: vscode.TreeItem) => String(typeof i.label === 'object' ? i.label?.label : i.label);
const iconOf = (i: vscode.TreeItem) => (i.iconPath instanceof vscode.ThemeIcon ? i.iconPath.id : undefined);

suite('PKI view', () => {
  test('lists the three kubeadm CAs and the certificates they signed, labelled by role, iconed by their worst finding', async () => {
    const api = await activated();
    const items = await eventually('the PKI view to fill', async () => {
      const all = await api.pkiTreeItems();
      return all.length > 3 ? all : undefined;
    });
    const labels = items.map(labelOf);
    for (const role of ['ca', 'etcd-ca', 'front-proxy-ca', 'apiserver', 'etcd server', 'etcd peer', 'admin.conf client · kubernetes-admin', 'By expiry'])
      assert.ok(labels.includes(role), `${role} in ${labels.join(', ')}`);
    // Not two "CN=cp-1": the subject is the description.
    assert.ok(!labels.some((l) => l.startsWith('CN=')), labels.join(', '));
    // The CAs' items come after the By expiry rows: the last item of a label is the tree's.
    const byLabel = (label: string) => [...items].reverse().find((i) => labelOf(i) === label);
    assert.match(String(byLabel('etcd server')?.description), /^CN=cp-1 · expires in/);
    const expired = byLabel('apiserver-etcd-client');
    assert.match(String(expired?.description), /expired/i, 'the seeded expired cert says so');
    // The key-mismatched apiserver-kubelet-client and the identity-mismatched scheduler.conf client are no green check.
    assert.equal(iconOf(byLabel('apiserver-kubelet-client')!), 'error');
    assert.equal(iconOf(byLabel('scheduler.conf client · system:kube-scheduler')!), 'error');
    assert.equal(iconOf(byLabel('etcd peer')!), 'verified');
    // By expiry, first: soonest first, the expired one leading, days left in the description.
    const group = items.findIndex((i) => labelOf(i) === 'By expiry');
    assert.equal(group, 0);
    const first = items[group + 1];
    assert.equal(labelOf(first), 'apiserver-etcd-client');
    assert.match(String(first.description), /^expired \d+ days ago · apiserver-etcd-client\.crt$/);
  });

  test('the status bar counts the expired certificate', async () => {
    const api = await activated();
    const text = await eventually('the status bar item', () => api.expiryStatusText());
    assert.equal(text, 'PKI: 1 expired');
  });
});
