import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { describeObject } from '../../server/src/engine/format/describe';
import { objectToJson } from '../../server/src/engine/format/json';
import { renderText } from '../../server/src/engine/format/text';
import { CertificateInfo } from '../../server/src/engine/pki/certificate';
import { CsrInfo } from '../../server/src/engine/pki/csr';
import { DecodedFile, decodePkiBytes, MAX_DECODED_BLOCKS, MAX_PKI_FILE_BYTES } from '../../server/src/engine/pki/decode';
import { PrivateKeyInfo } from '../../server/src/engine/pki/privateKey';
import { missingPeer, OpensslWorkspace, openssl } from '../support/openssl';
import { describeNeeding } from '../support/paths';

function decodeFile(path: string): DecodedFile {
  return decodePkiBytes(new Uint8Array(readFileSync(path)));
}

function only<T>(file: DecodedFile, kind: string): T {
  assert.equal(file.error, undefined, file.error);
  assert.equal(file.blocks.length, 1);
  assert.equal(file.blocks[0].error, undefined, file.blocks[0].error);
  assert.equal(file.blocks[0].object?.kind, kind);
  return file.blocks[0].object as T;
}

const skip = missingPeer('openssl');

describeNeeding('decoding certificates made with openssl', skip, () => {
  const ws = new OpensslWorkspace();
  let ca: CertificateInfo;
  let leaf: CertificateInfo;

  before(() => {
    ws.ca('ca', '/CN=kubernetes', {
      extra: ['basicConstraints=critical,CA:TRUE,pathlen:1', 'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign', 'subjectKeyIdentifier=hash'],
    });
    ws.signed('apiserver', '/C=DE/O=system:masters/O=second org/CN=kube-apiserver', 'ca', [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=DNS:kubernetes,DNS:*.example.com,IP:10.96.0.1,IP:fd00::1,email:ops@example.com,URI:spiffe://cluster.local/ns/default,dirName:dir_sect,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:upn@example.com,RID:1.2.3.4',
      'authorityKeyIdentifier=keyid',
      '[dir_sect]',
      'CN=Directory Name',
    ]);
    ca = only<CertificateInfo>(decodeFile(ws.path('ca.crt')), 'certificate');
    leaf = only<CertificateInfo>(decodeFile(ws.path('apiserver.crt')), 'certificate');
  });
  after(() => ws.dispose());

  it('reads subject and issuer with every RDN in order', () => {
    assert.equal(leaf.subject.text, 'C=DE, O=system:masters, O=second org, CN=kube-apiserver');
    assert.deepEqual(
      leaf.subject.rdns.map((r) => r.map((a) => `${a.type}=${a.value}`)),
      [['C=DE'], ['O=system:masters'], ['O=second org'], ['CN=kube-apiserver']],
    );
    assert.equal(leaf.issuer.text, 'CN=kubernetes');
    assert.equal(leaf.version, 3);
  });

  it('reads SANs of every type', () => {
    assert.deepEqual(leaf.subjectAltNames, [
      { type: 'DNS', value: 'kubernetes' },
      { type: 'DNS', value: '*.example.com' },
      { type: 'IP', value: '10.96.0.1' },
      { type: 'IP', value: 'fd00::1' },
      { type: 'email', value: 'ops@example.com' },
      { type: 'URI', value: 'spiffe://cluster.local/ns/default' },
      { type: 'dirName', value: 'CN=Directory Name' },
      { type: 'otherName', value: leaf.subjectAltNames![7].value },
      { type: 'registeredID', value: '1.2.3.4' },
    ]);
    assert.match(leaf.subjectAltNames![7].value, /^1\.3\.6\.1\.4\.1\.311\.20\.2\.3;#/);
  });

  it('reads key usage, EKU, basic constraints with pathLen, SKI and AKI', () => {
    assert.deepEqual(leaf.keyUsage, ['digitalSignature', 'keyEncipherment']);
    assert.deepEqual(leaf.extendedKeyUsage, ['serverAuth', 'clientAuth']);
    assert.deepEqual(leaf.basicConstraints, { ca: false, pathLen: undefined, critical: true });
    assert.deepEqual(ca.basicConstraints, { ca: true, pathLen: 1, critical: true });
    assert.ok(ca.subjectKeyId);
    assert.equal(leaf.authorityKeyId, ca.subjectKeyId);
  });

  it('agrees with openssl on serial, dates, algorithms and fingerprints', () => {
    const serial = openssl(['x509', '-in', ws.path('apiserver.crt'), '-noout', '-serial'])
      .trim()
      .split('=')[1];
    // openssl prints the serial's bytes in hex (even length); ours are the same bytes, colon-separated.
    assert.equal(leaf.serial.replace(/:/g, ''), serial);
    const sha256 = openssl(['x509', '-in', ws.path('apiserver.crt'), '-noout', '-fingerprint', '-sha256'])
      .trim()
      .split('=')[1];
    assert.equal(leaf.sha256, sha256);
    const sha1 = openssl(['x509', '-in', ws.path('apiserver.crt'), '-noout', '-fingerprint', '-sha1'])
      .trim()
      .split('=')[1];
    assert.equal(leaf.sha1, sha1);
    const endDate = openssl(['x509', '-in', ws.path('apiserver.crt'), '-noout', '-enddate'])
      .trim()
      .split('=')[1];
    assert.equal(leaf.notAfter.getTime(), new Date(endDate).getTime());
    assert.equal(leaf.signatureAlgorithm, 'sha256WithRSAEncryption');
    assert.equal(leaf.publicKey.description, 'RSA 2048');
    assert.equal(leaf.selfIssued, false);
    assert.equal(ca.selfIssued, true);
  });

  it('reads EC and Ed25519 keys with their curve', () => {
    ws.ecKey('p384.key', 'secp384r1');
    ws.ca('p384', '/CN=p384', { key: ws.path('p384.key') });
    assert.equal(only<CertificateInfo>(decodeFile(ws.path('p384.crt')), 'certificate').publicKey.description, 'EC P-384');
    openssl(['genpkey', '-algorithm', 'ed25519', '-out', ws.path('ed.key')]);
    ws.ca('ed', '/CN=ed', { key: ws.path('ed.key') });
    const ed = only<CertificateInfo>(decodeFile(ws.path('ed.crt')), 'certificate');
    assert.equal(ed.publicKey.description, 'Ed25519');
    assert.equal(ed.signatureAlgorithm, 'Ed25519');
  });

  it('detects DER by content, whatever the file name', () => {
    openssl(['x509', '-in', ws.path('apiserver.crt'), '-outform', 'DER', '-out', ws.path('apiserver.pem')]);
    const file = decodeFile(ws.path('apiserver.pem'));
    assert.equal(file.format, 'der');
    assert.equal((file.blocks[0].object as CertificateInfo).sha256, leaf.sha256);
  });

  it('decodes a CSR with its requested SANs and extensions', () => {
    ws.rsaKey('req.key');
    openssl([
      'req',
      '-new',
      '-key',
      ws.path('req.key'),
      '-subj',
      '/O=system:nodes/CN=system:node:worker-1',
      '-addext',
      'subjectAltName=DNS:worker-1,IP:192.168.1.7',
      '-addext',
      'extendedKeyUsage=clientAuth',
      '-out',
      ws.path('req.csr'),
    ]);
    const csr = only<CsrInfo>(decodeFile(ws.path('req.csr')), 'csr');
    assert.equal(csr.subject.text, 'O=system:nodes, CN=system:node:worker-1');
    assert.deepEqual(csr.requestedSubjectAltNames, [
      { type: 'DNS', value: 'worker-1' },
      { type: 'IP', value: '192.168.1.7' },
    ]);
    assert.deepEqual(csr.requestedExtendedKeyUsage, ['clientAuth']);
    assert.equal(csr.signatureValid, true);
    assert.equal(csr.publicKey.description, 'RSA 2048');
  });

  it('decodes private keys of every format by public facts only', () => {
    const cases: Array<[string, () => string, string, string]> = [
      ['rsa-pkcs1.key', () => ws.rsaKey('rsa-pkcs1.key', 2048, true), 'PKCS#1', 'RSA 2048'],
      ['rsa-pkcs8.key', () => ws.rsaKey('rsa-pkcs8.key', 3072, false), 'PKCS#8', 'RSA 3072'],
      ['ec-sec1.key', () => ws.ecKey('ec-sec1.key', 'prime256v1', true), 'SEC1', 'EC P-256'],
      ['ec-pkcs8.key', () => ws.ecKey('ec-pkcs8.key', 'prime256v1', false), 'PKCS#8', 'EC P-256'],
      [
        'ed25519.key',
        () => {
          openssl(['genpkey', '-algorithm', 'ed25519', '-out', ws.path('ed25519.key')]);
          return ws.path('ed25519.key');
        },
        'PKCS#8',
        'Ed25519',
      ],
    ];
    for (const [name, make, format, description] of cases) {
      const path = make();
      const key = only<PrivateKeyInfo>(decodeFile(path), 'privateKey');
      assert.equal(key.format, format, name);
      assert.equal(key.encrypted, false, name);
      assert.equal(key.publicKey?.description, description, name);
      // Its public half is the one openssl derives.
      const spki = openssl(['pkey', '-in', path, '-pubout', '-outform', 'DER', '-out', ws.path(`${name}.spki`)]);
      void spki;
      const expected = createHash('sha256')
        .update(readFileSync(ws.path(`${name}.spki`)))
        .digest('hex')
        .toUpperCase()
        .match(/../g)!
        .join(':');
      assert.equal(key.publicKey?.spkiSha256, expected, name);
      // Nothing the engine returns or prints carries the private key.
      const body = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('-----'))
        .join('');
      const der = Buffer.from(body, 'base64');
      const shown = JSON.stringify(objectToJson(key, new Date())) + renderText(describeObject(key));
      assert.ok(!shown.includes(body.slice(10, 40)), `${name}: base64 of the key shown`);
      assert.ok(!shown.toUpperCase().includes(der.subarray(40, 56).toString('hex').toUpperCase()), `${name}: hex of the key shown`);
    }
  });

  it('recognises encrypted keys, PKCS#8 and legacy PEM, without a passphrase', () => {
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-aes256', '-pass', 'pass:secret', '-out', ws.path('enc8.key')]);
    const pkcs8 = only<PrivateKeyInfo>(decodeFile(ws.path('enc8.key')), 'privateKey');
    assert.deepEqual([pkcs8.format, pkcs8.encrypted, pkcs8.publicKey], ['PKCS#8 (encrypted)', true, undefined]);
    openssl(['rsa', '-in', ws.path('rsa-pkcs1.key'), '-traditional', '-aes128', '-passout', 'pass:secret', '-out', ws.path('legacy.key')]);
    const legacy = only<PrivateKeyInfo>(decodeFile(ws.path('legacy.key')), 'privateKey');
    assert.deepEqual([legacy.format, legacy.encrypted], ['legacy PEM (encrypted)', true]);
    assert.match(legacy.problems[0].message, /AES-128-CBC/);
  });

  it('decodes public keys in SPKI and PKCS#1 form', () => {
    openssl(['rsa', '-in', ws.path('rsa-pkcs1.key'), '-pubout', '-out', ws.path('spki.pub')]);
    openssl(['rsa', '-in', ws.path('rsa-pkcs1.key'), '-RSAPublicKey_out', '-out', ws.path('pkcs1.pub')]);
    const spki = decodeFile(ws.path('spki.pub')).blocks[0].object;
    const pkcs1 = decodeFile(ws.path('pkcs1.pub')).blocks[0].object;
    assert.equal(spki?.kind, 'publicKey');
    assert.equal(pkcs1?.kind, 'publicKey');
    if (spki?.kind === 'publicKey' && pkcs1?.kind === 'publicKey') {
      assert.equal(spki.publicKey.spkiSha256, pkcs1.publicKey.spkiSha256);
      assert.equal(pkcs1.format, 'PKCS#1');
    }
  });

  it('flags a weak RSA key and an expired certificate', () => {
    ws.rsaKey('weak.key', 1024);
    ws.ca('weak', '/CN=weak', { key: ws.path('weak.key') });
    const weak = only<CertificateInfo>(decodeFile(ws.path('weak.crt')), 'certificate');
    assert.deepEqual(
      weak.problems.map((p) => p.code),
      ['weak-key'],
    );
    const future = describeObject(weak, new Date(Date.now() + 20 * 365 * 86_400_000));
    assert.ok(future.findings.some((f) => f.level === 'error' && /^EXPIRED \d+ days ago$/.test(f.text)));
  });
});

describe('decoding bad input', () => {
  it('gives a clear error for each kind of broken file, never a throw', () => {
    const cases: Array<[string, Uint8Array, string]> = [
      ['empty', new Uint8Array(), 'empty file'],
      ['whitespace', Buffer.from('  \n\n'), 'empty file'],
      ['text', Buffer.from('hello world\n'), 'no PEM block found (expected a "-----BEGIN ...-----" line)'],
      ['binary', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe]), 'binary data that is neither PEM nor DER'],
      ['too large', new Uint8Array(MAX_PKI_FILE_BYTES + 1), 'file too large (16.0 MiB; the limit is 16 MiB)'],
    ];
    for (const [name, bytes, error] of cases) {
      const file = decodePkiBytes(bytes);
      assert.equal(file.error, error, name);
      assert.deepEqual(file.blocks, [], name);
    }
  });

  it('reports garbage DER inside a PEM block on that block', () => {
    const garbage = Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]).toString('base64');
    const file = decodePkiBytes(Buffer.from(`-----BEGIN CERTIFICATE-----\n${garbage}\n-----END CERTIFICATE-----\n`));
    assert.equal(file.blocks.length, 1);
    assert.match(file.blocks[0].error ?? '', /^not a valid certificate: /);
  });

  it('reports a DER SEQUENCE that is no known structure', () => {
    const file = decodePkiBytes(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]));
    assert.equal(file.format, 'der');
    assert.equal(file.blocks[0].error, 'DER data that is not a certificate, certificate request, public key or private key');
  });

  it('reports an unsupported label and decodes the blocks around it', () => {
    const file = decodePkiBytes(Buffer.from('-----BEGIN FOO BAR-----\nAAAA\n-----END FOO BAR-----\n'));
    assert.equal(file.blocks[0].error, 'unsupported PEM label "FOO BAR": it holds no certificate, certificate request or key kube-pki can read');
  });

  it('decodes at most 1000 blocks of one file and says so for the rest, quickly', () => {
    const ca = readFileSync(__filename.replace(/out[\\/]test[\\/]unit[\\/]decode\.test\.js$/, 'examples/cluster/etc/kubernetes/pki/ca.crt'), 'utf8');
    const started = Date.now();
    const file = decodePkiBytes(Buffer.from(ca.repeat(MAX_DECODED_BLOCKS + 5)));
    assert.equal(file.blocks.length, MAX_DECODED_BLOCKS + 5);
    assert.ok(file.blocks.slice(0, MAX_DECODED_BLOCKS).every((b) => b.object?.kind === 'certificate'));
    assert.deepEqual([...new Set(file.blocks.slice(MAX_DECODED_BLOCKS).map((b) => b.error))], ['not decoded: the file has more than 1000 PEM blocks']);
    assert.ok(Date.now() - started < 10_000, 'identical blocks are decoded once');
  });

  it('keeps label-specific problems off the shared decoded certificate', () => {
    const ca = readFileSync(__filename.replace(/out[\\/]test[\\/]unit[\\/]decode\.test\.js$/, 'examples/cluster/etc/kubernetes/pki/ca.crt'), 'utf8');
    const legacy = decodePkiBytes(Buffer.from(ca.replace(/CERTIFICATE-----/g, 'X509 CERTIFICATE-----'))).blocks[0].object!;
    const plain = decodePkiBytes(Buffer.from(ca)).blocks[0].object!;
    assert.deepEqual(
      legacy.problems.map((p) => p.code),
      ['legacy-label'],
    );
    assert.deepEqual(plain.problems, []);
  });

  it('reports a truncated certificate', () => {
    const text = readFileSync(__filename.replace(/out[\\/]test[\\/]unit[\\/]decode\.test\.js$/, 'examples/cluster/etc/kubernetes/pki/ca.crt'), 'utf8');
    const lines = text.trim().split('\n');
    const truncated = [...lines.slice(0, 6), lines[lines.length - 1]].join('\n');
    const file = decodePkiBytes(Buffer.from(truncated));
    assert.match(file.blocks[0].error ?? '', /^not a valid certificate: /);
  });
});
