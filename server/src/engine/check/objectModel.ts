import type { ConfigFile } from '../kube/configFile';
import { type ApiObject, type ObjectValue, objectKey, objectLabel, valueLabel } from '../kube/kinds';
import { parseConfigText } from '../kube/parseConfigText';
import { getOrMake } from '../memo';
import type { CertificateInfo } from '../pki/certificate';
import type { CsrInfo } from '../pki/csr';
import { type DecodedFile, decodePemText, decodePkiBytes } from '../pki/decode';
import type { PrivateKeyInfo } from '../pki/privateKey';
import type { Position } from '../text/lineIndex';

/** What an object's value holds, once decoded. */
export type ValueTarget =
  | { status: 'ok'; decoded: DecodedFile; certs: CertificateInfo[]; privateKey?: PrivateKeyInfo; csrs: CsrInfo[] }
  | { status: 'invalid'; message: string }
  /** SOPS-encrypted, injected in the cluster, or a placeholder (kubebuilder's `caBundle: Cg==`): nothing to judge. */
  | { status: 'not-judged'; why: 'encrypted' | 'injected' | 'placeholder' };

/** Decoded once per value: a FileCache keeps a file's parsed objects between checks while it is unchanged. */
const targets = new WeakMap<ObjectValue, ValueTarget>();

/** A config file's objects, made once per parse: a FileCache keeps the ConfigFile while the file is unchanged. */
const objectsOfConfig = new WeakMap<ConfigFile, readonly ApiObject[]>();
/** A file's objects by (kind, namespace, name), made on the first lookup, once per object list. */
const keyIndexes = new WeakMap<readonly ApiObject[], Map<string, ApiObject[]>>();

/**
 * The API objects of the tree, indexed by file and by (kind, namespace, name) within a file: the
 * cross-object links (a webhook's Service, an Ingress's Secret) look names up here. A file's list
 * (inFile) is the same array from one check to the next while the file is unchanged: what is
 * memoised on it (check/objectUnits.ts) can tell the files that changed.
 */
export class ObjectModel {
  readonly objects: ApiObject[];
  private readonly byFile = new Map<string, readonly ApiObject[]>();

  constructor(configFiles: ConfigFile[]) {
    this.objects = [];
    for (const config of configFiles) {
      const list = getOrMake(objectsOfConfig, config, () => config.documents.flatMap((d) => (d.kind === 'apiObjects' ? d.objects : [])));
      for (const object of list) this.objects.push(object);
      // One list per file; a file named twice (never in a listing) gets the two lists joined.
      const file = list[0]?.file;
      if (file === undefined) continue;
      const before = this.byFile.get(file);
      this.byFile.set(file, before ? [...before, ...list] : list);
    }
  }

  /** The objects of one file, in file order (the same array while the file is unchanged). */
  inFile(file: string): readonly ApiObject[] {
    return this.byFile.get(file) ?? NONE;
  }

  /** The objects of `file` with this kind, namespace (as written) and name. */
  find(file: string, kind: string, namespace: string | undefined, name: string): ApiObject[] {
    const list = this.byFile.get(file);
    if (!list) return [];
    const index = getOrMake(keyIndexes, list, () => {
      const made = new Map<string, ApiObject[]>();
      for (const object of list) getOrMake(made, objectKey(object.kind, object.namespace, object.name), () => []).push(object);
      return made;
    });
    return index.get(objectKey(kind, namespace, name)) ?? [];
  }

  /** Every value of every object. */
  values(): ObjectValue[] {
    return this.objects.flatMap((o) => o.values);
  }

  /** The value whose node holds `position` in `file`. */
  valueAt(file: string, position: Position): ObjectValue | undefined {
    return this.inFile(file)
      .flatMap((o) => o.values)
      .find((v) => within(v.range, position));
  }

  target(value: ObjectValue): ValueTarget {
    return getOrMake(targets, value, () => decodeValue(value));
  }

  /** The decoded value when it holds what its role needs; undefined otherwise (pem-invalid says why). */
  ok(value: ObjectValue | undefined): Extract<ValueTarget, { status: 'ok' }> | undefined {
    if (!value) return undefined;
    const target = this.target(value);
    return target.status === 'ok' ? target : undefined;
  }
}

const NONE: readonly ApiObject[] = [];

export function within(range: { start: Position; end: Position }, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

function decodeValue(value: ObjectValue): ValueTarget {
  if (value.encrypted) return { status: 'not-judged', why: 'encrypted' };
  if (value.injected) return { status: 'not-judged', why: 'injected' };
  const label = valueLabel(value);
  let decoded: DecodedFile;
  if (value.encoding === 'base64') {
    const base64 = value.value.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0)
      return { status: 'invalid', message: `${label} is not valid base64${base64.length % 4 !== 0 ? ' (truncated)' : ''}` };
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.toString('latin1').trim() === '') return { status: 'not-judged', why: 'placeholder' };
    decoded = decodePkiBytes(new Uint8Array(bytes));
  } else decoded = decodePemText(value.value);
  if (decoded.error) return { status: 'invalid', message: `${label}: ${decoded.error}` };
  const broken = decoded.blocks.find((b) => b.error);
  if (broken) return { status: 'invalid', message: `${label}: block ${broken.index + 1}: ${broken.error}` };
  const objects = decoded.blocks.map((b) => b.object);
  const certs = objects.filter((o): o is CertificateInfo => o?.kind === 'certificate');
  const csrs = objects.filter((o): o is CsrInfo => o?.kind === 'csr');
  const privateKey = objects.find((o): o is PrivateKeyInfo => o?.kind === 'privateKey');
  const needs = { certificate: 'a certificate', 'ca-bundle': 'a certificate', 'private-key': 'a private key', csr: 'a certificate signing request', any: '' }[
    value.role
  ];
  const has = { certificate: certs.length > 0, 'ca-bundle': certs.length > 0, 'private-key': !!privateKey, csr: csrs.length > 0, any: true }[value.role];
  if (value.role === 'private-key' && privateKey?.encrypted)
    return { status: 'invalid', message: `${label} is an encrypted private key, which Kubernetes components cannot read` };
  if (!has) return { status: 'invalid', message: `${label} holds no ${needs.replace(/^an? /, '')} (${value.key} needs ${needs})` };
  if (value.role === 'ca-bundle' && objects.some((o) => o?.kind !== 'certificate'))
    return { status: 'invalid', message: `${label} holds blocks other than certificates (a CA bundle holds only CERTIFICATE blocks)` };
  return { status: 'ok', decoded, certs, csrs, ...(privateKey ? { privateKey } : {}) };
}

/**
 * Every PEM or base64 PEM/DER value of the API objects in a manifest's text, each with the title
 * `kube-pki inspect` and the outline give it ("Secret web/frontend-tls data.tls.crt") and what it decodes to.
 */
export function objectValuesOfText(path: string, text: string): Array<{ title: string; value: ObjectValue; target: ValueTarget }> {
  const model = new ObjectModel([parseConfigText(path, text)].filter((c): c is ConfigFile => c !== undefined));
  return model.values().map((value) => ({ title: `${objectLabel(value.object)} ${value.field}`, value, target: model.target(value) }));
}
