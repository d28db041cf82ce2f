import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { describeObject } from '../../server/src/engine/format/describe';
import type { CertificateInfo } from '../../server/src/engine/pki/certificate';
import { decodePkiBytes } from '../../server/src/engine/pki/decode';
import { signatureVerifications } from '../../server/src/engine/pki/signature';
import { chainsTo } from '../../server/src/engine/rules/helpers';
import { MAX_CHAIN_SIGNATURE_CHECKS, verifyCertificate } from '../../server/src/engine/verify/chain';
import { pathToUri } from '../../server/src/lsp/convert';
import { runCli } from '../support/cli';
import { bigExponentCas, sharedKeyIntermediates } from '../support/hostileChains';
import { LspTestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/paths';

const EXAMPLE = join(REPO_ROOT, 'examples', 'cluster');
const CA = join(EXAMPLE, 'etc/kubernetes/pki/ca.crt');
const GAVE_UP =
  "the chain search gave up after 100 signature checks (Go's limit, crypto/x509 maxChainSignatureChecks): too many candidate issuers share a name, so the certificate was neither accepted nor found unsigned";

function certs(text: string): CertificateInfo[] {
  const file = decodePkiBytes(new Uint8Array(Buffer.from(text)));
  return file.blocks.map((b) => {
    assert.equal(b.object?.kind, 'certificate', b.error);
    return b.object as CertificateInfo;
  });
}

const scratch: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-pki-budget-'));
  scratch.push(dir);
  return dir;
}
after(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the example cluster whose admin.conf presents `bundle` (leaf + intermediates) as its client certificate. */
function clusterWithAdminBundle(bundle: string): string {
  const root = tempDir();
  cpSync(EXAMPLE, root, { recursive: true });
  const admin = join(root, 'etc/kubernetes/admin.conf');
  const data = Buffer.from(bundle).toString('base64');
  writeFileSync(admin, readFileSync(admin, 'utf8').replace(/client-certificate-data: \S+/, `client-certificate-data: ${data}`));
  return root;
}

describe("chain building is bounded by Go's signature-check budget", () => {
  const trusted = certs(readFileSync(CA, 'utf8'));

  it('K same-name intermediates sharing a key, each with its own SAN: the search gives up at 100 checks, whatever K', () => {
    for (const k of [14, 28]) {
      const [leaf, ...intermediates] = certs(sharedKeyIntermediates(k, { distinctSans: true }).leafAndIntermediates);
      const result = verifyCertificate(leaf, { trusted, intermediates });
      assert.equal(result.tooComplex, true);
      assert.equal(result.accepted, false);
      assert.equal(result.signatureChecks, MAX_CHAIN_SIGNATURE_CHECKS);
      assert.deepEqual(result.reasons, [`CN=attacker: ${GAVE_UP}`]);
      // Not a verdict on the certificate: no signature or chain failure is reported.
      assert.deepEqual(
        result.checks.filter((c) => !c.ok).map((c) => c.check),
        ['chain-too-complex'],
      );
    }
  });

  it('copies sharing subject, key and SAN are pruned as Go prunes them: checks grow linearly and the verdict is "not trusted"', () => {
    for (const k of [14, 28]) {
      const [leaf, ...intermediates] = certs(sharedKeyIntermediates(k).leafAndIntermediates);
      const result = verifyCertificate(leaf, { trusted, intermediates });
      assert.equal(result.tooComplex, false);
      // The leaf tries K copies and the CA; each copy then only the CA (its siblings are "already in the chain").
      assert.equal(result.signatureChecks, 2 * k + 1);
      assert.deepEqual(result.reasons, [
        'CN=attacker: no chain to a trusted CA could be built',
        'CN=kubernetes: a RSA key cannot make a ecdsa-with-SHA256 signature',
        'CN=attacker: a RSA key cannot make a ecdsa-with-SHA256 signature',
      ]);
    }
  });

  it('kube-pki verify prints the budget as its reason and exits 1; JSON says tooComplex', () => {
    const dir = tempDir();
    const chain = sharedKeyIntermediates(14, { distinctSans: true });
    writeFileSync(join(dir, 'leaf.crt'), chain.leaf);
    writeFileSync(join(dir, 'intermediates.crt'), chain.intermediates);
    const text = runCli(['verify', join(dir, 'leaf.crt'), '--ca', CA, '--intermediates', join(dir, 'intermediates.crt')]);
    assert.equal(text.status, 1, text.stderr);
    assert.ok(text.stdout.endsWith(`${join(dir, 'leaf.crt')}: REJECTED\n  - CN=attacker: ${GAVE_UP}\n`), text.stdout);
    assert.match(text.stdout, /\n {2}FAIL chain-too-complex {3}CN=attacker: the chain search gave up after 100 signature checks/);
    const json = runCli(['verify', join(dir, 'leaf.crt'), '--ca', CA, '--intermediates', join(dir, 'intermediates.crt'), '--format', 'json']);
    assert.equal(json.status, 1, json.stderr);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.accepted, false);
    assert.equal(parsed.tooComplex, true);
    assert.equal(parsed.signatureChecks, 100);
    assert.deepEqual(parsed.reasons, [`CN=attacker: ${GAVE_UP}`]);
  });

  it('kube-pki check: a kubeconfig holding the leaf and K intermediates is a chain-too-complex warning, not a ca-mismatch', () => {
    const root = clusterWithAdminBundle(sharedKeyIntermediates(14, { distinctSans: true }).leafAndIntermediates);
    const run = runCli(['check', root, '--format', 'json']);
    assert.equal(run.status, 1, run.stderr);
    const findings = JSON.parse(run.stdout).diagnostics as Array<{ file: string; code: string; severity: string; message: string; line: number }>;
    const onAdmin = findings.filter((f) => f.file === 'etc/kubernetes/admin.conf' && (f.code === 'chain-too-complex' || f.code === 'ca-mismatch'));
    assert.deepEqual(
      onAdmin.map((f) => ({ code: f.code, severity: f.severity, message: f.message })),
      [
        {
          code: 'chain-too-complex',
          severity: 'warning',
          message: `the client-certificate-data of kubernetes-admin in admin.conf against ca.crt (from --client-ca-file in kube-apiserver.yaml): ${GAVE_UP}; Go gives up the same way and rejects the connection`,
        },
      ],
    );
  });

  it('the language server answers a hover on that kubeconfig and publishes the warning', { timeout: 120_000 }, async () => {
    const root = clusterWithAdminBundle(sharedKeyIntermediates(14, { distinctSans: true }).leafAndIntermediates);
    const client = new LspTestClient();
    await client.initialize(pathToUri(root), { trusted: true });
    try {
      const file = join(root, 'etc/kubernetes/admin.conf');
      const uri = pathToUri(file);
      const text = readFileSync(file, 'utf8');
      await client.open(uri, text, 'yaml');
      const line = text.split('\n').findIndex((l) => l.includes('client-certificate-data:'));
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character: 30 } });
      const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
      assert.ok(value.startsWith('**client-certificate-data** · client certificate (base64) (kubeconfig)  \n'), value.slice(0, 200));
      assert.ok(value.includes('\n\n**Certificate CN=attacker**  \n'), value.slice(0, 2000));
      const diagnostics = await client.settle();
      assert.deepEqual(
        (diagnostics.get(uri) ?? [])
          .filter((d) => d.code === 'chain-too-complex' || d.code === 'ca-mismatch')
          .map((d) => [d.code, d.severity, d.range.start.line]),
        [['chain-too-complex', 2, line]],
      );
    } finally {
      await client.shutdown();
    }
  });
});

describe('RSA keys Go refuses cost nothing', () => {
  const fakes = certs(bigExponentCas(300));
  const ca = certs(readFileSync(CA, 'utf8'))[0];
  const apiserver = certs(readFileSync(join(EXAMPLE, 'etc/kubernetes/pki/apiserver.crt'), 'utf8'))[0];

  it('a 2,040-bit exponent is described as unusable and never verified, not even the self-signature', () => {
    const before = signatureVerifications.count;
    const findings = fakes.map((cert) => describeObject(cert).findings.map((f) => `[${f.level}] ${f.text}`));
    assert.equal(signatureVerifications.count - before, 0);
    assert.equal(fakes[0].publicKey.description, 'RSA 2048');
    assert.ok(findings[0].includes('[warning] self-issued; its signature is not checked, as its key cannot be used'), findings[0].join('\n'));
    assert.ok(
      findings[0].includes(
        '[warning] RSA 2048 key: its RSA public exponent has 2040 bits, above 2^31-1, which Go refuses (crypto/rsa: public exponent too large): the key cannot be used and no signature is checked with it',
      ),
      findings[0].join('\n'),
    );
  });

  it('a leaf is checked against its CA only, not against every same-named fake in the bundle', () => {
    const before = signatureVerifications.count;
    const verdict = chainsTo(apiserver, [...fakes, ca]);
    assert.deepEqual(verdict, { ok: true, reason: '', tooComplex: false });
    assert.ok(signatureVerifications.count - before <= 1, `${signatureVerifications.count - before} signature verifications`);
  });

  it('kube-pki inspect says why such a key is unusable', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fakes.crt'), bigExponentCas(2));
    const run = runCli(['inspect', join(dir, 'fakes.crt')]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /\n {4}Key: {17}RSA 2048\n/);
    assert.match(run.stdout, /\n {4}\[WARNING\] RSA 2048 key: its RSA public exponent has 2040 bits, above 2\^31-1, which Go refuses/);
  });
});
