// The workspace every real-client run opens: a fresh copy of the example
// cluster (its five deliberate mistakes are what the tests look at), with an
// empty folder for the generation commands to write into, and (trusted) the
// API objects a GitOps repository holds: a TLS Secret and a webhook's caBundle.
import { chmodSync, cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a file holds a private key: a PEM key, or a kubeconfig with client-key-data. */
const holdsKey = (text) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) || text.includes('client-key-data:');

/** Private keys (and kubeconfigs holding one) as kubeadm leaves them on a node (0600): a git checkout makes them 0644. */
function restrictKeys(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) restrictKeys(path);
    else if (entry.isFile() && !lstatSync(path).isSymbolicLink() && holdsKey(readFileSync(path, 'utf8'))) chmodSync(path, 0o600);
  }
}

/**
 * The untrusted window's folder carries a repository's own .vscode/settings.json pointing
 * kubePki.nodeRoot at / : a restricted setting, which VS Code must not apply until trusted
 * (beside an unrestricted one, which shows the file was read).
 */
const WORKSPACE_SETTINGS = { untrusted: { 'kubePki.nodeRoot': '/', 'kubePki.generation.keyType': 'ECDSA-P384' } };

const base64Of = (dir, relative) => readFileSync(join(dir, relative)).toString('base64');

/**
 * apps/: a TLS Secret and a ValidatingWebhookConfiguration whose values are the example's etcd
 * serving certificate and etcd CA (already in the cluster, so the PKI view and the problems are
 * unchanged; the chain is sound, so no finding). Only in the trusted window, whose suite hovers them.
 */
function writeApiObjects(dir) {
  const serving = base64Of(dir, 'etc/kubernetes/pki/etcd/server.crt');
  const ca = base64Of(dir, 'etc/kubernetes/pki/etcd/ca.crt');
  mkdirSync(join(dir, 'apps'));
  const secret = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: webhook-server-tls', '  namespace: apps', 'type: kubernetes.io/tls', 'data:'];
  writeFileSync(join(dir, 'apps', 'webhook-tls.yaml'), [...secret, `  tls.crt: ${serving}`, `  ca.crt: ${ca}`, ''].join('\n'));
  const webhook = [
    'apiVersion: admissionregistration.k8s.io/v1',
    'kind: ValidatingWebhookConfiguration',
    'metadata:',
    '  name: policy-webhook',
    'webhooks:',
    '- name: policy.apps.example.com',
    '  admissionReviewVersions: ["v1"]',
    '  sideEffects: None',
    '  clientConfig:',
    '    service:',
    '      namespace: apps',
    '      name: webhook-server',
    '      path: /validate',
    `    caBundle: ${ca}`,
    '',
  ];
  writeFileSync(join(dir, 'apps', 'webhook.yaml'), webhook.join('\n'));
}

export function exampleWorkspace(root, scratch, name) {
  const dir = join(scratch, name);
  // verbatimSymlinks: kubelet-client-current.pem must stay a relative link inside the copy.
  cpSync(join(root, 'examples', 'cluster'), dir, { recursive: true, verbatimSymlinks: true });
  // Outside a git work tree key-permissions applies (see docs/rules/key-permissions.md).
  restrictKeys(dir);
  mkdirSync(join(dir, 'generated'));
  if (name === 'trusted') writeApiObjects(dir);
  if (WORKSPACE_SETTINGS[name]) {
    mkdirSync(join(dir, '.vscode'));
    writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify(WORKSPACE_SETTINGS[name], null, 2));
  }
  return dir;
}

/** User settings for a test window: quiet, and an untrusted folder stays in restricted mode without a modal dialog. */
export const TEST_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'editor.hover.delay': 200,
  'window.zoomLevel': 0,
  // No chat side bar in the pictures.
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};
