import type { Name as AsnName } from '@peculiar/asn1-x509';
import { DN_ATTRIBUTES } from './oids';
import { Problem, problem } from './problem';

/** One attribute of a relative distinguished name, e.g. CN=kube-apiserver. */
export interface NameAttribute {
  /** Short name (CN, O, OU...) or the dotted OID when unknown. */
  type: string;
  oid: string;
  value: string;
}

/** A distinguished name with every RDN kept in certificate order (multi-valued RDNs stay together). */
export interface DistinguishedName {
  rdns: NameAttribute[][];
  /** "CN=kube-apiserver, O=system:masters" in certificate order, like `openssl -nameopt oneline` but with commas. */
  text: string;
  /** Case- and whitespace-insensitive form for comparing names (RFC 5280 7.1, simplified). */
  comparable: string;
}

// Only our own separators are escaped: the text is for reading, and RFC 4514 noise (\<, \=) would hide the value.
const ESCAPE_IN_DN = /([,+\\])/g;

export function decodeName(asn: AsnName, problems: Problem[], what: string): DistinguishedName {
  const rdns: NameAttribute[][] = [];
  for (const rdn of asn) {
    const attributes: NameAttribute[] = [];
    for (const atv of rdn) {
      const v = atv.value;
      let value: string;
      const text = v.utf8String ?? v.printableString ?? v.ia5String ?? v.teletexString ?? v.bmpString ?? v.universalString;
      if (text !== undefined) {
        // Invalid UTF-8 is caught on the raw bytes by checkDerTree.
        value = text;
      } else if (v.anyValue) {
        value = '#' + Buffer.from(v.anyValue).toString('hex');
        problems.push(problem('warning', 'unusual-name-encoding', `${what} ${DN_ATTRIBUTES[atv.type] ?? atv.type} is not a string type (shown as hex)`));
      } else {
        value = '';
      }
      attributes.push({ type: DN_ATTRIBUTES[atv.type] ?? atv.type, oid: atv.type, value });
    }
    rdns.push(attributes);
  }
  return finishName(rdns);
}

export function finishName(rdns: NameAttribute[][]): DistinguishedName {
  const text = rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.value.replace(ESCAPE_IN_DN, '\\$1')}`).join(' + ')).join(', ');
  const comparable = rdns
    .map((rdn) =>
      rdn
        .map((a) => `${a.oid}=${a.value.trim().replace(/\s+/g, ' ').toLowerCase()}`)
        .sort()
        .join('+'),
    )
    .join(',');
  return { rdns, text, comparable };
}

/** All values of one attribute (e.g. every O of a kubelet client cert). */
export function attributeValues(name: DistinguishedName, type: string): string[] {
  return name.rdns
    .flat()
    .filter((a) => a.type === type || a.oid === type)
    .map((a) => a.value);
}

export function commonName(name: DistinguishedName): string | undefined {
  return attributeValues(name, 'CN')[0];
}
