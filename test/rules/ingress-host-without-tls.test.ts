import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FixSpec } from '../../server/src/engine/check/fixSpec';
import { ingressHostWithoutTls } from '../../server/src/engine/rules/ingressHostWithoutTls';
import { contextOf, findings, ROOT } from '../support/ruleTester';

const ingress = (tlsHosts: string[] | undefined, ruleHosts: string[]) =>
  [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: shop',
    '  namespace: web',
    'spec:',
    ...(tlsHosts ? ['  tls:', '  - hosts:', ...tlsHosts.map((h) => `    - "${h}"`), '    secretName: shop-tls'] : []),
    '  rules:',
    ...ruleHosts.map((h) => `  - host: ${h}`),
    '',
  ].join('\n');

describe('ingress-host-without-tls', () => {
  it('is silent when every rule host is a tls host (a wildcard tls host included), and on an Ingress without tls', async () => {
    assert.deepEqual(
      await findings(ingressHostWithoutTls, {
        'a.yaml': ingress(['shop.example.com', '*.example.org'], ['shop.example.com', 'cart.example.org']),
        'plain.yaml': ingress(undefined, ['shop.example.com']),
      }),
      [],
    );
  });

  it('warns on a rule host no tls entry names, on the host', async () => {
    assert.deepEqual(await findings(ingressHostWithoutTls, { 'ingress.yaml': ingress(['shop.example.com'], ['shop.example.com', 'a.b.example.com']) }), [
      'ingress.yaml:13:11-13:26 Ingress web/shop serves a.b.example.com over TLS but no tls[].hosts entry names it: the controller answers it with its default certificate, which clients reject [fix: Add a.b.example.com to spec.tls[0].hosts]',
    ]);
  });

  it('its fix adds the host after the last tls host, block or flow list, every other byte kept', async () => {
    const apply = async (text: string) => {
      const fixes: FixSpec[] = [];
      ingressHostWithoutTls.check(await contextOf({ 'ingress.yaml': text }), (_at, _message, fix) => fix && fixes.push(fix));
      const fix = fixes[0];
      assert.equal(fix?.kind, 'edit-text');
      if (fix?.kind !== 'edit-text') return '';
      assert.equal(fix.path, `${ROOT}/ingress.yaml`);
      const lines = text.split('\n');
      const { start, end } = fix.edits[0].range;
      const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
      return text.slice(0, offset(start)) + fix.edits[0].newText + text.slice(offset(end));
    };
    const block = ingress(['shop.example.com'], ['shop.example.com', 'cart.example.com']);
    assert.equal(await apply(block), block.replace('    - "shop.example.com"\n', '    - "shop.example.com"\n    - cart.example.com\n'));
    const flow = block.replace('  - hosts:\n    - "shop.example.com"\n', '  - hosts: [shop.example.com]  # the shop\n');
    assert.equal(await apply(flow), flow.replace('[shop.example.com]', '[shop.example.com, cart.example.com]'));
  });
});
