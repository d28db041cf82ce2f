import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubeconfigSymbols } from '../../server/src/engine/features/kubeconfigSymbols';
import { hoverObjectValue, objectValueLenses } from '../../server/src/engine/features/objectValueFeatures';
import { parseConfigText } from '../../server/src/engine/kube/parseConfigText';
import { certExpired } from '../../server/src/engine/rules/certExpired';
import { pemInvalid } from '../../server/src/engine/rules/pemInvalid';
import { b64, clusterCa, contextOf, findings, ROOT, secret } from '../support/ruleTester';

const objectsOf = (text: string) => (parseConfigText('/t/x.yaml', text)?.documents ?? []).flatMap((d) => (d.kind === 'apiObjects' ? d.objects : []));
const where = (o: { range: { start: { line: number; character: number } } }) => `${o.range.start.line + 1}:${o.range.start.character + 1}`;

describe('API objects: what is read, and where', () => {
  it('reads Secrets, ConfigMaps, webhooks, APIServices, CRDs, CSRs and ClusterTrustBundles, each value with its field and range', async () => {
    const ca = await clusterCa();
    const text = [
      secret('frontend-tls', 'web', { 'tls.crt': ca.cert, 'tls.key': ca.key, password: 'hunter2' }),
      '---',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-root-ca.crt\ndata:\n  ca.crt: |',
      ...ca.cert
        .trim()
        .split('\n')
        .map((l) => `    ${l}`),
      '  note: plain text',
      '---',
      'apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: hook\nwebhooks:',
      `- name: m.example.com\n  clientConfig:\n    caBundle: ${b64(ca.cert)}\n    service: {namespace: sys, name: hook-svc, port: 8443}`,
      '---',
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\nspec:\n  conversion:\n    strategy: Webhook',
      '    webhook:\n      clientConfig:\n        url: https://conv.example.com/convert',
      '---',
      `apiVersion: certificates.k8s.io/v1beta1\nkind: ClusterTrustBundle\nmetadata:\n  name: example.com:signer:roots\nspec:\n  trustBundle: ${JSON.stringify(ca.cert)}`,
      '',
    ].join('\n');
    const objects = objectsOf(text);
    assert.deepEqual(
      objects.map((o) => [
        o.kind,
        o.namespace,
        o.name,
        where(o),
        o.values.map((v) => `${v.field}@${where(v)}:${v.role}`),
        o.clientConfigs.map((c) => [c.owner, c.field, c.service?.name, c.service?.port, c.url?.value]),
      ]),
      [
        ['Secret', 'web', 'frontend-tls', '4:9', ['data.tls.crt@8:12:certificate', 'data.tls.key@9:12:private-key'], []],
        ['ConfigMap', undefined, 'kube-root-ca.crt', '16:9', ['data.ca.crt@18:11:ca-bundle'], []],
        [
          'MutatingWebhookConfiguration',
          undefined,
          'hook',
          objects[2] && where(objects[2]),
          [`webhooks[0].clientConfig.caBundle@${where(objects[2].values[0])}:ca-bundle`],
          [['m.example.com', 'webhooks[0].clientConfig', 'hook-svc', 8443, undefined]],
        ],
        [
          'CustomResourceDefinition',
          undefined,
          'things.example.com',
          where(objects[3]),
          [],
          [['things.example.com', 'spec.conversion.webhook.clientConfig', undefined, undefined, 'https://conv.example.com/convert']],
        ],
        ['ClusterTrustBundle', undefined, 'example.com:signer:roots', where(objects[4]), [`spec.trustBundle@${where(objects[4].values[0])}:ca-bundle`], []],
      ],
    );
    // The password is no value; the webhook's caBundle starts after "caBundle: ".
    assert.equal(objects[2].values[0].range.start.character, '    caBundle: '.length);
  });

  it('reads the items of a kind: List; skips templated files and files with no such kind; never decodes SOPS values', async () => {
    const ca = await clusterCa();
    const item = secret('a', 'ns', { 'tls.crt': ca.cert })
      .trim()
      .split('\n')
      .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`));
    assert.deepEqual(
      objectsOf(['apiVersion: v1', 'kind: List', 'items:', ...item, ''].join('\n')).map((o) => `${o.kind} ${o.name} ${o.values[0].field}`),
      ['Secret a data.tls.crt'],
    );
    assert.equal(parseConfigText('/t/h.yaml', secret('a', 'ns', { 'tls.crt': ca.cert }).replace('name: a', 'name: {{ .Release.Name }}')), undefined);
    assert.equal(parseConfigText('/t/d.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n'), undefined);
    const sops = objectsOf('apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  tls.crt: ENC[AES256_GCM,data:Zm9v,iv:x,tag:y,type:str]\n');
    assert.equal(sops[0].values[0].encrypted, true);
    assert.deepEqual(
      await findings(pemInvalid, {
        's.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  tls.crt: ENC[AES256_GCM,data:Zm9v,iv:x,tag:y,type:str]\n',
      }),
      [],
    );
  });

  it("a kubebuilder placeholder caBundle (Cg==) and an injected one are not pem-invalid; a SealedSecret's encryptedData is not read", async () => {
    const crd = (annotation: string, caBundle: string) =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: t.example.com\n${annotation}spec:\n  conversion:\n    webhook:\n      clientConfig:\n        caBundle: ${caBundle}\n        service: {name: w, namespace: s}\n`;
    const sealed =
      'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: s\nspec:\n  encryptedData:\n    tls.crt: AgBy3i4OJSWK+PiTySYZZA==\n';
    assert.deepEqual(
      await findings(pemInvalid, {
        'a.yaml': crd('', 'Cg=='),
        'b.yaml': crd('  annotations:\n    cert-manager.io/inject-ca-from: s/w-cert\n', 'bm90IGEgY2VydA=='),
        'c.yaml': crd('', 'bm90IGEgY2VydA=='),
        'sealed.yaml': sealed,
      }),
      ['c.yaml:9:19-9:35 caBundle of CustomResourceDefinition t.example.com: no PEM block found (expected a "-----BEGIN ...-----" line)'],
    );
  });

  it('a PEM block in stringData is judged once, as the value (not again as a stray PEM block)', async () => {
    const ca = await clusterCa();
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: s',
      'stringData:',
      '  ca.crt: |',
      ...ca.cert
        .trim()
        .split('\n')
        .map((l) => `    ${l}`),
      '',
    ].join('\n');
    const seen = await findings(certExpired, { 's.yaml': text }, { now: new Date('2030-01-01T00:00:00Z') });
    assert.equal(seen.length, 1);
    assert.match(seen[0], /^s\.yaml:6:11-\d+:1 ca\.crt of Secret s expired /);
  });
});

describe('API objects in the editor', () => {
  it('hover on a tls.crt decodes it with the PEM description; tls.key shows only public facts; lens shows subject and expiry', async () => {
    const ca = await clusterCa();
    const ctx = await contextOf({ 'web/tls.yaml': secret('frontend-tls', 'web', { 'tls.crt': ca.cert, 'tls.key': ca.key }) });
    const hover = hoverObjectValue(ctx, [], `${ROOT}/web/tls.yaml`, { line: 7, character: 20 });
    assert.ok(hover);
    // The answer first, as a file reference's hover: title, then the decoded certificate's verdicts and essential fields; the rest apart.
    assert.ok(hover.markdown.startsWith('**data.tls.crt** of Secret web/frontend-tls\n\n**CA certificate CN=kubernetes**  \n✓ expires in '), hover.markdown);
    assert.match(hover.markdown, /\nValidity: \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d/);
    assert.match(hover.moreFields ?? '', /Issuer: CN=kubernetes/);
    assert.deepEqual(hover.range, { start: { line: 7, character: 11 }, end: { line: 7, character: 11 + b64(ca.cert).length } });
    const keyHover = hoverObjectValue(ctx, [], `${ROOT}/web/tls.yaml`, { line: 8, character: 20 });
    assert.ok(keyHover && !keyHover.markdown.includes(b64(ca.key).slice(0, 40)) && !keyHover.markdown.includes('PRIVATE KEY-----'));
    assert.equal(hoverObjectValue(ctx, [], `${ROOT}/web/tls.yaml`, { line: 3, character: 4 }), undefined);
    assert.deepEqual(
      objectValueLenses(ctx, `${ROOT}/web/tls.yaml`).map((l) => `${l.range.start.line}:${l.title}`),
      ['7:CN=kubernetes · expires in 214 d'],
    );
  });

  it('the outline lists each object by kind and name, its values under it', async () => {
    const ca = await clusterCa();
    const symbols = kubeconfigSymbols(secret('frontend-tls', 'web', { 'tls.crt': ca.cert, 'tls.key': ca.key }), '/t/s.yaml');
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, s.selectionRange.start.line, s.children.map((c) => `${c.name} ${c.detail} ${c.range.start.line}`)]),
      [['Secret web/frontend-tls', 'kubernetes.io/tls', 3, ['data.tls.crt certificate 7', 'data.tls.key private-key 8']]],
    );
  });
});
