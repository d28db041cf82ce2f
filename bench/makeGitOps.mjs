// Builds the benchmark's GitOps repository (issue 17, "Scale"; issue 19's curve): exactly `files` files
// (20,000 by default; the bench also makes 5,000 and 50,000), laid out as Flux-deployed kustomize overlays
// clusters/{prod,staging}/apps/app-NNNN over bases/app-NNNN. Most files hold no TLS material (Deployments,
// Services, ConfigMaps); one app in about 24 (100 at 20,000 files), chosen by a seeded generator, also has, in
// each cluster, a kubernetes.io/tls Secret with a real certificate and key, a ValidatingWebhookConfiguration
// with a caBundle and an Ingress with TLS. What the apps leave of the count is filled with notes (docs/).
// The layout is the same on every run (seeded); the certificates are made once per build by openssl (2 CAs,
// 2 serving certificates, ECDSA: milliseconds) and shared by every app of a cluster.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GITOPS_FILES = 20_000;
const ENVS = ['prod', 'staging'];
const SEED = 17;
// Changing what is generated changes this: a cached tree of another version is rebuilt.
const VERSION = 'gitops-2';

/** mulberry32: a small seeded generator, so the repository is the same on every machine. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A CA and a serving certificate per cluster, made once with openssl. */
function makeCertificates(dir) {
  mkdirSync(dir, { recursive: true });
  const ssl = (...args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const certs = {};
  for (const env of ENVS) {
    const f = (n) => join(dir, `${env}-${n}`);
    ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('ca.key'));
    ssl('req', '-x509', '-new', '-key', f('ca.key'), '-subj', `/CN=${env}-webhook-ca`, '-days', '3650', '-out', f('ca.crt'));
    ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('tls.key'));
    ssl('req', '-new', '-key', f('tls.key'), '-subj', `/CN=apps.${env}.example.com`, '-out', f('tls.csr'));
    writeFileSync(f('ext.cnf'), `subjectAltName=DNS:*.${env}.example.com,DNS:*.svc\nextendedKeyUsage=serverAuth\n`);
    ssl(
      'x509',
      '-req',
      '-in',
      f('tls.csr'),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '825',
      '-extfile',
      f('ext.cnf'),
      '-out',
      f('tls.crt'),
    );
    const b64 = (n) => readFileSync(f(n)).toString('base64');
    certs[env] = { ca: b64('ca.crt'), crt: b64('tls.crt'), key: b64('tls.key') };
  }
  return certs;
}

const deployment = (app, tls, replicas) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
    spec:
      containers:
        - name: ${app}
          image: registry.example.com/team/${app}:1.${replicas}.0
          args:
            - --port=8443
${tls ? '            - --tls-cert-file=/certs/tls.crt\n            - --tls-private-key-file=/certs/tls.key\n' : ''}          ports:
            - containerPort: 8443
          resources:
            requests: { cpu: 50m, memory: 64Mi }
${tls ? `          volumeMounts:\n            - name: tls\n              mountPath: /certs\n              readOnly: true\n      volumes:\n        - name: tls\n          secret:\n            secretName: ${app}-tls\n` : ''}`;

const service = (app) => `apiVersion: v1
kind: Service
metadata:
  name: ${app}
spec:
  selector:
    app.kubernetes.io/name: ${app}
  ports:
    - port: 443
      targetPort: 8443
`;

const configMap = (name, random) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  LOG_LEVEL: ${random() < 0.5 ? 'info' : 'debug'}
  CACHE_SIZE: "${Math.floor(random() * 1000)}"
  config.yaml: |
    listen: 0.0.0.0:8443
    upstream: http://backend-${Math.floor(random() * 50)}.internal:8080
    timeout: ${Math.floor(random() * 30) + 1}s
`;

const kustomization = (resources, namespace) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${namespace ? `namespace: ${namespace}\n` : ''}resources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;

const tlsSecret = (app, c) => `apiVersion: v1
kind: Secret
metadata:
  name: ${app}-tls
type: kubernetes.io/tls
data:
  tls.crt: ${c.crt}
  tls.key: ${c.key}
  ca.crt: ${c.ca}
`;

const webhook = (app, env, c) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: ${app}-${env}
webhooks:
  - name: validate.${app}.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      caBundle: ${c.ca}
      service:
        namespace: ${app}-${env}
        name: ${app}
        path: /validate
`;

const ingress = (app, env) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${app}
spec:
  tls:
    - hosts: [${app}.${env}.example.com]
      secretName: ${app}-tls
  rules:
    - host: ${app}.${env}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: { name: ${app}, port: { number: 443 } }
`;

const flux = (env) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/${env}/apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

/**
 * How many apps, and how many of them with TLS, make `files` files: 8 per app (4 in its base, 2 per cluster),
 * 6 more per TLS app, 8 for Flux; 20,000 files are 2,424 apps, 100 with TLS, as the first version of the bench.
 */
export function shapeOf(files) {
  const tlsApps = Math.max(1, Math.round(files / 200));
  const apps = Math.floor((files - 8 - 6 * tlsApps) / 8);
  return { apps, tlsApps, notes: files - 8 - 6 * tlsApps - 8 * apps };
}

/** The apps with TLS, by index: the same on every run. */
function tlsAppsOf(shape) {
  const random = seeded(SEED);
  const tls = new Set();
  while (tls.size < shape.tlsApps) tls.add(Math.floor(random() * shape.apps));
  return { tls, random };
}

const note = (i) => `# Runbook ${i}\n\nNothing to deploy here: notes for the on-call team.\n`;

/** The files of the repository, by path relative to its root (no disk access). */
function layout(certs, shape) {
  const { tls, random } = tlsAppsOf(shape);
  const files = new Map();
  const apps = Array.from({ length: shape.apps }, (_, i) => `app-${String(i).padStart(4, '0')}`);
  apps.forEach((app, i) => {
    const hasTls = tls.has(i);
    files.set(`bases/${app}/kustomization.yaml`, kustomization(['deployment.yaml', 'service.yaml', 'configmap.yaml']));
    files.set(`bases/${app}/deployment.yaml`, deployment(app, hasTls, 1 + Math.floor(random() * 5)));
    files.set(`bases/${app}/service.yaml`, service(app));
    files.set(`bases/${app}/configmap.yaml`, configMap(`${app}-config`, random));
    for (const env of ENVS) {
      const dir = `clusters/${env}/apps/${app}`;
      const extra = hasTls ? ['secret.yaml', 'webhook.yaml', 'ingress.yaml'] : [];
      files.set(`${dir}/kustomization.yaml`, kustomization([`../../../../bases/${app}`, 'configmap.yaml', ...extra], `${app}-${env}`));
      files.set(`${dir}/configmap.yaml`, configMap(`${app}-${env}-overrides`, random));
      if (!hasTls) continue;
      files.set(`${dir}/secret.yaml`, tlsSecret(app, certs[env]));
      files.set(`${dir}/webhook.yaml`, webhook(app, env, certs[env]));
      files.set(`${dir}/ingress.yaml`, ingress(app, env));
    }
  });
  for (const env of ENVS) {
    files.set(`clusters/${env}/flux-system/kustomization.yaml`, kustomization(['apps.yaml', 'namespace.yaml']));
    files.set(`clusters/${env}/flux-system/apps.yaml`, flux(env));
    files.set(`clusters/${env}/flux-system/namespace.yaml`, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n');
    files.set(`clusters/${env}/apps/kustomization.yaml`, kustomization(apps));
  }
  for (let i = 0; i < shape.notes; i++) files.set(`docs/runbook-${i}.md`, note(i));
  return files;
}

/** Makes (or reuses) the repository of `files` files under `root`; returns the folder to check and a Secret file to open. */
export function makeGitOps(root, files = GITOPS_FILES) {
  const repo = join(root, 'repo');
  const shape = shapeOf(files);
  const result = { repo, secret: undefined, files };
  const marker = join(root, '.complete');
  const version = `${VERSION}:${files}`;
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== version) {
    rmSync(root, { recursive: true, force: true });
    const made = layout(makeCertificates(join(root, '.certs')), shape);
    if (made.size !== files) throw new Error(`the generator made ${made.size} files, not ${files}`);
    const dirs = new Set();
    for (const [path, text] of made) {
      const dir = join(repo, path, '..');
      if (!dirs.has(dir)) mkdirSync(dir, { recursive: true });
      dirs.add(dir);
      writeFileSync(join(repo, path), text);
    }
    writeFileSync(marker, version);
  }
  const first = `app-${String(Math.min(...tlsAppsOf(shape).tls)).padStart(4, '0')}`;
  result.secret = join(repo, 'clusters/prod/apps', first, 'secret.yaml');
  return result;
}
