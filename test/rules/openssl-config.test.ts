import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FixSpec } from '../../server/src/engine/check/fixSpec';
import { opensslConfig } from '../../server/src/engine/rules/opensslConfig';
import { LineIndex } from '../../server/src/engine/text/lineIndex';
import { missingPeer, OpensslWorkspace } from '../support/openssl';
import { REPO_ROOT } from '../support/paths';
import { contextOf, findings } from '../support/ruleTester';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'openssl');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const check = (name: string) => findings(opensslConfig, { 'openssl.cnf': fixture(name) });

/** The fixes of every finding, applied to the text as an editor applies a workspace edit. */
async function fixed(text: string): Promise<string> {
  const ctx = await contextOf({ 'openssl.cnf': text });
  const fixes: FixSpec[] = [];
  opensslConfig.check(ctx, (_at, message, fix) => {
    assert.ok(fix, `no fix for: ${message}`);
    fixes.push(fix);
  });
  const lines = new LineIndex(text);
  const edits = fixes
    .flatMap((f) => (f.kind === 'edit-text' ? f.edits : []))
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  return edits.reduce((out, e) => out.slice(0, e.start) + e.text + out.slice(e.end), text);
}

describe('openssl-config', () => {
  it("reports the seed's openssl.cnf three times, each on its line, with the fix", async () => {
    assert.deepEqual(await check('seed.cnf'), [
      `openssl.cnf:3:22-3:44 [req] distinguished_name = req_distinguished_name names a section this file does not have: openssl req stops with "Unable to get 'req_distinguished_name' section" [fix: Add an empty [ req_distinguished_name ] section]`,
      'openssl.cnf:5:1-5:17 [v3_req] basicContrainsts is not an extension openssl knows (did you mean basicConstraints?): openssl stops with "unknown extension name" [fix: Rename to basicConstraints]',
      'openssl.cnf:6:12-6:27 [v3_req] keyUsage = nonRepudiation, has an empty item: openssl rejects the list ("invalid empty name") [fix: Remove the stray comma]',
    ]);
    // The three fixes together give the profile openssl takes.
    assert.equal(await fixed(fixture('seed.cnf')), fixture('seed-fixed.cnf'));
    assert.deepEqual(await check('seed-fixed.cnf'), []);
  });

  it('reports values keyUsage, extendedKeyUsage and basicConstraints do not take, on the item', async () => {
    assert.deepEqual(await check('values.cnf'), [
      'openssl.cnf:10:30-10:37 [v3_ext] basicConstraints: CA:FALS is not CA:TRUE or CA:FALSE (did you mean CA:FALSE?): openssl stops with "invalid boolean string" [fix: Replace with CA:FALSE]',
      'openssl.cnf:11:22-11:38 [v3_ext] keyUsage: digitalSigniture is not a key usage openssl knows (did you mean digitalSignature?): openssl stops with "unknown bit string argument" [fix: Replace with digitalSignature]',
      'openssl.cnf:12:20-12:42 [v3_ext] extendedKeyUsage = serverAuth,,clientAuth has an empty item: openssl rejects the list ("invalid empty name") [fix: Remove the stray comma]',
    ]);
    assert.deepEqual(await check('eku.cnf'), [
      'openssl.cnf:6:20-6:30 [v3_ext] extendedKeyUsage: serverAuht is not an extended key usage openssl knows (did you mean serverAuth?): openssl stops with "invalid object identifier" [fix: Replace with serverAuth]',
    ]);
  });

  it('reports a section named by x509_extensions or @name that is not there, suggesting a near name', async () => {
    assert.deepEqual(await check('sections.cnf'), [
      'openssl.cnf:4:19-4:24 [req] x509_extensions = v3_ca names a section this file does not have: openssl req -x509 and openssl ca stop with "Error checking x509 extension section v3_ca"',
      'openssl.cnf:10:19-10:27 [v3_req] subjectAltName = @alt_name names a section this file does not have (did you mean alt_names?): openssl stops with "invalid extension string" [fix: Name [ alt_names ] instead]',
    ]);
  });

  it('takes what openssl takes: extensions chosen with -extensions, generic ASN1 values, a value section, critical, a file that includes others', async () => {
    const text = [
      '.include /etc/ssl/common.cnf',
      '[ req ]',
      'distinguished_name = dn_from_include',
      '[ ssl_client ]',
      'extendedKeyUsage = critical, clientAuth, 1.3.6.1.5.5.7.3.2',
      'basicConstraints = CA:false, pathlen:0',
      'keyUsage = Digital Signature',
      'subjectKeyIdentifier = hash',
      '1.2.3.4 = ASN1:UTF8String:kube',
      'nsComment = "made, by hand,"',
      '[ dn ]',
      'CN = admin',
      'O = system:masters',
      '',
    ].join('\n');
    assert.deepEqual(await findings(opensslConfig, { 'openssl.cnf': text }), []);
    // Without the include, the missing section is reported; no fix under prompt = no (an empty subject section fails too).
    const alone = text.replace('.include /etc/ssl/common.cnf\n', '').replace('[ ssl_client ]', 'prompt = no\n[ ssl_client ]');
    assert.deepEqual(await findings(opensslConfig, { 'openssl.cnf': alone }), [
      `openssl.cnf:2:22-2:37 [req] distinguished_name = dn_from_include names a section this file does not have: openssl req stops with "Unable to get 'dn_from_include' section"`,
    ]);
  });

  it('reads keys as file content: a key named like an object property is only a key', async () => {
    const text = '[ req ]\ndistinguished_name = dn\nconstructor = x\n[ dn ]\n[ v3_req ]\nkeyUsage = digitalSignature\n__proto__ = y\n';
    assert.deepEqual(await findings(opensslConfig, { 'openssl.cnf': text }), [
      'openssl.cnf:7:1-7:10 [v3_req] __proto__ is not an extension openssl knows: openssl stops with "unknown extension name"',
    ]);
  });

  it('reports nothing in the hard way ca.conf', async () => {
    assert.deepEqual(await findings(opensslConfig, { 'ca.conf': readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'kinds', 'ca.conf'), 'utf8') }), []);
  });
});

const skip = missingPeer('openssl');

describe('openssl-config agrees with openssl req', { skip }, () => {
  const ws = skip ? undefined : new OpensslWorkspace();
  after(() => ws?.dispose());
  const req = (config: string) => {
    const key = ws!.path('k.key');
    const cnf = ws!.write('t.cnf', config);
    return spawnSync('openssl', ['req', '-new', '-key', key, '-subj', '/CN=kube-apiserver', '-config', cnf, '-out', ws!.path('t.csr')], { encoding: 'utf8' });
  };

  it('openssl refuses each profile the rule reports, and takes the fixed ones', async () => {
    ws!.ecKey('k.key');
    for (const name of ['seed.cnf', 'values.cnf', 'eku.cnf', 'sections.cnf']) {
      assert.ok((await check(name)).length > 0, name);
      assert.notEqual(req(fixture(name)).status, 0, `openssl req took ${name}`);
    }
    for (const name of ['seed.cnf', 'values.cnf', 'eku.cnf']) {
      const result = req(await fixed(fixture(name)));
      assert.equal(result.status, 0, `openssl req refused ${name} once fixed: ${result.stderr}`);
    }
    assert.equal(req(fixture('seed-fixed.cnf')).status, 0);
  });
});
