import { mapGet, scalarString, seqItems } from '../../yamlFile';
import { namedValue } from './ingress';
import type { TlsTermination } from './model';
import type { ObjectReading } from './values';

/**
 * Gateway (gateway.networking.k8s.io): each listener whose tls.mode is Terminate (the default) and that names a
 * hostname, with its tls.certificateRefs that are Secrets (kind Secret, core group: the defaults).
 */
export function readGateway(reading: ObjectReading, root: unknown): void {
  const terminations: TlsTermination[] = [];
  seqItems(mapGet(mapGet(root, 'spec'), 'listeners')).forEach((listener, i) => {
    const tls = mapGet(listener, 'tls');
    const hostname = namedValue(reading.file, mapGet(listener, 'hostname'));
    if (!tls || !hostname || (scalarString(mapGet(tls, 'mode')) ?? 'Terminate') !== 'Terminate') return;
    const secrets = seqItems(mapGet(tls, 'certificateRefs')).flatMap((ref) => {
      const kind = scalarString(mapGet(ref, 'kind')) ?? 'Secret';
      const group = scalarString(mapGet(ref, 'group')) ?? '';
      const name = namedValue(reading.file, mapGet(ref, 'name'));
      if (kind !== 'Secret' || group !== '' || !name) return [];
      const namespace = scalarString(mapGet(ref, 'namespace'));
      return [namespace ? { namespace, name } : { name }];
    });
    terminations.push({ field: `spec.listeners[${i}]`, hosts: [hostname], secrets });
  });
  if (terminations.length > 0) reading.object.frontend = { terminations, ruleHosts: [] };
}
