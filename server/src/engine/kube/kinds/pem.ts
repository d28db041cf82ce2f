import { looksLikePem } from '../../pki/pem';
import type { TextKind } from './documentKind';

// The keys a PEM-bearing YAML file (a kubeconfig with embedded data) starts its documents with: such a file is read as YAML.
// Blanks are [ \t]* at a line start; a JSON key follows `{` or `,`, so no two tries scan the same run of whitespace.
const YAML_DOCUMENT_KEY = /^[ \t]*["']?(apiVersion|kind|clusters)["']?[ \t]*:/m;
const JSON_DOCUMENT_KEY = /[{,]\s*"(apiVersion|kind|clusters)"\s*:/;

/** PEM files (certificates, keys, CSRs, bundles): not configuration; their blocks are decoded as PKI when a reference or the standalone check loads them. */
export const pem: TextKind<never> = {
  id: 'pem',
  syntax: 'text',
  detect: (text) => looksLikePem(text) && !YAML_DOCUMENT_KEY.test(text) && !JSON_DOCUMENT_KEY.test(text),
  read: () => undefined,
};

/** Where a PEM block outside any reference is still checked: PKI files and YAML, not prose (README examples). */
const PEM_BEARING = /\.(pem|crt|cer|cert|key|csr|pub|ya?ml|conf|insecure)$/i;

/** Does the file hold PEM blocks that count on their own (a certificate file, YAML with embedded PEM)? */
export function holdsPemBlocks(path: string, text: string): boolean {
  return looksLikePem(text) && PEM_BEARING.test(path);
}
