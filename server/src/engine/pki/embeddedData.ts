import { DecodedFile, decodePkiBytes } from './decode';

/**
 * A kubeconfig's `*-data` value: base64 (whitespace ignored, as Go's decoder
 * does for YAML folded values) around PEM or DER. The check and `kube-pki
 * inspect` read it the same way.
 */
export function decodeEmbeddedData(name: string, value: string): DecodedFile | { invalid: string } {
  const base64 = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0)
    return { invalid: `${name} is not valid base64${base64.length % 4 !== 0 ? ' (truncated)' : ''}` };
  return decodePkiBytes(new Uint8Array(Buffer.from(base64, 'base64')));
}
