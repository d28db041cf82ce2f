import { dirname, isAbsolute, resolve } from 'node:path';
import type { PathGuard } from '../io/pathGuard';
import { loadPkiFile } from '../io/pkiFile';
import type { KubeconfigDocument } from '../kube/kinds/kubeconfig';
import { parseConfigText } from '../kube/parseConfigText';
import type { Reference } from '../kube/reference';
import type { DecodedFile } from '../pki/decode';
import { decodeEmbeddedData } from '../pki/embeddedData';

/** One certificate-bearing field of a kubeconfig, with what it holds. */
export interface KubeconfigEntry {
  section: 'cluster' | 'user';
  /** The cluster or user entry's name. */
  name: string;
  field: string;
  /** One-based line of the value. */
  line: number;
  /** The file a path field names, resolved against the kubeconfig's folder (kubectl's rule); null for `*-data`. */
  file: string | null;
  decoded: DecodedFile;
}

const PKI_FIELDS = new Set([
  'certificate-authority',
  'certificate-authority-data',
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
]);

/**
 * What a kubeconfig carries, for `kube-pki inspect`, from its text (read once by the caller, at most
 * MAX_CONFIG_FILE_BYTES): each `*-data` value decoded, each referenced file read through the guard.
 * Undefined when the text is not a kubeconfig.
 */
export async function inspectKubeconfigText(path: string, text: string, guard: PathGuard): Promise<KubeconfigEntry[] | undefined> {
  const config = parseConfigText(path, text);
  const docs = (config?.documents ?? []).filter((d): d is KubeconfigDocument => d.kind === 'kubeconfig');
  if (docs.length === 0) return undefined;
  const entries: KubeconfigEntry[] = [];
  for (const ref of docs.flatMap((d) => d.references)) {
    if (PKI_FIELDS.has(ref.name)) entries.push(await entryOf(ref, path, guard));
  }
  return entries;
}

async function entryOf(ref: Reference, kubeconfig: string, guard: PathGuard): Promise<KubeconfigEntry> {
  const at = {
    section: ref.name.startsWith('certificate-authority') ? ('cluster' as const) : ('user' as const),
    name: ref.owner ?? '',
    field: ref.name,
    line: ref.range.start.line + 1,
  };
  if (ref.inline) {
    const data = decodeEmbeddedData(ref.name, ref.value);
    return { ...at, file: null, decoded: 'invalid' in data ? { format: 'none', blocks: [], error: data.invalid } : data };
  }
  const file = isAbsolute(ref.value) ? ref.value : resolve(dirname(resolve(kubeconfig)), ref.value);
  return { ...at, file, decoded: await loadPkiFile(file, guard) };
}
