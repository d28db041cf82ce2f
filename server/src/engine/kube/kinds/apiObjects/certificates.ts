import { mapGet, mapGetPath } from '../../yamlFile';
import { addValue, type ObjectReading } from './values';

/** CertificateSigningRequest: spec.request (base64 PEM CSR) and status.certificate (base64 PEM chain). */
export function readCertificateSigningRequest(reading: ObjectReading, root: unknown): void {
  addValue(reading, mapGetPath(root, ['spec', 'request']), 'spec.request', 'request', 'csr', 'base64');
  addValue(reading, mapGetPath(root, ['status', 'certificate']), 'status.certificate', 'certificate', 'certificate', 'base64');
}

/** ClusterTrustBundle: spec.trustBundle, PEM CERTIFICATE blocks as text. */
export function readClusterTrustBundle(reading: ObjectReading, root: unknown): void {
  addValue(reading, mapGet(mapGet(root, 'spec'), 'trustBundle'), 'spec.trustBundle', 'trustBundle', 'ca-bundle', 'text');
}
