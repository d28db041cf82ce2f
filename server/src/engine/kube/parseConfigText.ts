import type { ConfigFile } from './configFile';
import { looksLikePem } from '../pki/pem';
import { LineIndex } from '../text/lineIndex';
import { readConfigDocument } from './configDocuments';
import { duplicateKeys } from './duplicateKeys';
import { kubeletEnvReferences } from './envFile';
import { looksLikeOpensslConfig, readOpensslConfig } from './opensslConfig';
import { looksLikeSystemdUnit, readSystemdUnit } from './systemdUnit';
import { parseYamlFile } from './yamlFile';

// The cheap looks below run on every file of a tree, so each is linear: a
// line's leading blanks are [ \t]* (never \s*, which crosses newlines and makes
// /^\s*x/m quadratic in blank lines), and a JSON key follows `{` or `,`, which
// are not blanks, so no two tries scan the same run of whitespace.
const KUBELET_ENV = /^[ \t]*KUBELET_[A-Z_]*ARGS=/m;
/** A top-level key of a manifest or kubeconfig, as YAML (`kind:`) or JSON (`{"kind": ...`). */
const YAML_KEY = /^[ \t]*["']?(apiVersion|kind|clusters|users|contexts)["']?[ \t]*:/m;
const JSON_KEY = /[{,]\s*"(apiVersion|kind|clusters|users|contexts)"\s*:/;
/** The keys a PEM-bearing YAML file (a kubeconfig with embedded data) starts its documents with. */
const YAML_DOCUMENT_KEY = /^[ \t]*["']?(apiVersion|kind|clusters)["']?[ \t]*:/m;
const JSON_DOCUMENT_KEY = /[{,]\s*"(apiVersion|kind|clusters)"\s*:/;
/** A kind whose YAML errors are worth reporting even when no document was recognised. */
const CHECKED_KIND = /^[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?(Config|Pod|KubeletConfiguration)\b|"kind"\s*:\s*"(Config|Pod|KubeletConfiguration)"/m;

/** What parseConfigText would read the text as, judged by content tests alone (no parse). Linear; for a too-large file, run on its head. */
export function configKindOfText(text: string): 'env' | 'openssl' | 'systemd' | 'yaml' | undefined {
  if (KUBELET_ENV.test(text)) return 'env';
  if (looksLikeOpensslConfig(text)) return 'openssl';
  if (looksLikeSystemdUnit(text)) return 'systemd';
  // PEM files and other non-YAML text are not configuration.
  if (looksLikePem(text) && !YAML_DOCUMENT_KEY.test(text) && !JSON_DOCUMENT_KEY.test(text)) return undefined;
  if (YAML_KEY.test(text) || JSON_KEY.test(text)) return 'yaml';
  return undefined;
}

/** How much of a too-large file is read to tell configuration from a README or a binary. */
export const CONFIG_HEAD_BYTES = 64 * 1024;

/** A config file too large to read, when its head looks like configuration; undefined for anything else (a 5 MB README, a binary). */
export function tooLargeConfig(path: string, size: number, head: Uint8Array): ConfigFile | undefined {
  if (head.includes(0)) return undefined;
  // A multi-byte character cut at the end of the head decodes to U+FFFD, which no test looks at.
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8');
  return configKindOfText(text) ? { path, documents: [], envReferences: [], yamlErrors: [], tooLarge: size } : undefined;
}

/** A file's text as configuration (YAML or JSON documents, kubeadm-flags.env, systemd unit, openssl profile), or undefined when it is none. */
export function parseConfigText(path: string, text: string): ConfigFile | undefined {
  const kind = configKindOfText(text);
  if (!kind) return undefined;
  const lineIndex = new LineIndex(text);
  if (kind === 'env') return { path, documents: [], envReferences: kubeletEnvReferences(text, path, lineIndex), yamlErrors: [] };
  if (kind === 'openssl') {
    return { path, documents: [{ kind: 'openssl-config', config: readOpensslConfig(text, lineIndex) }], envReferences: [], yamlErrors: [] };
  }
  if (kind === 'systemd') {
    const unit = readSystemdUnit(text, path, lineIndex);
    return unit ? { path, documents: [{ kind: 'systemd-unit', component: unit.component, references: unit.references }], envReferences: [], yamlErrors: [] } : undefined;
  }
  const yaml = parseYamlFile(text, lineIndex);
  const read = yaml.documents.map((doc) => ({ doc, config: readConfigDocument(yaml, doc, path) })).filter((d) => d.config.kind !== 'other');
  const documents = read.map((d) => d.config);
  if (documents.length === 0 && yaml.errors.length === 0) return undefined;
  // Only in documents kube-pki recognises: kubectl and the components decode those strictly, not any YAML.
  const duplicates = read.flatMap((d) => duplicateKeys(yaml, d.doc));
  return {
    path,
    documents,
    envReferences: [],
    yamlErrors: documents.length > 0 || CHECKED_KIND.test(text) ? yaml.errors : [],
    ...(duplicates.length > 0 ? { duplicateKeys: duplicates } : {}),
  };
}
