import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { issueCertificate } from '../../server/src/engine/gen/issue';
import { generateKey } from '../../server/src/engine/gen/keys';
import { service } from '../support/service';

const DAY = 86_400_000;
const NOW = new Date('2025-06-01T12:00:00Z');

/** A self-signed certificate that expires `days` after NOW. */
async function certExpiringIn(days: number): Promise<string> {
  const key = await generateKey('ECDSA-P256');
  const cert = await issueCertificate(
    {
      subject: [['CN', 'kube-apiserver']],
      ca: false,
      usages: ['serverAuth'],
      sans: ['kubernetes'],
      notBefore: new Date(NOW.getTime() - 10 * DAY),
      notAfter: new Date(NOW.getTime() + days * DAY),
      publicKey: key.keys.publicKey,
    },
    key.keys,
  );
  return cert.toString('pem');
}

describe('one expiry window for the PEM document and the rules', () => {
  it('a certificate 45 days from expiry: no warning in the default 30-day window, cert-expiring-soon in a 60-day one', async () => {
    const doc = service.pemDocument(await certExpiringIn(45));
    assert.deepEqual(
      doc.diagnostics(NOW).map((d) => d.code),
      [],
    );
    assert.deepEqual(
      doc.diagnostics(NOW, 60).map((d) => ({ code: d.code, severity: d.severity, line: d.range.start.line, message: d.message })),
      [{ code: 'cert-expiring-soon', severity: 'warning', line: 0, message: 'Certificate CN=kube-apiserver: expires in 45 days' }],
    );
  });

  it('the hover marks the expiry with the same window', async () => {
    const doc = service.pemDocument(await certExpiringIn(45));
    const inside = { line: 1, character: 0 };
    assert.match(doc.hover(inside, NOW)!.markdown, /✓ expires in 45 days/);
    assert.match(doc.hover(inside, NOW, 60)!.markdown, /⚠ expires in 45 days/);
  });
});
