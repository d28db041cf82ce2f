import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { describeObject } from '../../server/src/engine/format/describe';
import { codeSpan, escapeMarkdown, renderMarkdown } from '../../server/src/engine/format/markdown';
import { decodePemText } from '../../server/src/engine/pki/decode';
import { displayText } from '../../server/src/engine/text/displayText';
import { HOSTILE_CN, hostileCertificate } from '../support/hostileText';

// A real CommonMark + GFM renderer judges the escaping (markdown-it, which @vscode/vsce brings): raw HTML
// and autolinks on, as permissive as a hover renderer gets.
interface MarkdownIt {
  renderInline(text: string): string;
  linkify: { set(options: { fuzzyLink: boolean; fuzzyEmail: boolean }): void };
}
const markdownIt = createRequire(__filename)('markdown-it') as (options: { html: boolean; linkify: boolean }) => MarkdownIt;
const md = markdownIt({ html: true, linkify: true });
md.linkify.set({ fuzzyLink: false, fuzzyEmail: true });

/** What a reader sees of rendered inline Markdown: no tags, entities decoded. */
function visible(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

const HOSTILE = [
  'CN=[click me](javascript:alert(1))',
  '](javascript:alert(1))',
  'O=<img src=x onerror=alert(1)>',
  'a `code` and ``two`` b',
  '*bold* _em_ **strong** __strong__ ~~gone~~ ~one~',
  'https://evil.example/x www.evil.example admin@evil.example HTTPS://EVIL WWW.EVIL',
  '&amp; &#x3C;img&#x3E; &lt;',
  '![image](https://x/y.png) [ref][1] <https://evil> <a@b.c>',
  'a | b | c',
  '\\*not bold\\* trailing backslash \\',
  `${HOSTILE_CN}`,
  'line\nbreak\r\nand\u2028more',
];

describe('hover Markdown: untrusted text inert, and readable where the Markdown source is shown', () => {
  it('renders every hostile string as its own text: no link, image, HTML, emphasis or code', () => {
    for (const text of HOSTILE) {
      const html = md.renderInline(`✗ ${escapeMarkdown(text)}`);
      assert.doesNotMatch(html, /<(a|img|em|strong|code|s|del|table)\b/, `${text} -> ${html}`);
      assert.equal(visible(html), `✗ ${displayText(text)}`, text);
    }
  });

  it('puts no backslash where Markdown would not interpret the character (Neovim shows it)', () => {
    for (const text of [
      'kube-apiserver',
      '10.96.0.1',
      'CN=kube-apiserver',
      'DNS:kubernetes.default.svc',
      'O=system:masters, CN=x (y)',
      '--tls-cert-file',
      '#1 + 2 = 3!',
    ])
      assert.equal(escapeMarkdown(text), text);
  });

  it('code spans: a fence longer than any backtick run inside, padded as CommonMark says', () => {
    assert.equal(codeSpan('5F:F1'), '`5F:F1`');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`a``'), '``` `a`` ```');
    assert.equal(codeSpan(' a '), '`  a  `');
    for (const text of ['a`b', '`a``', ' a ', '``', 'x\u001b[2J <img src=x> [l](javascript:y)', ' ']) {
      const html = md.renderInline(codeSpan(text));
      assert.match(html, /^<code>[^<]*<\/code>$/, `${JSON.stringify(text)} -> ${html}`);
      assert.equal(visible(html), displayText(text), JSON.stringify(text));
    }
  });

  it('a certificate hover leads with its verdicts, then its essential fields; the rest is apart', async () => {
    const { cert } = await hostileCertificate(10);
    const object = decodePemText(cert).blocks[0].object!;
    const { markdown, rest } = renderMarkdown(describeObject(object, new Date(), 30));
    const lines = markdown.split('\n');
    assert.match(lines[0], /^\*\*CA certificate CN=evil\\\\x1b\\\]0;TITLE/);
    assert.match(lines[1], /^⚠ expires in (9|10) days {2}$/);
    assert.ok(lines.slice(0, 4).some((l) => l.startsWith('ℹ self-signed')));
    assert.ok(!markdown.includes('fingerprint') && rest.includes('SHA-256 fingerprint: `'), rest);
    assert.match(markdown, /\nValidity: \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d {2}\n/);
    assert.equal(md.renderInline(markdown).match(/<(a|img|em|code)\b/), null);
  });
});
