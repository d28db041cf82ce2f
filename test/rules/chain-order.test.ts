import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainOrder } from '../../server/src/engine/rules/chainOrder';
import { clusterCa, findings, pki, secret, secretValueAt } from '../support/ruleTester';

const intermediate = () => pki('chain-intermediate', { subject: [['CN', 'web-intermediate']], ca: true, signer: clusterCa() });
const leaf = () => pki('chain-leaf', { subject: [['CN', 'frontend']], usages: ['serverAuth'], sans: ['frontend.web.svc'], signer: intermediate() });

describe('chain-order', () => {
  it('is silent on leaf, intermediate, root in that order, and on a single certificate', async () => {
    const [ca, inter, server] = [await clusterCa(), await intermediate(), await leaf()];
    assert.deepEqual(
      await findings(chainOrder, {
        'web/full.yaml': secret('full', 'web', { 'tls.crt': server.cert + inter.cert + ca.cert, 'tls.key': server.key }),
        'web/single.yaml': secret('single', 'web', { 'tls.crt': server.cert }),
      }),
      [],
    );
  });

  it('reports a leaf that is not first, on the tls.crt value', async () => {
    const [inter, server] = [await intermediate(), await leaf()];
    const data = { 'tls.crt': inter.cert + server.cert, 'tls.key': server.key };
    assert.deepEqual(await findings(chainOrder, { 'web/tls.yaml': secret('frontend-tls', 'web', data) }), [
      `web/tls.yaml:${secretValueAt(data, 0)} tls.crt of Secret web/frontend-tls: the leaf (CN=frontend) is certificate 2, not the first; TLS servers send the first as their own`,
    ]);
  });

  it('reports the first link whose next certificate is not the issuer, once', async () => {
    const [ca, inter, server] = [await clusterCa(), await intermediate(), await leaf()];
    const data = { 'tls.crt': server.cert + ca.cert + inter.cert };
    assert.deepEqual(await findings(chainOrder, { 'web/tls.yaml': secret('frontend-tls', 'web', data) }), [
      `web/tls.yaml:${secretValueAt(data, 0)} tls.crt of Secret web/frontend-tls: certificate 2 (CN=kubernetes) does not issue certificate 1 (CN=frontend): its issuer is "CN=web-intermediate", not "CN=kubernetes"`,
    ]);
  });
});
