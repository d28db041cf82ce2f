// The PKI view and the status bar over LSP, on the bundled example cluster: kube-pki's own requests
// kubePki/pkiTree and kubePki/expirySummary, answered from the same expiry table as `kube-pki expiry`.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ExpirySummary } from '../../server/src/engine/check/expiryTable';
import type { PkiTree } from '../../server/src/engine/features/pkiTree';
import { pathToUri } from '../../server/src/lsp/convert';
import { LspTestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/paths';

const CLUSTER = join(REPO_ROOT, 'examples', 'cluster');
const PKI = join(CLUSTER, 'etc/kubernetes/pki');

async function withCluster(run: (client: LspTestClient) => Promise<void>): Promise<void> {
  const client = new LspTestClient();
  await client.initialize(pathToUri(CLUSTER), { trusted: true });
  try {
    await run(client);
  } finally {
    await client.shutdown();
  }
}

describe('the status bar and PKI view requests, on the example cluster', () => {
  it('kubePki/expirySummary counts the expired apiserver-etcd-client, and only it', async () => {
    await withCluster(async (client) => {
      const summary = await client.request<ExpirySummary>('kubePki/expirySummary', {});
      assert.equal(summary.expired, 1);
      assert.equal(summary.expiring, 0);
      assert.equal(summary.warningDays, 30);
      assert.deepEqual(
        summary.due.map((d) => [d.role, d.file, d.line, d.notAfter, d.status]),
        [['apiserver-etcd-client', join(PKI, 'apiserver-etcd-client.crt'), 0, '2021-03-15T00:00:00.000Z', 'expired']],
      );
      assert.ok(summary.due[0].daysLeft < -2000, `${summary.due[0].daysLeft} days left`);
    });
  });

  it('the window is the folder setting: a 20-year window makes every used certificate due', async () => {
    const client = new LspTestClient();
    await client.initialize(pathToUri(CLUSTER), { trusted: true, expiryWarningDays: 7300 });
    try {
      const summary = await client.request<ExpirySummary>('kubePki/expirySummary', {});
      assert.deepEqual([summary.expired, summary.warningDays], [1, 7300]);
      // Every used certificate and CA (15), not the unreferenced healthcheck-client.crt.
      assert.equal(summary.expiring, 14);
      assert.ok(!summary.due.some((d) => d.file.endsWith('healthcheck-client.crt')));
    } finally {
      await client.shutdown();
    }
  });

  it('kubePki/pkiTree carries the roles and the By expiry rows', async () => {
    await withCluster(async (client) => {
      const [tree] = await client.request<PkiTree[]>('kubePki/pkiTree', {});
      assert.deepEqual(
        tree.cas.map((ca) => ca.role),
        ['ca', 'etcd-ca', 'front-proxy-ca'],
      );
      assert.equal(tree.byExpiry[0].role, 'apiserver-etcd-client');
      assert.equal(tree.byExpiry[0].worst, 'error');
    });
  });
});
