import * as asn1js from 'asn1js';

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
  // An OID's sub-identifiers carry their own warnings (a needlessly long one, one too big to read).
  if (element instanceof asn1js.ObjectIdentifier && element.valueBlock.value.some((sid) => sid.warnings.length > 0 || sid.isHexOnly)) return undefined;
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
