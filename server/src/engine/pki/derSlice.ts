import * as asn1js from 'asn1js';
import { WHOLE_OBJECT_BER } from './berLimits';

type Node = asn1js.BaseBlock & {
  lenBlock: { isIndefiniteForm: boolean; length: number; blockLength: number; warnings: string[] };
  valueBlock: { value?: unknown; unusedBits?: number; warnings: string[] };
};

/**
 * The bytes of one element of a parse, as they were read, when they are already DER: then they
 * are exactly what the schema would serialise from them, and the copy costs nothing where the
 * serialisation cost a fifth of a certificate's decode. Undefined when any node under it is
 * BER-only (long or indefinite length, multi-byte tag, a BIT STRING with unused bits or in pieces,
 * anything asn1js warned of): the caller serialises then, as before.
 */
export function derSlice(element: asn1js.AsnType, depth = 0): Uint8Array | undefined {
  const node = element as Node;
  if (depth > 16 || node.idBlock.blockLength !== 1 || node.idBlock.warnings.length > 0) return undefined;
  const len = node.lenBlock;
  // Minimality is judged here, not by asn1js's length warnings: it warns "Needlessly long encoded length"
  // when the LAST length octet is zero, so every DER length of 256, 512... (a 2048-bit key's d) was refused.
  if (len.isIndefiniteForm || len.blockLength !== minimalLengthOctets(len.length)) return undefined;
  // asn1js warns of every INTEGER of 4 bytes or more that it keeps as bytes only: those are kept verbatim, no BER there.
  if (node.valueBlock.warnings.length > 0 && !(element instanceof asn1js.Integer)) return undefined;
  // An OID's sub-identifiers: one too big to read, or needlessly long (a leading 0x80 octet). Judged here: asn1js
  // warns of the one-octet sub-identifier 0 too (secp384r1 is 1.3.132.0.34), which is DER.
  if (element instanceof asn1js.ObjectIdentifier && element.valueBlock.value.some((sid) => sid.isHexOnly || (sid.blockLength > 1 && sid.valueHexView[0] === 0)))
    return undefined;
  if (element instanceof asn1js.BitString && (node.idBlock.isConstructed || element.valueBlock.unusedBits !== 0)) return undefined;
  if (node.idBlock.isConstructed) {
    const children = node.valueBlock.value;
    if (!Array.isArray(children)) return undefined;
    for (const child of children) if (!derSlice(child as asn1js.AsnType, depth + 1)) return undefined;
  }
  return node.valueBeforeDecodeView;
}

/** Octets of a DER length: one below 128, else one plus the bytes of the number. */
function minimalLengthOctets(length: number): number {
  let octets = 1;
  if (length < 128) return octets;
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets++;
  return octets;
}

/**
 * The SEQUENCE `der` holds, when it is DER throughout, nothing follows it, it has `fields` elements
 * and the first is the INTEGER `version` encoded minimally (a schema reads a padded 0 as 0; OpenSSL refuses it).
 * For the keys read from their structure: anything else goes through OpenSSL.
 */
export function canonicalSequence(der: Uint8Array, fields: number, version: 0 | 1): asn1js.Sequence | undefined {
  const parsed = asn1js.fromBER(der, WHOLE_OBJECT_BER);
  if (parsed.offset !== der.length || !(parsed.result instanceof asn1js.Sequence) || !derSlice(parsed.result)) return undefined;
  const children = parsed.result.valueBlock.value;
  if (children.length !== fields || !Buffer.from(children[0].valueBeforeDecodeView).equals(Buffer.of(0x02, 0x01, version))) return undefined;
  return parsed.result;
}
