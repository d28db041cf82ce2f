/**
 * What openssl accepts in an openssl.cnf (man x509v3_config, man req): the extension names
 * X509V3_EXT_nconf knows (OpenSSL 3's standard_exts.h), the values it parses for the
 * extensions Kubernetes certificates carry, and the [req] keys. One line of doc each, for hover.
 */
export interface ExtensionName {
  name: string;
  doc: string;
  /** openssl splits the value on commas (X509V3_parse_list): an empty item is an error. */
  list: boolean;
}

const ext = (name: string, doc: string, list = false): ExtensionName => ({ name, doc, list });

export const EXTENSION_NAMES: readonly ExtensionName[] = [
  ext('basicConstraints', 'Whether the certificate is a CA (`CA:TRUE` or `CA:FALSE`) and, for a CA, `pathlen:N`.', true),
  ext(
    'keyUsage',
    'What the key may do: `digitalSignature`, `keyEncipherment`, `keyCertSign`...; Kubernetes serving and client certificates need `digitalSignature`.',
    true,
  ),
  ext('extendedKeyUsage', 'The purposes: `serverAuth` for a serving certificate, `clientAuth` for a client one (Go checks them).', true),
  ext('subjectAltName', 'The names and addresses the certificate is valid for: `DNS:name`, `IP:addr`, or `@section` with `DNS.1 = ...` lines.', true),
  ext('issuerAltName', "The issuer's alternative names (`issuer:copy` takes the CA's subjectAltName).", true),
  ext('subjectKeyIdentifier', "The key's identifier, usually `hash`; chains are built by matching it with authorityKeyIdentifier."),
  ext('authorityKeyIdentifier', 'Which CA key signed the certificate: `keyid`, `issuer`, with `:always` to require them.', true),
  ext('authorityInfoAccess', 'Where to fetch the issuer (`caIssuers;URI:...`) or ask OCSP (`OCSP;URI:...`).', true),
  ext('subjectInfoAccess', "Where the subject's services are (`caRepository;URI:...`).", true),
  ext('crlDistributionPoints', 'Where the CRL is: `URI:http://...` or `@section`.', true),
  ext('freshestCRL', 'Where the delta CRL is, as crlDistributionPoints.', true),
  ext('certificatePolicies', 'The policies the certificate is issued under: OIDs or `@section`.'),
  ext('policyConstraints', 'A CA: `requireExplicitPolicy:N`, `inhibitPolicyMapping:N`.', true),
  ext('policyMappings', 'A CA: issuer policy OID = subject policy OID pairs.', true),
  ext('inhibitAnyPolicy', 'A CA: how many certificates down anyPolicy stops matching.'),
  ext('nameConstraints', 'A CA: `permitted;DNS:...` and `excluded;IP:...` subtrees the certificates below it must stay within.', true),
  ext('noCheck', 'An OCSP signer: do not check its revocation.'),
  ext('tlsfeature', 'TLS features the server must offer, `status_request` (OCSP must-staple).', true),
  ext('nsComment', 'A comment shown by some browsers (Netscape extension); a string, commas included.'),
  ext('nsCertType', 'Netscape certificate type (`server`, `client`, `objsign`...): obsolete, extendedKeyUsage replaces it.', true),
  ext('nsBaseUrl', 'Netscape base URL (obsolete).'),
  ext('nsRevocationUrl', 'Netscape revocation URL (obsolete).'),
  ext('nsCaRevocationUrl', 'Netscape CA revocation URL (obsolete).'),
  ext('nsRenewalUrl', 'Netscape renewal URL (obsolete).'),
  ext('nsCaPolicyUrl', 'Netscape CA policy URL (obsolete).'),
  ext('nsSslServerName', 'Netscape SSL server name (obsolete).'),
  ext('privateKeyUsagePeriod', 'When the private key may be used, apart from the validity.'),
  ext('proxyCertInfo', 'An RFC 3820 proxy certificate: `language:...`, `pathlen:N`, `policy:...`.', true),
  ext('issuingDistributionPoint', 'A CRL: which certificates it covers.', true),
  ext('crlNumber', 'A CRL: its sequence number.'),
  ext('deltaCRL', 'A CRL: the base CRL a delta CRL updates.'),
  ext('CRLReason', 'A CRL entry: why the certificate was revoked.'),
  ext('invalidityDate', 'A CRL entry: since when the key is compromised.'),
  ext('certificateIssuer', 'A CRL entry: the issuer of the revoked certificate (indirect CRLs).', true),
  ext('sbgp-ipAddrBlock', 'RFC 3779 IP address blocks.', true),
  ext('sbgp-autonomousSysNum', 'RFC 3779 autonomous system numbers.', true),
  ext('ct_precert_poison', 'Certificate Transparency: marks a precertificate.'),
  ext('ct_precert_scts', 'Certificate Transparency: signed certificate timestamps.'),
  ext('ct_cert_scts', 'Certificate Transparency: signed certificate timestamps in a certificate.'),
  ext('SXNetID', 'Strong Extranet ID.', true),
  ext('subjectSignTool', 'Russian GOST: the signing tool of the subject.'),
  ext('issuerSignTool', 'Russian GOST: the signing tools of the issuer.', true),
];

// Known to later OpenSSL releases (3.2 to 3.5): not flagged, as a newer openssl takes them.
const LATER_NAMES = [
  'targetInformation',
  'noRevAvail',
  'noAssertion',
  'authorityAttributeIdentifier',
  'roleSpecCertIdentifier',
  'basicAttConstraints',
  'delegatedNameConstraints',
  'timeSpecification',
  'attributeDescriptor',
  'userNotice',
  'acceptableCertPolicies',
  'acceptablePrivilegePolicies',
  'indirectIssuer',
  'singleUse',
  'groupAC',
  'allowedAttributeAssignments',
  'attributeMappings',
  'holderNameConstraints',
  'associatedInformation',
  'issuedOnBehalfOf',
];

const BY_NAME = new Map(EXTENSION_NAMES.map((e) => [e.name, e]));
const KNOWN = new Set([...BY_NAME.keys(), ...LATER_NAMES]);

export const extensionNamed = (name: string): ExtensionName | undefined => BY_NAME.get(name);
/** openssl looks the name up as is (OBJ_sn2nid): `basicconstraints` is unknown. */
export const isExtensionName = (name: string): boolean => KNOWN.has(name);

/** keyUsage bits, by the short and long names v2i_ASN1_BIT_STRING accepts. */
export const KEY_USAGES: readonly string[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];
export const KEY_USAGE_LONG_NAMES: readonly string[] = [
  'Digital Signature',
  'Non Repudiation',
  'Key Encipherment',
  'Data Encipherment',
  'Key Agreement',
  'Certificate Sign',
  'CRL Sign',
  'Encipher Only',
  'Decipher Only',
];

/** The extended key usages certificates use; openssl takes any object name or OID, so only near misses of these are flagged. */
export const EXTENDED_KEY_USAGES: readonly string[] = [
  'serverAuth',
  'clientAuth',
  'codeSigning',
  'emailProtection',
  'timeStamping',
  'OCSPSigning',
  'ipsecIKE',
  'anyExtendedKeyUsage',
  'msCodeInd',
  'msCodeCom',
  'msCTLSign',
  'msEFS',
  'msSGC',
  'nsSGC',
  'msSmartcardLogin',
  'ipsecEndSystem',
  'ipsecTunnel',
  'ipsecUser',
  'secureShellClient',
  'secureShellServer',
];

/** basicConstraints' items: the booleans X509V3_get_value_bool reads, and pathlen. */
export const BASIC_CONSTRAINTS: readonly string[] = ['CA:TRUE', 'CA:FALSE', 'pathlen:0'];
export const BOOLEANS = new Set(['TRUE', 'true', 'Y', 'y', 'YES', 'yes', 'FALSE', 'false', 'N', 'n', 'NO', 'no']);

/** The keys `openssl req` reads from its section (man req, CONFIGURATION FILE FORMAT). */
export const REQ_KEYS: ReadonlyMap<string, string> = new Map([
  ['distinguished_name', 'The section with the subject: its fields, or what to prompt for. It must exist, even when `-subj` gives the subject.'],
  ['req_extensions', 'The section of extensions put in the request (CSR); `-reqexts` overrides it. It must exist.'],
  ['x509_extensions', 'The section of extensions put in a self-signed certificate (`-x509`), or by `openssl ca`; `-extensions` overrides it. It must exist.'],
  ['prompt', '`no`: take the subject from the distinguished_name section as written instead of prompting.'],
  ['default_bits', 'The RSA key size for a new key (`-newkey rsa` without a size).'],
  ['default_keyfile', 'Where a new private key is written (`-keyout` overrides it).'],
  ['default_md', 'The digest that signs the request, such as `sha256`.'],
  ['encrypt_key', '`no`: write a new private key unencrypted (as `-noenc`).'],
  ['string_mask', 'Which string types subject fields may use; `utf8only` is the default.'],
  ['utf8', '`yes`: field values are UTF-8.'],
  ['attributes', 'The section of request attributes (challengePassword...).'],
  ['copy_extensions', '`openssl ca`/`x509`: copy extensions from the request (`copy`, `copyall`, `none`).'],
]);

/** Damerau-Levenshtein distance (adjacent swaps count one), case-insensitive; O(|a|·|b|) on short names, three rows kept. */
export function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let before = new Uint16Array(t.length + 1);
  let previous = Uint16Array.from({ length: t.length + 1 }, (_, j) => j);
  let row = new Uint16Array(t.length + 1);
  for (let i = 1; i <= s.length; i++) {
    row[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s.charCodeAt(i - 1) === t.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && s.charCodeAt(i - 1) === t.charCodeAt(j - 2) && s.charCodeAt(i - 2) === t.charCodeAt(j - 1))
        best = Math.min(best, before[j - 2] + 1);
      row[j] = best;
    }
    [before, previous, row] = [previous, row, before];
  }
  return previous[t.length];
}

/** The known name closest to `typed`, when it is close enough to be the one meant (a third of its letters at most). */
export function nearest(typed: string, known: Iterable<string>): string | undefined {
  if (typed.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const limit = Math.max(1, Math.floor(name.length / 3));
    // A length that far off is no typo of it: skip the table.
    if (Math.abs(name.length - typed.length) > limit) continue;
    const d = distance(typed, name);
    if (d <= limit && d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}
