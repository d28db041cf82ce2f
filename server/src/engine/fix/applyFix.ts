import { isMap, isSeq, parseDocument, YAMLMap } from 'yaml';
import type { FixSpec } from '../check/fixSpec';
import { withChain } from '../gen/caChain';
import { loadSigner, validityWindow } from '../gen/generatePki';
import { issueCertificate, Signer } from '../gen/issue';
import { GeneratedKey, generateKey, importPrivateKeyPem, KeyType } from '../gen/keys';
import { existsGuarded, MAX_INPUT_FILE_BYTES, readRegularFile, readTextFile } from '../io/guardedRead';
import type { PathGuard } from '../io/pathGuard';
import { replaceFile, writeNewFile } from '../io/safeWrite';
import { LineIndex } from '../text/lineIndex';
import { resolveSecretReissue } from './resolveSecretReissue';

export interface PlannedWrite {
  path: string;
  content: string;
  mode: number;
  /** The file exists: it is replaced only after the user agrees, and kept as .bak. */
  replaces: boolean;
}

export interface FixPlan {
  title: string;
  writes: PlannedWrite[];
}

export interface FixOutcome {
  written: string[];
  backups: string[];
  cancelled: boolean;
}

/** A write the guard allows (it throws before any key is made otherwise), and whether it replaces a file. */
function plannedWrite(guard: PathGuard, path: string, content: string, mode: number): PlannedWrite {
  return { path, content, mode, replaces: existsGuarded(guard, path, 'write') };
}

/** The key type of a signer or an existing key, so a fix does not switch a cluster from ECDSA to RSA. */
function keyTypeOf(key: GeneratedKey | undefined): KeyType {
  return key?.type ?? 'RSA-2048';
}

/** A text edit run as a command (a client that does not apply workspace edits): the file as it is on disk, edited, replaced after a yes. */
function editedText(guard: PathGuard, spec: Extract<FixSpec, { kind: 'edit-text' }>): PlannedWrite {
  const file = readRegularFile(spec.path, guard, MAX_INPUT_FILE_BYTES);
  if (!file.bytes) throw new Error(`${spec.path} is too large to edit`);
  const text = Buffer.from(file.bytes).toString('utf8');
  const lines = new LineIndex(text);
  const edits = spec.edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
  let edited = text;
  // From the last edit back, so earlier offsets stay true.
  for (const edit of edits.sort((a, b) => b.start - a.start)) edited = edited.slice(0, edit.start) + edit.newText + edited.slice(edit.end);
  return plannedWrite(guard, spec.path, edited, file.stat.mode & 0o777);
}

/** Works out every file a fix writes (keys generated, certificates signed) without writing anything; every file it reads or will write passes the guard. */
export async function planFix(guard: PathGuard, spec: FixSpec, now = new Date()): Promise<FixPlan> {
  const validity = (days: number) => validityWindow(days, now);
  const writes: PlannedWrite[] = [];
  if (spec.kind === 'edit-text') return { title: spec.title, writes: [editedText(guard, spec)] };
  if (spec.kind === 'reissue-secret-cert') return { title: spec.title, writes: [editedText(guard, await resolveSecretReissue(guard, spec, now))] };
  if (spec.kind === 'issue-certificate') {
    let signer: Signer | undefined;
    let signerKey: GeneratedKey | undefined;
    if (spec.createSigner) {
      signerKey = await generateKey('RSA-2048');
      const ca = await issueCertificate(
        { subject: spec.createSigner.subject, ca: true, usages: [], sans: [], ...validity(3650), publicKey: signerKey.keys.publicKey },
        signerKey.keys,
      );
      writes.push(
        plannedWrite(guard, spec.createSigner.files.certPath, ca.toString('pem') + '\n', 0o644),
        plannedWrite(guard, spec.createSigner.files.keyPath, signerKey.privateKeyPem, 0o600),
      );
      signer = { certificate: ca, privateKey: signerKey.keys.privateKey };
    } else if (spec.signer) {
      signerKey = await importPrivateKeyPem(readTextFile(guard, spec.signer.keyPath));
      signer = await loadSigner(guard, spec.signer.certPath, spec.signer.keyPath);
    }
    const key = spec.key === 'keep' ? await importPrivateKeyPem(readTextFile(guard, spec.keyPath)) : await generateKey(keyTypeOf(signerKey));
    const cert = await issueCertificate(
      { subject: spec.subject, ca: spec.ca, usages: spec.usages, sans: spec.sans, ...validity(spec.validityDays), publicKey: key.keys.publicKey },
      key.keys,
      signer,
    );
    if (spec.key === 'new') writes.push(plannedWrite(guard, spec.keyPath, key.privateKeyPem, 0o600));
    writes.push(plannedWrite(guard, spec.certPath, withChain(guard, cert.toString('pem') + '\n', spec.signer?.certPath, !!spec.appendChain), 0o644));
    return { title: spec.title, writes };
  }
  writes.push(await kubeconfigUserWrite(guard, spec, validity(spec.validityDays)));
  return { title: spec.title, writes };
}

/** A fix an editor applies as a text edit, made so when it needs signing first (a Secret's certificate re-issued); others unchanged. */
export async function resolveFix(guard: PathGuard, spec: FixSpec, now = new Date()): Promise<FixSpec> {
  return spec.kind === 'reissue-secret-cert' ? resolveSecretReissue(guard, spec, now) : spec;
}

/** The user's embedded key, for a fix that keeps it (the same identity under another CA). */
async function embeddedKey(user: YAMLMap, spec: { user: string; kubeconfigPath: string }): Promise<GeneratedKey> {
  const data = user.get('client-key-data');
  if (typeof data !== 'string' || data === '') throw new Error(`user "${spec.user}" in ${spec.kubeconfigPath} has no embedded client-key-data to keep`);
  return importPrivateKeyPem(Buffer.from(data, 'base64').toString('utf8'));
}

/** The kubeconfig with a user's new client certificate (and key, unless kept) embedded: every other byte of YAML kept by the `yaml` document. */
async function kubeconfigUserWrite(
  guard: PathGuard,
  spec: Extract<FixSpec, { kind: 'kubeconfig-user' }>,
  validity: { notBefore: Date; notAfter: Date },
): Promise<PlannedWrite> {
  const kubeconfig = readRegularFile(spec.kubeconfigPath, guard, MAX_INPUT_FILE_BYTES);
  if (!kubeconfig.bytes) throw new Error(`${spec.kubeconfigPath} is too large to update`);
  const doc = parseDocument(Buffer.from(kubeconfig.bytes).toString('utf8'));
  const users = doc.get('users');
  const entry = isSeq(users) ? users.items.find((u) => isMap(u) && (u as YAMLMap).get('name') === spec.user) : undefined;
  const user = entry && isMap(entry) ? (entry as YAMLMap).get('user') : undefined;
  if (!user || !isMap(user)) throw new Error(`user "${spec.user}" is not in ${spec.kubeconfigPath}`);
  const signerKey = await importPrivateKeyPem(readTextFile(guard, spec.signer.keyPath));
  const signer = await loadSigner(guard, spec.signer.certPath, spec.signer.keyPath);
  const key = spec.keepKey ? await embeddedKey(user as YAMLMap, spec) : await generateKey(keyTypeOf(signerKey));
  const cert = await issueCertificate(
    { subject: spec.subject, ca: false, usages: ['clientAuth'], sans: [], ...validity, publicKey: key.keys.publicKey },
    undefined,
    signer,
  );
  (user as YAMLMap).set('client-certificate-data', Buffer.from(cert.toString('pem') + '\n').toString('base64'));
  if (!spec.keepKey) (user as YAMLMap).set('client-key-data', Buffer.from(key.privateKeyPem).toString('base64'));
  const mode = kubeconfig.stat.mode & 0o777;
  return plannedWrite(guard, spec.kubeconfigPath, doc.toString({ lineWidth: 0 }), mode & 0o077 ? 0o600 : mode);
}

/**
 * Writes a plan: new files by exclusive create, existing ones only when
 * `confirm` agrees (each kept as NAME.bak-<time>). Nothing is written when
 * the user declines.
 */
export async function applyPlan(guard: PathGuard, plan: FixPlan, confirm: (replaced: string[]) => Promise<boolean>, now = new Date()): Promise<FixOutcome> {
  const replaced = plan.writes.filter((w) => w.replaces).map((w) => w.path);
  if (replaced.length > 0 && !(await confirm(replaced))) return { written: [], backups: [], cancelled: true };
  const outcome: FixOutcome = { written: [], backups: [], cancelled: false };
  for (const write of plan.writes) {
    if (write.replaces) {
      const backup = await replaceFile(guard, write.path, write.content, write.mode, now);
      if (backup) outcome.backups.push(backup);
    } else {
      await writeNewFile(guard, write.path, write.content, write.mode);
    }
    outcome.written.push(write.path);
  }
  return outcome;
}
