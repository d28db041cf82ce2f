'use strict';
// The cold library floor of a check (issue 19): a fresh Node process that only reads every
// file of a tree and parses it with the libraries kube-pki must use -- `yaml` for every YAML
// document, asn1js, the BER parser under @peculiar's schemas, for every certificate, in PEM files and in
// kubeconfig *-data fields -- and checks nothing. No check built on these parsers can start,
// read and parse faster than this, so openssl-script / floor is the ceiling of the
// "cold check vs openssl" ratio on this machine. Run by bench/run.mjs (which times the whole
// process, start-up included); prints the certificates it parsed.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const asn1js = require('asn1js');
const yaml = require('yaml');

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** The DER of every CERTIFICATE block of a PEM text (indexOf: linear). */
function pemCertificates(text) {
  const ders = [];
  for (let at = text.indexOf(BEGIN); at !== -1; at = text.indexOf(BEGIN, at + 1)) {
    const end = text.indexOf(END, at);
    if (end === -1) break;
    ders.push(Buffer.from(text.slice(at + BEGIN.length, end), 'base64'));
  }
  return ders;
}

/** A kubeconfig's certificate-authority-data and client-certificate-data, as DER (the YAML nodes visited, not converted). */
function embeddedCertificates(doc, ders) {
  yaml.visit(doc, {
    Pair(_, pair) {
      const key = yaml.isScalar(pair.key) ? pair.key.value : undefined;
      if ((key !== 'certificate-authority-data' && key !== 'client-certificate-data') || !yaml.isScalar(pair.value)) return;
      const decoded = Buffer.from(String(pair.value.value), 'base64');
      const text = decoded.toString('latin1');
      ders.push(...(text.includes(BEGIN) ? pemCertificates(text) : [decoded]));
    },
  });
}

// Each distinct certificate is parsed once, as kube-pki's decode cache does.
const parsed = new Set();
for (const file of filesUnder(process.argv[2])) {
  const text = readFileSync(file, 'utf8');
  const ders = pemCertificates(text);
  // PEM files (certificates, keys) are not YAML; the rest is read as YAML, as the check does.
  if (!text.includes('-----BEGIN') && !text.includes('\0')) for (const doc of yaml.parseAllDocuments(text)) embeddedCertificates(doc, ders);
  for (const der of ders) {
    const key = der.toString('base64');
    if (parsed.has(key)) continue;
    parsed.add(key);
    asn1js.fromBER(new Uint8Array(der));
  }
}
process.stdout.write(`${parsed.size}\n`);
