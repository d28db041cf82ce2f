import { mapGet } from '../../yamlFile';
import type { ValueRole } from './model';
import { addValue, entries, type ObjectReading } from './values';

/** The keys kubernetes.io/tls and service-account-token Secrets give a meaning; any other key counts when it holds PEM or DER. */
const SECRET_KEY_ROLES: Record<string, ValueRole> = { 'tls.crt': 'certificate', 'tls.key': 'private-key', 'ca.crt': 'ca-bundle' };

/** A Secret's `data` (base64) and `stringData` (text) values. */
export function readSecret(reading: ObjectReading, root: unknown): void {
  for (const [section, encoding] of [
    ['data', 'base64'],
    ['stringData', 'text'],
  ] as const) {
    for (const { key, value } of entries(mapGet(root, section))) {
      addValue(reading, value, `${section}.${key}`, key, SECRET_KEY_ROLES[key] ?? 'any', encoding);
    }
  }
}
