import type { Node } from 'yaml';
import { mapGet, mapGetPath, rangeOfNode, scalarString, seqItems } from '../../yamlFile';
import { namedValue } from './ingress';
import type { ObjectReading } from './values';

const isCertManager = (root: unknown) => (scalarString(mapGet(root, 'apiVersion')) ?? '').startsWith('cert-manager.io/');

/** cert-manager Certificate: the Secret it writes and the names, usages and issuer of the certificate it asks for. */
export function readCertManagerCertificate(reading: ObjectReading, root: unknown): void {
  if (!isCertManager(root)) return;
  const spec = mapGet(root, 'spec');
  const named = (node: Node | undefined) => namedValue(reading.file, node);
  const dnsNamesNode = mapGet(spec, 'dnsNames');
  const issuerRef = mapGet(spec, 'issuerRef');
  const issuerName = scalarString(mapGet(issuerRef, 'name'));
  const secretName = named(mapGet(spec, 'secretName'));
  const commonName = named(mapGet(spec, 'commonName'));
  // From the first name to the last (a block sequence's own range runs to the next line).
  const items = seqItems(dnsNamesNode);
  const first = rangeOfNode(reading.file, items[0]);
  const last = rangeOfNode(reading.file, items[items.length - 1]);
  const dnsNamesRange = first && last ? { start: first.start, end: last.end } : undefined;
  reading.object.certificate = {
    ...(secretName ? { secretName } : {}),
    ...(commonName ? { commonName } : {}),
    dnsNames: items.flatMap((n) => named(n) ?? []),
    ...(dnsNamesRange ? { dnsNamesRange } : {}),
    ipAddresses: seqItems(mapGet(spec, 'ipAddresses')).flatMap((n) => named(n) ?? []),
    isCA: scalarString(mapGet(spec, 'isCA')) === 'true',
    usages: seqItems(mapGet(spec, 'usages')).flatMap((n) => scalarString(n) ?? []),
    ...(issuerName
      ? {
          issuerRef: {
            name: issuerName,
            kind: scalarString(mapGet(issuerRef, 'kind')) ?? 'Issuer',
            group: scalarString(mapGet(issuerRef, 'group')) ?? 'cert-manager.io',
          },
        }
      : {}),
  };
}

/** cert-manager Issuer / ClusterIssuer: spec.ca.secretName, the CA it signs with. */
export function readCertManagerIssuer(reading: ObjectReading, root: unknown): void {
  if (!isCertManager(root)) return;
  const caSecretName = namedValue(reading.file, mapGetPath(root, ['spec', 'ca', 'secretName']));
  if (caSecretName) reading.object.issuer = { caSecretName };
}
