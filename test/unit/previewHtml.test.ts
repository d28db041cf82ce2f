import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { escapeHtml, openTargets, renderPreviewHtml } from '../../client/src/previewHtml';
import { PreviewBlock, PreviewData, previewData } from '../../server/src/engine/features/previewData';
import { decodePkiBytes } from '../../server/src/engine/pki/decode';

const NONCE = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const CSP_SOURCE = 'vscode-webview://test-source';
const options = { nonce: NONCE, cspSource: CSP_SOURCE };
const EXPECTED_CSP = `default-src 'none'; style-src ${CSP_SOURCE} 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; img-src ${CSP_SOURCE} data:;`;

const XSS_SCRIPT = '<script>alert(1)</script>';
const XSS_IMG = '"><img src=x onerror=alert(1)>';
const MD_COMMAND = '[x](command:workbench.action.terminal.new)';
const EVIL = `CN=${XSS_SCRIPT} O=${XSS_IMG} ${MD_COMMAND} \`tick\` \u202Egnp.exe`;

function data(blocks: PreviewBlock[], extra: Partial<PreviewData> = {}): PreviewData {
  return { path: '/tmp/test.pem', now: '2025-06-01T00:00:00.000Z', format: 'pem', blocks, chain: [], ...extra };
}

function certBlock(index: number, subject: string, over: Partial<PreviewBlock> = {}): PreviewBlock {
  return {
    index,
    label: 'CERTIFICATE',
    kind: 'certificate',
    title: `Certificate ${subject}`,
    fields: [
      { label: 'Subject', value: subject },
      { label: 'Subject Alternative Names', value: ['DNS:a.example', 'IP:10.0.0.1'] },
    ],
    findings: [{ level: 'ok', text: 'expires in 200 days' }],
    daysLeft: 200,
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2025-12-18T00:00:00.000Z',
    subject,
    issuer: 'CN=ca',
    isCA: false,
    selfSigned: false,
    sha256: 'AA:BB:CC',
    sha1: '11:22:33',
    line: 0,
    ...over,
  };
}

/** Text content of the page: tags removed (rough, enough to check what a reader sees). */
function visibleText(html: string): string {
  return html.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, '').replace(/<[^>]*>/g, ' ');
}

describe('renderPreviewHtml: security', () => {
  const html = renderPreviewHtml(data([certBlock(0, 'CN=plain')]), options);

  it('has exactly the strict Content-Security-Policy', () => {
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
    assert.equal(metas.length, 1);
    const csp = metas[0][1];
    assert.equal(csp, EXPECTED_CSP);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('puts the nonce on every <script> and <style>, and has exactly one script', () => {
    const tags = [...html.matchAll(/<(script|style)\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(tags.length >= 2);
    for (const tag of tags) assert.ok(tag.includes(`nonce="${NONCE}"`), tag);
    assert.equal(tags.filter((t) => t.startsWith('<script')).length, 1);
    assert.doesNotMatch(html, /<script[^>]*\bsrc=/);
    assert.doesNotMatch(html, /<link\b/);
  });

  it('has no inline event handlers or style attributes', () => {
    assert.doesNotMatch(html, /\son\w+\s*=/i);
    assert.doesNotMatch(html, /\sstyle\s*=/i);
  });

  it('refuses a nonce or cspSource that would break out of the policy', () => {
    assert.throws(() => renderPreviewHtml(data([]), { nonce: `x'; script-src *`, cspSource: CSP_SOURCE }));
    assert.throws(() => renderPreviewHtml(data([]), { nonce: NONCE, cspSource: `a"><script>` }));
  });
});

describe('renderPreviewHtml: untrusted certificate text', () => {
  const evilBlock = certBlock(0, EVIL, {
    title: `Certificate ${EVIL}`,
    label: EVIL,
    fields: [
      { label: `Subject ${XSS_IMG}`, value: EVIL },
      { label: 'SANs', value: [XSS_SCRIPT, MD_COMMAND, '\u202Eevil'] },
    ],
    findings: [{ level: 'warning', text: `finding ${XSS_SCRIPT}` }],
    sha256: `AA"><img src=x onerror=alert(1)>`,
    issuer: EVIL,
  });
  const html = renderPreviewHtml(
    data([evilBlock, certBlock(1, 'CN=ca')], { path: `/tmp/${XSS_IMG}.pem`, chain: [{ from: 0, to: 1, verified: false, reason: XSS_SCRIPT }] }),
    options,
  );

  it('escapes markup everywhere', () => {
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /onerror=alert\(1\)>/);
    assert.equal([...html.matchAll(/<script\b/g)].length, 1);
    assert.doesNotMatch(html, /<a\b|href=/);
  });

  it('keeps the text visible, escaped', () => {
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes(MD_COMMAND));
    assert.ok(html.includes('&#96;tick&#96;'));
    assert.ok(!html.includes('`tick`'));
  });

  it('neutralises bidi controls', () => {
    assert.doesNotMatch(html, /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
    assert.ok(html.includes('[U+202E]gnp.exe'));
    assert.equal(escapeHtml('a\u2066b\u200Fc'), 'a[U+2066]b[U+200F]c');
  });

  it('escapes attribute values: the copy button carries the escaped fingerprint', () => {
    assert.ok(html.includes('data-copy="AA&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"'));
  });

  it('escapes all six characters', () => {
    assert.equal(escapeHtml(`&<>"'\``), '&amp;&lt;&gt;&quot;&#39;&#96;');
  });
});

describe('renderPreviewHtml: content', () => {
  it('puts fingerprints in data attributes of copy buttons; the script reads them from there', () => {
    const html = renderPreviewHtml(data([certBlock(0, 'CN=leaf', { sha256: 'AB:CD:EF:01', sha1: '12:34:56' })]), options);
    assert.match(html, /<button type="button" class="copy" data-copy="AB:CD:EF:01">Copy<\/button>/);
    assert.match(html, /<button type="button" class="copy" data-copy="12:34:56">Copy<\/button>/);
    const script = /<script[^>]*>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    assert.ok(script.includes('navigator.clipboard.writeText'));
    assert.ok(script.includes('dataset.copy'));
    assert.ok(!script.includes('AB:CD:EF:01'));
    assert.ok(html.includes('addEventListener'));
  });

  it('shows each fingerprint once, in its row with a Copy button, and the path as the user knows it', () => {
    const block = certBlock(0, 'CN=leaf', {
      sha256: 'AB:CD',
      fields: [
        { label: 'Subject', value: 'CN=leaf' },
        { label: 'SHA-256 fingerprint', value: 'AB:CD' },
        { label: 'SHA-1 fingerprint', value: '11:22:33' },
      ],
    });
    const html = renderPreviewHtml(data([block]), { ...options, displayPath: 'etc/kubernetes/pki/ca.crt' });
    assert.equal(html.split('AB:<wbr>CD').length - 1, 1, 'shown once, wrapping after each group');
    assert.equal([...html.matchAll(/<tr>/g)].length, 1);
    assert.match(html, /<h1 title="[^"]*">etc\/kubernetes\/pki\/ca\.crt<\/h1>/);
  });

  it('renders lists one per line, findings with text markers, and the validity timeline', () => {
    const html = renderPreviewHtml(
      data([
        certBlock(0, 'CN=leaf', {
          findings: [
            { level: 'error', text: 'EXPIRED 3 days ago' },
            { level: 'info', text: 'self-signed' },
          ],
        }),
      ]),
      options,
    );
    // Names wrap at label boundaries, not mid-label.
    assert.ok(html.includes('<div>DNS:<wbr>a.<wbr>example</div><div>IP:<wbr>10.<wbr>0.<wbr>0.<wbr>1</div>'));
    assert.ok(html.includes('✗ Error</span> EXPIRED 3 days ago'));
    assert.ok(html.includes('ℹ Info</span> self-signed'));
    assert.match(html, /class="timeline error"/);
    assert.ok(html.includes('2025-01-01T00:00:00.000Z') && html.includes('2025-12-18T00:00:00.000Z'));
    // now (2025-06-01) is 151 of 351 days in: 43.02%.
    assert.match(html, /<line class="now" x1="43\.02%" x2="43\.02%"/);
    assert.match(html, /<rect class="win cert" x="0\.00%" y="16" width="100\.00%"/);
    assert.ok(visibleText(html).includes('200 days left'));
  });

  it('renders a private key with its public fields only', () => {
    const key: PreviewBlock = {
      index: 0,
      label: 'PRIVATE KEY',
      kind: 'privateKey',
      title: 'RSA private key 2048',
      fields: [
        { label: 'Format', value: 'PKCS#8' },
        { label: 'Key', value: 'RSA 2048' },
        { label: 'Public key SHA-256', value: 'deadbeef' },
      ],
      findings: [{ level: 'info', text: 'private key: contents not shown' }],
      line: 0,
    };
    const html = renderPreviewHtml(data([key]), options);
    const text = visibleText(html);
    for (const expected of ['RSA private key 2048', 'PKCS#8', 'RSA 2048', 'deadbeef', 'private key: contents not shown'])
      assert.ok(text.includes(expected), expected);
    assert.doesNotMatch(html, /class="timeline|data-copy=|class="chain"/);
    assert.equal([...html.matchAll(/<tr>/g)].length, 3);
  });

  it('shows the error of an unreadable file', () => {
    const html = renderPreviewHtml(data([], { format: 'none', error: 'the file is empty <nothing to decode>' }), options);
    assert.match(html, /role="alert"/);
    assert.ok(html.includes('the file is empty &lt;nothing to decode&gt;'));
  });

  it('renders chain links with ✓ and ✗', () => {
    const blocks = [certBlock(0, 'CN=leaf'), certBlock(1, 'CN=ca', { isCA: true }), certBlock(2, 'CN=other')];
    const chain = [
      { from: 0, to: 1, verified: true, reason: '' },
      { from: 2, to: 1, verified: false, reason: 'signature does not verify' },
    ];
    const html = renderPreviewHtml(data(blocks, { chain }), options);
    const section = /<section class="chain">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    assert.match(section, /CN=leaf <span class="arrow">→ issued by →<\/span> CN=ca <span class="verdict ok">✓ verified<\/span>/);
    assert.match(
      section,
      /CN=other <span class="arrow">→ issued by →<\/span> CN=ca <span class="verdict error">✗ not verified<\/span><div class="reason">signature does not verify<\/div>/,
    );
  });
});

describe('renderPreviewHtml with the real engine', () => {
  it('shows the apiserver certificate verified under the cluster CA', () => {
    const pki = join(__dirname, '..', '..', '..', 'examples', 'cluster', 'etc', 'kubernetes', 'pki');
    const bytes = Buffer.concat([readFileSync(join(pki, 'ca.crt')), readFileSync(join(pki, 'apiserver.crt'))]);
    const preview = previewData(join(pki, 'ca+apiserver.crt'), decodePkiBytes(new Uint8Array(bytes)));
    const json: PreviewData = JSON.parse(JSON.stringify(preview)); // what the client really receives
    const html = renderPreviewHtml(json, options);
    // For a visual check: KUBE_PKI_PREVIEW_OUT=/tmp/preview.html node --test out/test/unit/previewHtml.test.js
    if (process.env.KUBE_PKI_PREVIEW_OUT) writeFileSync(process.env.KUBE_PKI_PREVIEW_OUT, html);

    assert.equal(json.blocks.length, 2);
    const [ca, apiserver] = json.blocks;
    assert.equal(ca.kind, 'certificate');
    assert.equal(apiserver.kind, 'certificate');
    assert.ok(html.includes(escapeHtml(ca.title)), ca.title);
    assert.ok(html.includes(escapeHtml(apiserver.title)), apiserver.title);
    const link = json.chain.find((l) => l.from === apiserver.index && l.to === ca.index);
    assert.ok(link?.verified, 'apiserver is issued by the CA');
    const section = /<section class="chain">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    assert.ok(
      section.includes(
        `${escapeHtml(apiserver.subject)} <span class="arrow">→ issued by →</span> ${escapeHtml(ca.subject)} <span class="verdict ok">✓ verified</span>`,
      ),
      section,
    );
    assert.ok(html.includes(`data-copy="${escapeHtml(apiserver.sha256)}"`));
  });
});

describe('renderPreviewHtml: the workspace chain, references and the timeline of the CAs', () => {
  const leaf = certBlock(0, 'CN=leaf', {
    role: `apiserver${XSS_IMG}`,
    notAfter: '2027-01-01T00:00:00.000Z',
    caChain: [
      {
        role: `ca${XSS_SCRIPT}`,
        subject: 'CN=kubernetes',
        file: `/ws/pki/c${XSS_IMG}a.crt`,
        line: 0,
        notBefore: '2024-01-01T00:00:00.000Z',
        notAfter: '2026-01-01T00:00:00.000Z',
        verified: false,
        reason: `signature does not verify ${XSS_SCRIPT}`,
      },
    ],
    references: [{ file: '/ws/manifests/kube-apiserver.yaml', line: 40, component: 'kube-apiserver', name: `--tls-cert-file${XSS_SCRIPT}` }],
  });
  const page = data([leaf]);
  const html = renderPreviewHtml(page, options);

  it('draws the CA above the certificate on one scale, and says when the certificate outlives it', () => {
    // 2024-01-01 .. 2027-01-01 is 1096 days; the CA ends at 731, the leaf starts at 366.
    assert.match(html, /<rect class="win ca" x="0\.00%" y="16" width="66\.70%"/);
    assert.match(html, /<rect class="win cert" x="33\.39%" y="38" width="66\.61%"/);
    assert.match(html, /<rect class="win outlives" x="66\.70%" y="38" width="33\.30%"/);
    assert.ok(visibleText(html).includes('outlives its CA ca&lt;script&gt;alert(1)&lt;/script&gt; by 365 days: it is not trusted after 2026-01-01'));
  });

  it('a certificate ending within a day after its CA (issued together) is not said to outlive it', () => {
    const ca = { ...leaf.caChain![0], notAfter: '2026-12-31T23:59:59.000Z' };
    const together = renderPreviewHtml(data([{ ...leaf, notAfter: '2027-01-01T00:00:00.000Z', caChain: [ca] }]), options);
    assert.ok(!visibleText(together).includes('outlives') && !together.includes('class="win outlives"'), 'one second later is no warning');
    assert.match(together, /<rect class="win ca"/);
  });

  it('links the chain and the references by index, escaped; the extension opens its own list', () => {
    assert.deepEqual(openTargets(page), [
      { file: `/ws/pki/c${XSS_IMG}a.crt`, line: 0 },
      { file: '/ws/manifests/kube-apiserver.yaml', line: 40 },
    ]);
    assert.match(html, /<a href="#" class="open" data-open="0" title="\/ws\/pki\/c&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;a\.crt:1">/);
    assert.match(html, /<a href="#" class="open" data-open="1" title="\/ws\/manifests\/kube-apiserver\.yaml:41">kube-apiserver.<wbr>yaml:<wbr>41<\/a>/);
    assert.ok(html.includes('✗ not verified'));
    assert.ok(!html.includes(XSS_SCRIPT) && !html.includes('<img src=x'), 'no workspace text as markup');
    const script = html.match(/<script nonce="[^"]+">([\s\S]*?)<\/script>/)![1];
    assert.ok(script.includes("postMessage({ type: 'open', index: Number(link.dataset.open) })"));
    assert.ok(!script.includes('/ws/'), 'no path in the script');
  });
});
