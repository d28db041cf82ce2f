import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import type { FixSpec } from '../../server/src/engine/check/fixSpec';
import { hoverObjectValue } from '../../server/src/engine/features/objectValueFeatures';
import { caMismatch } from '../../server/src/engine/rules/caMismatch';
import { sanMissing } from '../../server/src/engine/rules/sanMissing';
import { LineIndex } from '../../server/src/engine/text/lineIndex';
import { REPO_ROOT } from '../support/paths';
import { contextOf, findings, MemoryTree, ROOT } from '../support/ruleTester';

const LINKS = join(REPO_ROOT, 'test', 'fixtures', 'objects', 'links');

/** A fixture folder as an in-memory tree (paths relative to it). */
function treeOf(dir: string): MemoryTree {
  const tree: MemoryTree = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else tree[relative(join(LINKS, dir), path)] = readFileSync(path, 'utf8');
    }
  };
  walk(join(LINKS, dir));
  return tree;
}

const WRONG_CA =
  'caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com) does not sign the certificate Service policy/policy-webhook serves (Secret policy/policy-webhook-tls tls.crt via Deployment policy/policy-webhook, volume certs): the API server rejects the webhook with x509: certificate signed by unknown authority';
const TITLE = '**webhooks\\[0\\].clientConfig.caBundle** of ValidatingWebhookConfiguration policy-webhook  ';

const both = async (dir: string) => [...(await findings(caMismatch, treeOf(dir))), ...(await findings(sanMissing, treeOf(dir)))];

/** The hover's lines before the decoded description. */
async function hoverHead(dir: string, file: string, line: number, character: number): Promise<string[]> {
  const ctx = await contextOf(treeOf(dir));
  const hover = hoverObjectValue(ctx, [], `${ROOT}/${file}`, { line, character });
  assert.ok(hover);
  return hover.markdown.split('\n\n')[0].split('\n');
}

describe('webhook caBundle linked through the repository to the certificate its Service serves', () => {
  it('a clean webhook repository (caBundle signs the Secret its Deployment mounts, with the .svc name): no findings', async () => {
    assert.deepEqual(await both('clean'), []);
  });

  it('a caBundle that does not sign the served certificate: ca-mismatch on the caBundle, naming the path', async () => {
    assert.deepEqual(await both('wrong-ca'), [`webhook.yaml:10:15-10:735 ${WRONG_CA} [fix: Replace caBundle with ca.crt of Secret policy/policy-webhook-tls]`]);
  });

  it("the quick fix writes the served Secret's CA into the caBundle, every other byte kept: the clean repository's file", async () => {
    const ctx = await contextOf(treeOf('wrong-ca'));
    const fixes: FixSpec[] = [];
    caMismatch.check(ctx, (_at, _message, fix) => fix && fixes.push(fix));
    const [fix] = fixes;
    assert.ok(fix?.kind === 'edit-text' && fixes.length === 1);
    const text = treeOf('wrong-ca')['webhook.yaml'] as string;
    const index = new LineIndex(text);
    const [{ range, newText }] = fix.edits;
    const fixed = text.slice(0, index.offsetAt(range.start)) + newText + text.slice(index.offsetAt(range.end));
    assert.equal(fixed, treeOf('clean')['webhook.yaml']);
  });

  it('a served certificate without <service>.<namespace>.svc: san-missing on its tls.crt', async () => {
    assert.deepEqual(await both('missing-san'), [
      'secret.yaml:8:12-8:940 tls.crt of Secret policy/policy-webhook-tls has no DNS SAN policy-webhook.policy.svc, the name the API server dials for ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com): it rejects the webhook with x509: certificate is valid for other names, not policy-webhook.policy.svc',
    ]);
  });

  it('inject-ca-from naming a Certificate whose issuer CA did not sign the served certificate: ca-mismatch on the annotation', async () => {
    assert.deepEqual(await both('inject-ca'), [
      "webhook.yaml:6:37-6:63 cert-manager.io/inject-ca-from of ValidatingWebhookConfiguration policy-webhook names Certificate policy/policy-webhook-cert, whose issuer's CA (tls.crt of Secret policy/other-ca) does not sign the certificate Service policy/policy-webhook serves (Secret policy/policy-webhook-tls tls.crt via Deployment policy/policy-webhook, volume certs): cainjector writes that CA into caBundle and the API server rejects the webhook with x509: certificate signed by unknown authority",
    ]);
    assert.deepEqual(await hoverHead('inject-ca', 'secret.yaml', 7, 20), [
      '**data.tls.crt** of Secret policy/policy-webhook-tls  ',
      '← verified by the CA cert-manager injects into the caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com), which dials policy-webhook.policy.svc',
    ]);
  });

  it("a Secret cert-manager writes (not in the repository): the Certificate's dnsNames lack the .svc name", async () => {
    assert.deepEqual(await both('certificate-san'), [
      'cert-manager.yaml:8:13-8:54 dnsNames of Certificate policy/policy-webhook-cert has no DNS SAN policy-webhook.policy.svc, the name the API server dials for ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com): it rejects the webhook with x509: certificate is valid for other names, not policy-webhook.policy.svc',
    ]);
    assert.deepEqual(await hoverHead('certificate-san', 'webhook.yaml', 9, 20), [
      TITLE,
      '→ served by policy-webhook.policy.svc via Deployment policy/policy-webhook, volume certs (Secret written by Certificate policy/policy-webhook-cert)',
    ]);
    assert.deepEqual(await hoverHead('certificate-san', 'ca-key-pair.yaml', 7, 20), [
      '**data.tls.crt** of Secret policy/ca-key-pair  ',
      '← the CA of the certificate served to ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com) at policy-webhook.policy.svc',
    ]);
  });

  it('a Service not in the repository, or two of that name: no finding, the hover says why', async () => {
    assert.deepEqual(await both('no-service'), []);
    assert.deepEqual(await both('ambiguous'), []);
    assert.deepEqual(await hoverHead('no-service', 'webhook.yaml', 9, 20), [
      TITLE,
      '→ served by policy-webhook.policy.svc; Service policy/policy-webhook is not in the workspace',
    ]);
    assert.deepEqual(await hoverHead('ambiguous', 'webhook.yaml', 9, 20), [
      TITLE,
      '→ served by policy-webhook.policy.svc; Service policy/policy-webhook is ambiguous: Service policy/policy-webhook in service-copy.yaml, Service policy/policy-webhook in webhook.yaml',
    ]);
  });

  it('same names in two kustomizations are resolved within each: only staging is wrong', async () => {
    assert.deepEqual(await both('units'), [
      `staging/webhook.yaml:10:15-10:735 ${WRONG_CA} [fix: Replace caBundle with ca.crt of Secret policy/policy-webhook-tls]`,
    ]);
  });

  it('hover: the caBundle says what serves it, the Secret value who verifies it', async () => {
    assert.deepEqual(await hoverHead('clean', 'webhook.yaml', 9, 20), [
      TITLE,
      '→ served by policy-webhook.policy.svc via Deployment policy/policy-webhook, volume certs (tls.crt of Secret policy/policy-webhook-tls)',
    ]);
    assert.deepEqual(await hoverHead('clean', 'secret.yaml', 7, 20), [
      '**data.tls.crt** of Secret policy/policy-webhook-tls  ',
      '← verified by caBundle of ValidatingWebhookConfiguration policy-webhook (webhook validate.policy.example.com), which dials policy-webhook.policy.svc',
    ]);
  });
});
