// The editor's generation commands: they gather inputs (prefilled from what the
// workspace's own files say) and ask the server to do the work. No certificate
// logic here: the server owns the one engine.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Usage } from '../../server/src/engine/gen/issue';
import type { KeyType } from '../../server/src/engine/gen/keys';
import type { ClusterParams } from '../../server/src/engine/gen/profiles';
import { CreateCsrCommand, GenerateCertCommand, GeneratePkiCommand, SignCsrCommand, WorkspaceDefaultsCommand } from '../../server/src/protocol';
import { executeCommand } from './protocolClient';

// Types only from the engine: the client bundle carries no engine code.
const KEY_TYPES: KeyType[] = ['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256', 'ECDSA-P384'];
const PROFILES = [
  'apiserver',
  'apiserver-kubelet-client',
  'front-proxy-client',
  'etcd-server',
  'etcd-peer',
  'etcd-healthcheck-client',
  'apiserver-etcd-client',
  'kube-proxy',
  'admin',
  'super-admin',
  'controller-manager',
  'scheduler',
  'kubelet',
  'ca',
  'front-proxy-ca',
  'etcd-ca',
];

type ClientGetter = () => LanguageClient | undefined;

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('Kubernetes PKI writes nothing in an untrusted workspace. Trust this workspace to generate certificates.');
  return false;
}

async function pickFolder(title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    title,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: 'Select',
  });
  return picked?.[0];
}

/**
 * Asks for the cluster parameters, each prefilled from the workspace's manifests. Parameters the
 * caller gave (a keybinding's or task's arguments) are used as they are, without asking.
 */
async function askParams(client: LanguageClient, folder: vscode.Uri, given?: Partial<ClusterParams>): Promise<ClusterParams | undefined> {
  const defaults = await executeCommand(client, WorkspaceDefaultsCommand, { folder: folder.fsPath });
  if (given) return { ...defaults, ...given };
  const ask = (prompt: string, value: string) => vscode.window.showInputBox({ prompt, value, ignoreFocusOut: true });
  const nodeName = await ask('Node name (CN of etcd certs, system:node:<name>)', defaults.nodeName);
  if (nodeName === undefined) return undefined;
  const advertiseAddress = await ask('API server advertise address', defaults.advertiseAddress);
  if (advertiseAddress === undefined) return undefined;
  const serviceCidr = await ask('Service CIDR (its first IP becomes a SAN)', defaults.serviceCidr);
  if (serviceCidr === undefined) return undefined;
  const extra = await ask('Extra API server SANs, comma separated (optional)', defaults.extraSans.join(','));
  if (extra === undefined) return undefined;
  const preferred = vscode.workspace.getConfiguration('kubePki').get<string>('generation.keyType', defaults.keyType);
  const keyType = await vscode.window.showQuickPick([preferred, ...KEY_TYPES.filter((k) => k !== preferred)], { title: 'Key type' });
  if (!keyType) return undefined;
  return {
    ...defaults,
    nodeName,
    advertiseAddress,
    serviceCidr,
    extraSans: extra
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    keyType: keyType as KeyType,
  };
}

/**
 * Cluster parameters a caller gave (a keybinding's, task's or test's arguments): a plain object only. The explorer's
 * context menu calls with (clicked folder, selected folders): that array is a selection, not parameters, so the user is asked.
 */
function givenParams(arg: unknown): Partial<ClusterParams> | undefined {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || arg instanceof vscode.Uri) return undefined;
  return arg as Partial<ClusterParams>;
}

/** What a generation command did: returned to callers (keybindings, tasks, tests), shown to the user. */
export interface GenerationResult {
  written?: string[];
  error?: string;
}

/** Runs the work under a progress notification. The server tells the user what was written (or why not): one action, one message. */
function report(title: string, work: () => Promise<GenerationResult>): Thenable<GenerationResult> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, work);
}

/** "Generate cluster PKI…". Arguments (all optional): the folder (the explorer's context menu passes it), then the cluster parameters. */
async function generateClusterPki(client: LanguageClient, folderArg?: unknown, paramsArg?: unknown): Promise<GenerationResult | undefined> {
  const folder = folderArg instanceof vscode.Uri ? folderArg : await pickFolder('Folder that stands for / of the node (etc/kubernetes is created in it)');
  if (!folder) return undefined;
  const params = await askParams(client, folder, givenParams(paramsArg));
  if (!params) return undefined;
  return report('Generating cluster PKI', () => executeCommand(client, GeneratePkiCommand, { outDir: folder.fsPath, params }));
}

/** "Generate certificate…". Arguments (all optional): the PKI folder, the profile, the cluster parameters. */
async function generateCertificate(
  client: LanguageClient,
  folderArg?: unknown,
  profileArg?: unknown,
  paramsArg?: unknown,
): Promise<GenerationResult | undefined> {
  const folder = folderArg instanceof vscode.Uri ? folderArg : await pickFolder('PKI folder holding the CAs (e.g. etc/kubernetes/pki)');
  if (!folder) return undefined;
  const profile =
    typeof profileArg === 'string' && PROFILES.includes(profileArg)
      ? profileArg
      : await vscode.window.showQuickPick(PROFILES, { title: 'Certificate profile (kubeadm)' });
  if (!profile) return undefined;
  const params = await askParams(client, folder, givenParams(paramsArg));
  if (!params) return undefined;
  return report(`Generating ${profile}`, () => executeCommand(client, GenerateCertCommand, { pkiDir: folder.fsPath, profile, params }));
}

/** "Create CSR…": subject, SANs, where, key type. */
async function createCsr(client: LanguageClient): Promise<GenerationResult | undefined> {
  const cn = await vscode.window.showInputBox({ prompt: 'Common Name (CN), e.g. system:node:worker-1', ignoreFocusOut: true });
  if (!cn) return undefined;
  const orgs = await vscode.window.showInputBox({ prompt: 'Organizations (O), comma separated (optional), e.g. system:nodes', ignoreFocusOut: true });
  if (orgs === undefined) return undefined;
  const sans = await vscode.window.showInputBox({ prompt: 'Subject Alternative Names, comma separated (optional)', ignoreFocusOut: true });
  if (sans === undefined) return undefined;
  const target = await vscode.window.showSaveDialog({
    title: 'Where to write NAME.key and NAME.csr',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    saveLabel: 'Create',
  });
  if (!target) return undefined;
  const keyType = await vscode.window.showQuickPick(KEY_TYPES, { title: 'Key type' });
  if (!keyType) return undefined;
  const subject: Array<[string, string]> = [
    ...orgs
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean)
      .map((o): [string, string] => ['O', o]),
    ['CN', cn],
  ];
  return report('Creating CSR', () =>
    executeCommand(client, CreateCsrCommand, {
      prefix: target.fsPath.replace(/\.(csr|key)$/, ''),
      subject,
      sans: sans
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      params: { keyType: keyType as KeyType },
    }),
  );
}

/** "Sign CSR with CA…": the CSR (the open one, else asked), the CA, the usage. */
async function signCsr(client: LanguageClient): Promise<GenerationResult | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const csr = active?.fsPath.endsWith('.csr')
    ? active
    : (await vscode.window.showOpenDialog({ title: 'CSR to sign', filters: { 'Certificate requests': ['csr', 'pem', 'req'] } }))?.[0];
  if (!csr) return undefined;
  const ca = (
    await vscode.window.showOpenDialog({ title: 'CA certificate (its key must sit beside it as NAME.key)', filters: { Certificates: ['crt', 'pem', 'cer'] } })
  )?.[0];
  if (!ca) return undefined;
  const usage = await vscode.window.showQuickPick(
    [
      { label: 'client', usages: ['clientAuth'] as Usage[] },
      { label: 'server', usages: ['serverAuth'] as Usage[] },
      { label: 'both', usages: ['serverAuth', 'clientAuth'] as Usage[] },
    ],
    { title: 'Certificate usage' },
  );
  if (!usage) return undefined;
  return report('Signing CSR', () => executeCommand(client, SignCsrCommand, { csrPath: csr.fsPath, caCertPath: ca.fsPath, usages: usage.usages }));
}

export function registerGenerationCommands(context: vscode.ExtensionContext, getClient: ClientGetter): void {
  // Every command returns what it wrote (undefined when cancelled or refused), so tasks, keybindings and tests can use it.
  const command = (id: string, run: (client: LanguageClient, ...args: unknown[]) => Promise<GenerationResult | undefined>) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        const client = getClient();
        if (!client || !trusted()) return undefined;
        return run(client, ...args);
      }),
    );
  command('kubePki.generateClusterPki', generateClusterPki);
  command('kubePki.generateCertificate', generateCertificate);
  command('kubePki.createCsr', createCsr);
  command('kubePki.signCsr', signCsr);
}
