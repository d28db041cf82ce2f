import { mapGet, mapGetPath, rangeOfNode, scalarString, seqItems } from '../../yamlFile';
import { addValue, type ObjectReading } from './values';

/**
 * CertificateSigningRequest: spec.request (base64 PEM CSR) and status.certificate (base64 PEM chain);
 * spec.signerName and spec.usages as flags, for the signer's rules (csr-signer-rules).
 */
export function readCertificateSigningRequest(reading: ObjectReading, root: unknown): void {
  addValue(reading, mapGetPath(root, ['spec', 'request']), 'spec.request', 'request', 'csr', 'base64');
  addValue(reading, mapGetPath(root, ['status', 'certificate']), 'status.certificate', 'certificate', 'certificate', 'base64');
  const signerName = mapGetPath(root, ['spec', 'signerName']);
  const signerRange = rangeOfNode(reading.file, signerName);
  const signer = scalarString(signerName);
  if (signer !== undefined && signerRange) reading.object.flags.push({ name: 'signerName', value: signer, range: signerRange });
  const usages = mapGetPath(root, ['spec', 'usages']);
  const nodes = seqItems(usages);
  const items = nodes.map((u) => scalarString(u) ?? '');
  // A block sequence's node runs to the next line: end the range at its last item's end.
  const whole = rangeOfNode(reading.file, usages);
  const last = rangeOfNode(reading.file, nodes[nodes.length - 1]);
  const usagesRange = whole && last ? { start: whole.start, end: last.end } : whole;
  if (usagesRange) reading.object.flags.push({ name: 'usages', value: items.join(', '), items, range: usagesRange });
}

/** ClusterTrustBundle: spec.trustBundle, PEM CERTIFICATE blocks as text. */
export function readClusterTrustBundle(reading: ObjectReading, root: unknown): void {
  addValue(reading, mapGet(mapGet(root, 'spec'), 'trustBundle'), 'spec.trustBundle', 'trustBundle', 'ca-bundle', 'text');
}
