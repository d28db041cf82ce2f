import { mapGet } from '../../yamlFile';
import type { ValueRole } from './model';
import { addValue, entries, type ObjectReading } from './values';

/** kube-root-ca.crt's `ca.crt`, extension-apiserver-authentication's `client-ca-file` and `requestheader-client-ca-file`: CA bundles. */
function roleOf(key: string): ValueRole {
  return key.endsWith('ca.crt') || key.endsWith('ca-file') ? 'ca-bundle' : 'any';
}

/** A ConfigMap's `data` (text) and `binaryData` (base64) values that hold PEM or DER. */
export function readConfigMap(reading: ObjectReading, root: unknown): void {
  for (const { key, value } of entries(mapGet(root, 'data'))) {
    // A CA key of a ConfigMap that holds no PEM at all is some other text (a placeholder): not a value.
    const role = roleOf(key);
    const found = addValue(reading, value, `data.${key}`, key, 'any', 'text');
    if (found) found.role = role;
  }
  for (const { key, value } of entries(mapGet(root, 'binaryData'))) addValue(reading, value, `binaryData.${key}`, key, 'any', 'base64');
}
