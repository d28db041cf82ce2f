import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ingressHostNotCovered } from '../../server/src/engine/rules/ingressHostNotCovered';
import { REPO_ROOT } from '../support/paths';
import { findings } from '../support/ruleTester';

// ingress-nginx's gRPC example Ingress, verbatim (test/fixtures/objects/real/ingress-nginx-grpc/SOURCE.md), with generated Secrets.
const OBJECTS = join(REPO_ROOT, 'test', 'fixtures', 'objects');
const INGRESS = readFileSync(join(OBJECTS, 'real', 'ingress-nginx-grpc', 'ingress.yaml'), 'utf8');
const NOW = { now: new Date('2026-01-01T00:00:00Z') };

describe("a real Ingress (ingress-nginx's gRPC example) against wildcard certificates", () => {
  it('*.stack.build covers fortune-teller.stack.build (one leftmost label): no finding', async () => {
    const secret = readFileSync(join(OBJECTS, 'real', 'ingress-nginx-grpc', 'wildcard-secret.yaml'), 'utf8');
    assert.deepEqual(await findings(ingressHostNotCovered, { 'ingress.yaml': INGRESS, 'secret.yaml': secret }, NOW), []);
  });

  it('*.build does not reach two labels down: ingress-host-not-covered on the host in tls[].hosts', async () => {
    const secret = readFileSync(join(OBJECTS, 'ingress', 'too-shallow-wildcard', 'secret.yaml'), 'utf8');
    assert.deepEqual(await findings(ingressHostNotCovered, { 'ingress.yaml': INGRESS, 'secret.yaml': secret }, NOW), [
      'ingress.yaml:24:9-24:35 Ingress default/fortune-ingress serves fortune-teller.stack.build with Secret default/fortune-teller.stack.build, whose certificate does not cover it: missing SAN DNS name fortune-teller.stack.build (the certificate has DNS:*.build)',
    ]);
  });
});
