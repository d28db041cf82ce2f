import * as asn1js from 'asn1js';
import { Problem, problem } from './problem';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * DER rules that lenient BER parsers (asn1js, and so @peculiar) let through
 * but strict parsers such as Go's crypto/x509 may reject: a UTF8String that
 * is not UTF-8, a long-form length where the short form fits, a BOOLEAN that
 * is neither 0x00 nor 0xFF, or an explicit FALSE for a DEFAULT FALSE field.
 * Walks the asn1js tree of constructed nodes (the caller's parse: a certificate or
 * CSR is parsed once); reports each rule once.
 */
export function checkDerTree(root: asn1js.AsnType, what: string, longFormTag: Problem['severity'] = 'error'): Problem[] {
  const found = new Map<string, Problem>();
  const visit = (node: asn1js.AsnType, depth: number): void => {
    if (depth > 64) return; // certificates nest a dozen levels; deeper is hostile input
    const block = node as asn1js.BaseBlock & { valueBlock: { value?: unknown; valueHexView?: Uint8Array } };
    if (block.lenBlock.longFormUsed && block.lenBlock.length < 128 && !found.has('length')) {
      found.set(
        'length',
        problem('error', 'non-der-encoding', `${what} uses a long-form length for a short value (not DER; strict parsers such as Go's reject it)`),
      );
    }
    const raw = block.valueBeforeDecodeView;
    if (raw.length > 0 && (raw[0] & 0x1f) === 0x1f && !found.has('tag')) {
      // No structure of X.509 or PKCS#10 uses a tag number above 30: a multi-byte tag is never valid here.
      found.set(
        'tag',
        problem(longFormTag, 'non-der-encoding', `${what} has an element with a long-form tag (number ${block.idBlock.tagNumber}), which X.509 never uses`),
      );
    }
    if (block instanceof asn1js.Utf8String) {
      try {
        utf8.decode(block.valueBlock.valueHexView);
      } catch {
        if (!found.has('utf8')) found.set('utf8', problem('error', 'invalid-utf8', `${what} has a UTF8String that is not valid UTF-8`));
      }
    } else if (block instanceof asn1js.Boolean) {
      const bytes = block.valueBlock.valueHexView;
      if ((bytes.length !== 1 || (bytes[0] !== 0 && bytes[0] !== 0xff)) && !found.has('boolean')) {
        found.set(
          'boolean',
          problem('error', 'non-der-encoding', `${what} has a BOOLEAN encoded as ${Buffer.from(bytes).toString('hex') || 'empty'} (DER allows only 00 and FF)`),
        );
      } else if (bytes[0] === 0 && !found.has('default')) {
        // Every BOOLEAN in certificates and CSRs (critical, cA) is DEFAULT FALSE: DER omits it.
        found.set('default', problem('warning', 'non-der-encoding', `${what} encodes a DEFAULT FALSE flag (critical or cA) explicitly; DER omits it`));
      }
    }
    if (block.idBlock.isConstructed && Array.isArray(block.valueBlock.value)) {
      for (const child of block.valueBlock.value) if (child && typeof child === 'object' && 'idBlock' in child) visit(child as asn1js.AsnType, depth + 1);
    }
  };
  visit(root, 0);
  return [...found.values()];
}
