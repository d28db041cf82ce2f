import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

/**
 * The kubeconfig text with one user's client-certificate-data replaced by `base64`, every other byte as it was:
 * the value's range comes from the `yaml` package's node (never a regex over YAML), the edit is a splice there.
 * Undefined when the user or its plain-scalar value is not found.
 */
export function replaceClientCertificateData(text: string, user: string, base64: string): string | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const users = doc.get('users');
  if (!isSeq(users)) return undefined;
  for (const entry of users.items) {
    if (!isMap(entry) || entry.get('name') !== user) continue;
    const fields = entry.get('user');
    const value = isMap(fields) ? fields.get('client-certificate-data', true) : undefined;
    if (!isScalar(value) || !value.range || typeof value.value !== 'string') return undefined;
    const [start, end] = value.range;
    // A quoted value keeps its quotes: base64 needs no escaping inside them.
    const quote = value.type === 'QUOTE_DOUBLE' ? '"' : value.type === 'QUOTE_SINGLE' ? "'" : '';
    if (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED') return undefined;
    return `${text.slice(0, start)}${quote}${base64}${quote}${text.slice(end)}`;
  }
  return undefined;
}
