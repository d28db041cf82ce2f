import type { ConfigFile } from './configFile';
import { duplicateKeys } from './duplicateKeys';
import { admitYamlText, readYamlDocument, textKindOf } from './kinds';
import { parseYamlFile } from './yamlFile';

// The cheap looks below run on every file of a tree, so each is linear: a
// line's leading blanks are [ \t]* (never \s*, which crosses newlines and makes
// /^\s*x/m quadratic in blank lines), and a JSON key follows `{` or `,`, which
// are not blanks, so no two tries scan the same run of whitespace.
/** A top-level key of a manifest or kubeconfig, as YAML (`kind:`) or JSON (`{"kind": ...`). */
const YAML_KEY = /^[ \t]*["']?(apiVersion|kind|clusters|users|contexts)["']?[ \t]*:/m;
const JSON_KEY = /[{,]\s*"(apiVersion|kind|clusters|users|contexts)"\s*:/;
/** A Talos machine configuration has no kind: its top-level `version: v1alpha1` says what it is. */
const TALOS_VERSION = /^version:[ \t]*["']?v1alpha1/m;
const looksLikeConfig = (text: string) => YAML_KEY.test(text) || JSON_KEY.test(text) || TALOS_VERSION.test(text);
/** A kind whose YAML errors are worth reporting even when no document was recognised. */
const CHECKED_KIND = /^[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?(Config|Pod|KubeletConfiguration)\b|"kind"\s*:\s*"(Config|Pod|KubeletConfiguration)"/m;

/**
 * What parseConfigText would read the text as, judged by the kinds' text tests alone (no parse):
 * a text kind's id, 'yaml', or undefined (not configuration). Linear; for a too-large file, run on its head.
 */
export function configKindOfText(text: string, path = ''): string | undefined {
  const kind = textKindOf(text, path);
  if (kind) return kind.id === 'pem' ? undefined : kind.id;
  return looksLikeConfig(text) ? 'yaml' : undefined;
}

/** How much of a too-large file is read to tell configuration from a README or a binary. */
export const CONFIG_HEAD_BYTES = 64 * 1024;

/** A config file too large to read, when its head looks like configuration; undefined for anything else (a 5 MB README, a binary). */
export function tooLargeConfig(path: string, size: number, head: Uint8Array): ConfigFile | undefined {
  if (head.includes(0)) return undefined;
  // A multi-byte character cut at the end of the head decodes to U+FFFD, which no test looks at.
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8');
  return configKindOfText(text, path) ? { path, documents: [], envReferences: [], yamlErrors: [], tooLarge: size } : undefined;
}

/**
 * The content filter (kinds/contentTriggers.ts) on: a YAML file none of whose text any kind reads is not parsed. Off only
 * in the test that holds the filtered check to the unfiltered one's findings.
 */
export const contentFilter = { enabled: true };

/** A file's text as configuration (YAML or JSON documents, or a file a text kind claims), or undefined when it is none. */
export function parseConfigText(path: string, text: string): ConfigFile | undefined {
  return readConfigText(path, text, false).config;
}

/**
 * As parseConfigText; with `defer`, a file only joined-only kinds may read (a Service: read for the webhook naming it)
 * is left unparsed and marked: the workspace parses it when it holds a name some document looks up.
 */
export function readConfigText(path: string, text: string, defer: boolean): { config?: ConfigFile; joinedOnly?: true } {
  const textKind = textKindOf(text, path);
  if (textKind) {
    // A PEM file is claimed and read as nothing: no line index is made for it.
    const content = textKind.read(text, path);
    return { config: content && { path, ...content, yamlErrors: [] } };
  }
  if (!looksLikeConfig(text)) return {};
  // Most manifests of a GitOps tree: their YAML parse was most of a check's time.
  const admission = contentFilter.enabled ? admitYamlText(text) : 'yes';
  if (admission === 'no') return {};
  if (admission === 'if-named' && defer) return { joinedOnly: true };
  return { config: parseYamlText(path, text) };
}

function parseYamlText(path: string, text: string): ConfigFile | undefined {
  const yaml = parseYamlFile(text);
  const read = yaml.documents.flatMap((doc) => {
    const found = readYamlDocument(yaml, doc, path);
    return found ? [{ doc, config: found.document }] : [];
  });
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
