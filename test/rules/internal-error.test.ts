import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileNotFound } from '../../server/src/engine/rules/fileNotFound';
import type { Rule } from '../../server/src/engine/rules/rule';
import { runRule } from '../../server/src/engine/run/runCheck';
import { contextOf, manifest, ROOT } from '../support/ruleTester';

const broken: Rule = {
  meta: { code: 'broken-rule', severity: 'warning', description: 'throws', docs: 'docs/rules/broken-rule.md', fixable: false, options: [] },
  check() {
    throw new Error('boom');
  },
};

describe('internal-error', () => {
  it("reports a rule that throws on the checked folder, and the other rules' findings stand", async () => {
    const ctx = await contextOf({
      'etc/kubernetes/manifests/kube-apiserver.yaml': manifest('kube-apiserver', ['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt']),
    });
    runRule(broken, ctx);
    runRule(fileNotFound, ctx);
    assert.deepEqual(
      ctx.findings.map((f) => [f.code, f.severity, f.file === ROOT ? 'the folder' : f.file.slice(ROOT.length + 1), f.message.split(':')[0]]),
      [
        ['internal-error', 'error', 'the folder', 'rule broken-rule failed'],
        ['file-not-found', 'error', 'etc/kubernetes/manifests/kube-apiserver.yaml', '/etc/kubernetes/pki/apiserver.crt (--tls-cert-file) does not exist'],
      ],
    );
  });

  it('is silent when every rule runs', async () => {
    const ctx = await contextOf({ 'etc/kubernetes/manifests/kube-apiserver.yaml': manifest('kube-apiserver', []) });
    runRule(fileNotFound, ctx);
    assert.deepEqual(
      ctx.findings.map((f) => f.code),
      [],
    );
  });
});
