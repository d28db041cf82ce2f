import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { BER_LIMITS, VALUE_PARSE } from './berLimits';
import { decodeName } from './distinguishedName';
import { Problem, problem } from './problem';

export type SanType = 'DNS' | 'IP' | 'email' | 'URI' | 'dirName' | 'otherName' | 'registeredID' | 'x400Address' | 'ediPartyName';

export interface SubjectAltName {
  type: SanType;
  value: string;
}

/** Decodes every GeneralName of a SAN extension, of every type, flagging what Kubernetes clients cannot use. */
export function decodeSubjectAltNames(extnValue: ArrayBuffer, problems: Problem[]): SubjectAltName[] {
  let names: GeneralName[];
  try {
    names = AsnConvert.parse(extnValue, SubjectAlternativeName, VALUE_PARSE);
  } catch (e) {
    const oneByOne = decodeNamesOneByOne(extnValue, problems);
    if (oneByOne) return oneByOne;
    problems.push(problem('error', 'malformed-san', `the Subject Alternative Name extension is malformed: ${(e as Error).message}`));
    return [];
  }
  if (names.length === 0) {
    problems.push(problem('warning', 'empty-san', 'the Subject Alternative Name extension is empty (RFC 5280 requires at least one name)'));
  }
  return Array.from(names, (name) => describeGeneralName(name, problems));
}

/**
 * The schema has no x400Address / ediPartyName support, so a SAN holding one
 * fails as a whole. Decode the names one by one instead and keep those two
 * as opaque, unsupported entries; anything else that fails is malformed.
 */
function decodeNamesOneByOne(extnValue: ArrayBuffer, problems: Problem[]): SubjectAltName[] | undefined {
  const parsed = asn1js.fromBER(extnValue, BER_LIMITS);
  if (parsed.offset !== extnValue.byteLength || !(parsed.result instanceof asn1js.Sequence)) return undefined;
  const result: SubjectAltName[] = [];
  for (const element of parsed.result.valueBlock.value) {
    const { tagClass, tagNumber } = element.idBlock;
    const raw = element.valueBeforeDecodeView;
    if (tagClass === 3 && (tagNumber === 3 || tagNumber === 5)) {
      const type = tagNumber === 3 ? 'x400Address' : 'ediPartyName';
      problems.push(problem('warning', 'unsupported-san-type', `a ${type} SAN entry is present; Kubernetes clients ignore it`));
      result.push({ type, value: `#${Buffer.from(raw).toString('hex')}` });
      continue;
    }
    try {
      result.push(describeGeneralName(AsnConvert.parse(raw, GeneralName), problems));
    } catch {
      return undefined;
    }
  }
  return result;
}

export function describeGeneralName(name: GeneralName, problems: Problem[]): SubjectAltName {
  if (name.dNSName !== undefined) {
    const value = name.dNSName;
    if (value === '') problems.push(problem('warning', 'empty-dns-san', 'a DNS SAN is the empty string'));
    else if (!/^[\x21-\x7e]+$/.test(value)) problems.push(problem('warning', 'invalid-dns-san', `DNS SAN "${value}" has characters outside printable ASCII`));
    else if (value.includes('..') || value.startsWith('.')) problems.push(problem('warning', 'invalid-dns-san', `DNS SAN "${value}" is not a valid host name`));
    return { type: 'DNS', value };
  }
  if (name.iPAddress !== undefined) return { type: 'IP', value: name.iPAddress };
  if (name.rfc822Name !== undefined) return { type: 'email', value: name.rfc822Name };
  if (name.uniformResourceIdentifier !== undefined) return { type: 'URI', value: name.uniformResourceIdentifier };
  if (name.directoryName !== undefined) return { type: 'dirName', value: decodeName(name.directoryName, problems, 'SAN directoryName').text };
  if (name.registeredID !== undefined) return { type: 'registeredID', value: name.registeredID };
  if (name.otherName !== undefined) {
    return { type: 'otherName', value: `${name.otherName.typeId};#${Buffer.from(name.otherName.value).toString('hex')}` };
  }
  if (name.x400Address !== undefined) return { type: 'x400Address', value: `#${Buffer.from(name.x400Address).toString('hex')}` };
  return { type: 'ediPartyName', value: '(EDI party name)' };
}

export function formatSan(san: SubjectAltName): string {
  return `${san.type}:${san.value}`;
}
