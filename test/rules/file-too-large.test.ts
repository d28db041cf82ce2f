import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileTooLarge } from '../../server/src/engine/rules/fileTooLarge';
import { findings } from '../support/ruleTester';

const ADMIN = 'etc/kubernetes/admin.conf';
const HEAD = 'apiVersion: v1\nkind: Config\nclusters: []\n';

describe('file-too-large', () => {
  it('is silent on a config file under 4 MiB', async () => {
    assert.deepEqual(await findings(fileTooLarge, { [ADMIN]: HEAD }), []);
  });

  it('reports a config file over 4 MiB on its first line', async () => {
    assert.deepEqual(await findings(fileTooLarge, { [ADMIN]: HEAD + '#'.repeat(5 * 1024 * 1024) + '\n' }), [
      `${ADMIN}:1:1-1:1 admin.conf is 5.0 MiB, over the 4 MiB kube-pki reads of a config file: too large, not read`,
    ]);
  });
});
