import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanPem } from '../../server/src/engine/pki/pem';

const BODY = 'MIIBszCCAVmgAwIBAgIU'; // 20 base64 chars: decodes to 15 bytes

describe('scanPem', () => {
  it('finds blocks with exact offsets and ranges among leading text', () => {
    const text = `subject=CN=x\nissuer=CN=x\n-----BEGIN CERTIFICATE-----\n${BODY}\n-----END CERTIFICATE-----\ntrailing words\n`;
    const [block] = scanPem(text);
    assert.equal(block.label, 'CERTIFICATE');
    assert.equal(text.slice(block.span.start, block.span.end), `-----BEGIN CERTIFICATE-----\n${BODY}\n-----END CERTIFICATE-----`);
    assert.deepEqual(block.range, { start: { line: 2, character: 0 }, end: { line: 4, character: 25 } });
    assert.equal(text.slice(block.bodySpan.start, block.bodySpan.end), BODY);
    assert.equal(block.der?.length, 15);
    assert.equal(block.error, undefined);
  });

  it('tolerates CRLF line ends', () => {
    const text = `-----BEGIN PUBLIC KEY-----\r\n${BODY}\r\n-----END PUBLIC KEY-----\r\n`;
    const [block] = scanPem(text);
    assert.equal(block.error, undefined);
    assert.deepEqual(block.range.end, { line: 2, character: 24 });
  });

  it('reads indented blocks as in a YAML block scalar, starting at the first dash', () => {
    const text = `data:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n    ${BODY}\n    -----END CERTIFICATE-----\n`;
    const [block] = scanPem(text);
    assert.equal(block.error, undefined);
    assert.deepEqual(block.range.start, { line: 2, character: 4 });
    assert.deepEqual(block.range.end, { line: 4, character: 29 });
  });

  it('finds several blocks, each with its own index', () => {
    const one = `-----BEGIN CERTIFICATE-----\n${BODY}\n-----END CERTIFICATE-----\n`;
    const blocks = scanPem(`${one}\n${one}-----BEGIN RSA PRIVATE KEY-----\n${BODY}\n-----END RSA PRIVATE KEY-----\n`);
    assert.deepEqual(
      blocks.map((b) => [b.index, b.label, b.range.start.line]),
      [
        [0, 'CERTIFICATE', 0],
        [1, 'CERTIFICATE', 4],
        [2, 'RSA PRIVATE KEY', 7],
      ],
    );
  });

  it('reports a missing END line and still finds the next block', () => {
    const blocks = scanPem(`-----BEGIN CERTIFICATE-----\n${BODY}\n-----BEGIN CERTIFICATE-----\n${BODY}\n-----END CERTIFICATE-----\n`);
    assert.equal(blocks.length, 2);
    assert.equal(blocks[0].error, 'missing "-----END CERTIFICATE-----" line');
    assert.equal(blocks[1].error, undefined);
  });

  it('reports an END label that does not match', () => {
    const [block] = scanPem(`-----BEGIN CERTIFICATE-----\n${BODY}\n-----END PRIVATE KEY-----\n`);
    assert.equal(block.error, 'END label "PRIVATE KEY" does not match BEGIN label "CERTIFICATE" (line 3)');
  });

  it('points at the line with a character that is not base64', () => {
    const [block] = scanPem(`-----BEGIN CERTIFICATE-----\n${BODY}\nMIIB$zCC\n-----END CERTIFICATE-----\n`);
    assert.equal(block.error, 'invalid base64 on line 3: unexpected "$"');
    assert.equal(block.der, undefined);
  });

  it('reports truncated base64', () => {
    const [block] = scanPem(`-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwI\n-----END CERTIFICATE-----\n`);
    assert.equal(block.error, 'truncated base64: 15 characters is not a multiple of 4');
  });

  it('reports an empty body', () => {
    const [block] = scanPem(`-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n`);
    assert.equal(block.error, 'the block has no base64 body');
  });

  it('keeps RFC 1421 headers of legacy encrypted keys apart from the body', () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,0123456789ABCDEF0123456789ABCDEF\n\n${BODY}\n-----END RSA PRIVATE KEY-----\n`;
    const [block] = scanPem(text);
    assert.deepEqual(block.headers, { 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-256-CBC,0123456789ABCDEF0123456789ABCDEF' });
    assert.equal(text.slice(block.bodySpan.start, block.bodySpan.end), BODY);
    assert.equal(block.error, undefined);
  });

  it('finds nothing in text without a BEGIN line', () => {
    assert.deepEqual(scanPem('just words\n-----END CERTIFICATE-----\n'), []);
  });
});
