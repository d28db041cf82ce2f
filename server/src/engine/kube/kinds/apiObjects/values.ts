import { isMap, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { isDer } from '../../../pki/decode';
import { rangeOfNode, scalarString, type YamlFile } from '../../yamlFile';
import type { ApiObject, ObjectValue, ValueRole } from './model';

/** Where a reader puts what it finds: the object being read and its file. */
export interface ObjectReading {
  file: YamlFile;
  object: ApiObject;
  /** The object's caBundles are written in the cluster by a controller (an injection annotation). */
  injected: boolean;
}

/** SOPS writes `ENC[AES256_GCM,data:...]` for every encrypted value: not PEM and not broken. */
export const isEncrypted = (value: string) => value.startsWith('ENC[');

/** The scalar at `node` as a value of the object, when it is a non-empty string. */
export function addValue(
  reading: ObjectReading,
  node: Node | undefined,
  field: string,
  key: string,
  role: ValueRole,
  encoding: ObjectValue['encoding'],
): ObjectValue | undefined {
  const value = scalarString(node);
  const range = rangeOfNode(reading.file, node);
  if (value === undefined || value.trim() === '' || !range) return undefined;
  const encrypted = isEncrypted(value.trim());
  if (role === 'any' && (encrypted || !holdsPki(value, encoding))) return undefined;
  const found: ObjectValue = { object: reading.object, field, key, role, encoding, value, range, ...(encrypted ? { encrypted } : {}) };
  reading.object.values.push(found);
  return found;
}

/** The string-keyed entries of a map, in order. */
export function entries(node: unknown): Array<{ key: string; value: Node | undefined }> {
  if (!isMap(node)) return [];
  return (node as YAMLMap).items.flatMap((p: Pair) =>
    p.key && typeof (p.key as Scalar).value === 'string' ? [{ key: String((p.key as Scalar).value), value: (p.value ?? undefined) as Node | undefined }] : [],
  );
}

/** Base64 of "-----BEGIN": how a base64 value that holds PEM starts. */
const BASE64_BEGIN = 'LS0tLS1CRUdJTi';

/** Does a value of a key with no TLS meaning hold PEM, or base64 of PEM or DER? (A password or a token does not.) */
function holdsPki(value: string, encoding: ObjectValue['encoding']): boolean {
  if (encoding === 'text') return value.includes('-----BEGIN ');
  const compact = value.replace(/\s+/g, '');
  if (compact.startsWith(BASE64_BEGIN)) return true;
  // DER certificates and keys are a SEQUENCE: base64 "M" (0x30); decode only those.
  if (!compact.startsWith('M') || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return false;
  const bytes = Buffer.from(compact, 'base64');
  return bytes.includes(Buffer.from('-----BEGIN ')) || isDer(new Uint8Array(bytes));
}
