import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { CertificateInfo } from '../../server/src/engine/pki/certificate';
import { decodePkiBytes } from '../../server/src/engine/pki/decode';
import type { PrivateKeyInfo } from '../../server/src/engine/pki/privateKey';
import { checkCaUsable } from '../../server/src/engine/verify/caUsable';
import { verifyCertificate } from '../../server/src/engine/verify/chain';
import { dnsPatternMatches, matchHostname, matchIp } from '../../server/src/engine/verify/hostname';
import { checkIssuedBy, checkSignature } from '../../server/src/engine/verify/issuedBy';
import { checkKeyPair } from '../../server/src/engine/verify/keyPair';
import { checkPurpose } from '../../server/src/engine/verify/purpose';
import { checkValidity, expiryPhrase } from '../../server/src/engine/verify/validity';
import { missingPeer, OpensslWorkspace } from '../support/openssl';
import { describeNeeding } from '../support/paths';

function load<T>(path: string): T {
  const file = decodePkiBytes(new Uint8Array(readFileSync(path)));
  assert.ok(file.blocks[0]?.object, file.error ?? file.blocks[0]?.error);
  return file.blocks[0].object as T;
}

describe('SAN DNS patterns', () => {
  const cases: Array<[string, string, boolean]> = [
    ['kubernetes.default.svc', 'kubernetes.default.svc', true],
    ['Kubernetes.Default.SVC', 'kubernetes.default.svc.', true],
    ['*.example.com', 'api.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['a*.example.com', 'ab.example.com', false],
    ['*', 'localhost', false],
    ['api.*.com', 'api.example.com', false],
    ['', '', false],
  ];
  for (const [pattern, host, expected] of cases) {
    it(`${pattern || '(empty)'} ${expected ? 'matches' : 'does not match'} ${host || '(empty)'}`, () => {
      assert.equal(dnsPatternMatches(pattern, host), expected);
    });
  }
});

const skip = missingPeer('openssl');

describeNeeding('verification primitives on openssl-made certificates', skip, () => {
  const ws = new OpensslWorkspace();
  let ca: CertificateInfo;
  let otherCa: CertificateInfo;
  let server: CertificateInfo;
  let client: CertificateInfo;
  let notCa: CertificateInfo;
  let intermediate: CertificateInfo;
  let leafUnderIntermediate: CertificateInfo;
  let impostor: CertificateInfo;

  before(() => {
    ca = load(ws.ca('ca', '/CN=kubernetes'));
    otherCa = load(ws.ca('other-ca', '/CN=other-ca'));
    impostor = load(ws.ca('impostor', '/CN=kubernetes', { extra: ['basicConstraints=critical,CA:TRUE', 'subjectKeyIdentifier=none'] }));
    server = load(
      ws.signed('apiserver', '/CN=kube-apiserver', 'ca', [
        'extendedKeyUsage=serverAuth',
        'subjectAltName=DNS:kubernetes.default.svc,DNS:*.nodes.example,IP:10.96.0.1,IP:2001:db8::1',
      ]),
    );
    client = load(ws.signed('admin', '/O=kubeadm:cluster-admins/CN=kubernetes-admin', 'ca', ['extendedKeyUsage=clientAuth']));
    notCa = load(ws.signed('not-ca', '/CN=not-a-ca', 'ca', ['basicConstraints=critical,CA:FALSE']));
    intermediate = load(ws.signed('intermediate', '/CN=intermediate', 'ca', ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign']));
    leafUnderIntermediate = load(ws.signed('leaf2', '/CN=leaf2', 'intermediate', ['subjectAltName=DNS:leaf2.example']));
  });
  after(() => ws.dispose());

  it('checks a signature under the right and the wrong CA', () => {
    assert.deepEqual(checkSignature(server, ca), { ok: true, reasons: ['signature verifies with the key of CN=kubernetes'] });
    const wrong = checkIssuedBy(server, otherCa);
    assert.deepEqual(wrong, { ok: false, reasons: ['its issuer is "CN=kubernetes", not "CN=other-ca"'] });
    // Same name, different key: the classic "regenerated CA" mistake.
    const sameName = checkIssuedBy(server, impostor);
    assert.equal(sameName.ok, false);
    assert.match(sameName.reasons[0], /signature does not verify with the issuer's public key/);
  });

  it('says whether a certificate can act as a CA', () => {
    assert.deepEqual(checkCaUsable(ca), { ok: true, reasons: ['CN=kubernetes is a CA'] });
    assert.deepEqual(checkCaUsable(notCa), { ok: false, reasons: ['CN=not-a-ca cannot act as a CA: its basicConstraints says CA:FALSE'] });
    assert.deepEqual(checkCaUsable(client).reasons, [
      'O=kubeadm:cluster-admins, CN=kubernetes-admin cannot act as a CA: it has no basicConstraints extension, so it is not a CA (RFC 5280 4.2.1.9)',
    ]);
    assert.deepEqual(checkCaUsable(intermediate), { ok: true, reasons: ['CN=intermediate is a CA (pathLen 0)'] });
  });

  it('checks validity at an instant, inclusive at both ends', () => {
    assert.equal(checkValidity(server, server.notBefore).ok, true);
    assert.equal(checkValidity(server, server.notAfter).ok, true);
    const later = new Date(server.notAfter.getTime() + 3 * 86_400_000);
    assert.deepEqual(checkValidity(server, later), {
      ok: false,
      reasons: [`expired on ${server.notAfter.toISOString()} (3 days before ${later.toISOString()})`],
    });
    assert.equal(expiryPhrase(server, later), 'EXPIRED 3 days ago');
    const before = new Date(server.notBefore.getTime() - 1000);
    assert.match(checkValidity(server, before).reasons[0], /^not valid yet: valid from /);
  });

  it('matches DNS names and IPs against the SAN only', () => {
    assert.deepEqual(matchHostname(server, 'kubernetes.default.svc'), { ok: true, reasons: ['SAN DNS:kubernetes.default.svc matches kubernetes.default.svc'] });
    assert.equal(matchHostname(server, 'worker-1.nodes.example').ok, true);
    assert.deepEqual(matchHostname(server, 'kube-apiserver'), {
      ok: false,
      reasons: ['missing SAN DNS name kube-apiserver (the certificate has DNS:kubernetes.default.svc, DNS:*.nodes.example)'],
    });
    assert.deepEqual(matchIp(server, '10.96.0.1'), { ok: true, reasons: ['SAN IP:10.96.0.1 matches'] });
    assert.equal(matchIp(server, '2001:0db8:0000::0001').ok, true, 'IPv6 compared canonically');
    assert.deepEqual(matchIp(server, '10.96.0.10'), {
      ok: false,
      reasons: ['missing SAN IP address 10.96.0.10 (the certificate has IP:10.96.0.1, IP:2001:db8::1)'],
    });
    // No CN fallback: a cert with only a CN matches nothing.
    assert.deepEqual(matchHostname(notCa, 'not-a-ca'), {
      ok: false,
      reasons: ['missing SAN DNS name not-a-ca: the certificate has no Subject Alternative Names (its CN "not-a-ca" is not used for name checks)'],
    });
  });

  it('checks serverAuth / clientAuth', () => {
    assert.equal(checkPurpose(server, 'server').ok, true);
    assert.deepEqual(checkPurpose(server, 'client'), { ok: false, reasons: ['Extended Key Usage lacks clientAuth (it has serverAuth)'] });
    assert.deepEqual(checkPurpose(notCa, 'client'), { ok: true, reasons: ['no Extended Key Usage extension: usable for clientAuth'] });
  });

  it('matches a certificate with its private key and not with another', () => {
    const key = load<PrivateKeyInfo>(ws.path('apiserver.key'));
    const other = load<PrivateKeyInfo>(ws.path('admin.key'));
    assert.equal(checkKeyPair(server.publicKey, key.publicKey).ok, true);
    const mismatch = checkKeyPair(server.publicKey, other.publicKey);
    assert.equal(mismatch.ok, false);
    assert.match(
      mismatch.reasons[0],
      /^the private key does not belong to the certificate: its public half [0-9A-F:]+\.\.\. differs from the certificate's [0-9A-F:]+\.\.\.$/,
    );
    const ec = load<PrivateKeyInfo>(ws.ecKey('ec.key'));
    assert.deepEqual(checkKeyPair(server.publicKey, ec.publicKey).reasons, ['the private key is EC P-256 but the certificate holds a RSA 2048 key']);
  });

  it('builds a chain through an intermediate and enforces pathLen', () => {
    const ok = verifyCertificate(leafUnderIntermediate, { trusted: [ca], intermediates: [intermediate], host: 'leaf2.example' });
    assert.deepEqual(ok.reasons, []);
    assert.deepEqual(
      ok.chain.map((c) => c.subject.text),
      ['CN=leaf2', 'CN=intermediate', 'CN=kubernetes'],
    );
    const missing = verifyCertificate(leafUnderIntermediate, { trusted: [ca] });
    assert.equal(missing.accepted, false);
    assert.deepEqual(missing.reasons, ['CN=leaf2: its issuer "CN=intermediate" is not among the trusted CAs']);
    // A CA under the pathLen:0 intermediate breaks the constraint.
    const sub = load<CertificateInfo>(
      ws.signed('sub-ca', '/CN=sub-ca', 'intermediate', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign']),
    );
    const leaf3 = load<CertificateInfo>(ws.signed('leaf3', '/CN=leaf3', 'sub-ca', ['subjectAltName=DNS:leaf3.example']));
    const tooDeep = verifyCertificate(leaf3, { trusted: [ca], intermediates: [intermediate, sub] });
    assert.equal(tooDeep.accepted, false);
    assert.deepEqual(tooDeep.reasons, ['CN=intermediate: pathLen 0 but 1 CA certificates follow it']);
  });

  it('rejects a leaf whose issuer is not a CA', () => {
    const leaf = load<CertificateInfo>(ws.signed('under-not-ca', '/CN=under-not-ca', 'not-ca', []));
    const result = verifyCertificate(leaf, { trusted: [ca], intermediates: [notCa] });
    assert.deepEqual(result.reasons, ['CN=not-a-ca: CN=not-a-ca cannot act as a CA: its basicConstraints says CA:FALSE']);
  });
});
