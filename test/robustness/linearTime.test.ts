import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeConfig } from '../../server/src/engine/features/configCompletion';
import { kubeconfigSymbols } from '../../server/src/engine/features/kubeconfigSymbols';
import { completeOpenssl, opensslHover } from '../../server/src/engine/features/opensslFeatures';
import { DOCUMENT_KINDS, readYamlDocument } from '../../server/src/engine/kube/kinds';
import { readEnvFile } from '../../server/src/engine/kube/kinds/envFile';
import { kubeletEnvReferences } from '../../server/src/engine/kube/kinds/kubeletEnv';
import { looksLikeOpensslConfig, readOpensslConfig } from '../../server/src/engine/kube/kinds/opensslProfile';
import { holdsPemBlocks } from '../../server/src/engine/kube/kinds/pem';
import { looksLikeSystemdUnit, readSystemdUnit } from '../../server/src/engine/kube/kinds/systemdUnit';
import { opensslConfigProblems } from '../../server/src/engine/kube/openssl/configProblems';
import { parseConfigText } from '../../server/src/engine/kube/parseConfigText';
import { unexpandedVariable } from '../../server/src/engine/kube/unexpandedVariable';
import { parseYamlFile } from '../../server/src/engine/kube/yamlFile';
import { decodePkiBytes } from '../../server/src/engine/pki/decode';
import { looksLikePem, scanPem } from '../../server/src/engine/pki/pem';
import { LineIndex } from '../../server/src/engine/text/lineIndex';
import { service } from '../support/service';

/**
 * Every entry point that reads file content costs linear time on adversarial
 * shapes: twice the input must cost less than three times the time (a
 * quadratic step costs four times). Each measurement repeats the call until the
 * smaller input takes tens of milliseconds and keeps the fastest of several
 * runs, in CPU time, so a loaded machine slows neither size.
 */
const UNITS = 20_000;
const TARGET_MS = 10;
const RUNS = 3;
const ATTEMPTS = 3;

/**
 * CPU time of the process, not wall time: on a loaded machine (the test runner runs two files
 * at once, CI has two cores) waiting for a core is not the reader's cost.
 */
function time(run: () => void, times: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < times; i++) run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e3;
}

/** The fastest of RUNS timings of each size, taken in turns so a burst of load slows both alike. */
function ratio(entry: (text: string) => unknown, small: string, large: string, times: number): { tSmall: number; tLarge: number } {
  let tSmall = Infinity;
  let tLarge = Infinity;
  for (let i = 0; i < RUNS; i++) {
    tSmall = Math.min(
      tSmall,
      time(() => entry(small), times),
    );
    tLarge = Math.min(
      tLarge,
      time(() => entry(large), times),
    );
  }
  return { tSmall, tLarge };
}

function assertLinear(entry: (text: string) => unknown, shape: (n: number) => string): void {
  // A linear reader passes at the first attempt, but for a burst of load or a size where the
  // runtime changes gear (a string moving to the large-object space): the next attempt doubles
  // the sizes. A quadratic reader fails at every size.
  let last = '';
  for (let attempt = 0, units = UNITS; attempt < ATTEMPTS; attempt++, units *= 2) {
    const small = shape(units);
    const large = shape(2 * units);
    entry(small); // compiled before it is timed
    const once = Math.max(
      time(() => entry(small), 1),
      0.001,
    );
    const times = Math.min(10_000, Math.ceil(TARGET_MS / once));
    const { tSmall, tLarge } = ratio(entry, small, large, times);
    if (tLarge < 3 * tSmall) return;
    last = `${units} units: ${tSmall.toFixed(1)} ms, ${2 * units}: ${tLarge.toFixed(1)} ms (x${(tLarge / tSmall).toFixed(2)}, ${times} calls each)`;
    if (once > 200) break; // already slow once: clearly super-linear, no need to wait for bigger sizes
  }
  assert.fail(last);
}

const repeat = (unit: string) => (n: number) => unit.repeat(n);
const framed =
  (before: string, unit: string, after = 'x') =>
  (n: number) =>
    before + unit.repeat(n) + after;
/** Many entries of a YAML structure: a fraction of the units (each entry is a whole YAML node). */
const entries =
  (before: string, entry: string, fraction = 10) =>
  (n: number) =>
    before + entry.repeat(n / fraction);

/** Shapes every entry point gets: runs of blanks and line breaks, and the punctuation the readers give meaning to. */
const COMMON: Record<string, (n: number) => string> = {
  'spaces then x': framed('', ' '),
  'tabs then x': framed('', '\t'),
  newlines: repeat('\n'),
  'CRLF line breaks': repeat('\r\n'),
  'lines of spaces': repeat(' \n'),
  dashes: repeat('-'),
  '"-----BEGIN " repeated': repeat('-----BEGIN '),
  '"--a=" repeated': repeat('--a='),
  '"[" repeated': repeat('['),
  '"a: " repeated': repeat('a: '),
  '"=" run': repeat('='),
};

/** Each syntax's own prefix before a long run (what a reader that recognises it goes deep into). */
const ENV = {
  'KUBELET_KUBEADM_ARGS=" then spaces': framed('KUBELET_KUBEADM_ARGS="', ' '),
  'KUBELET_KUBEADM_ARGS=" then "--a= "': framed('KUBELET_KUBEADM_ARGS="', '--a= ', '"'),
  '"KUBELET_" then capitals': framed('KUBELET_', 'A', '\n'),
};
const ENV_FILE = {
  'KUBE_API_ARGS=" then spaces': framed('KUBE_API_ARGS="', ' ', 'x'),
  'KUBE_API_ARGS=" then "--tls-cert-file "': framed('KUBE_API_ARGS="', '--tls-cert-file ', '"'),
  'ETCD_CERT_FILE= then spaces': framed('ETCD_CERT_FILE=', ' ', 'x'),
  '"ETCD_" then capitals': framed('ETCD_', 'A', '\n'),
  'lines of "export "': repeat('export \n'),
};
const OPENSSL = {
  'an openssl value then spaces': framed('[ req ]\ndistinguished_name = ', ' ', '\rx'),
  '"[ req ]" then blanks': framed('[ req ]', ' ', 'x'),
};
const SYSTEMD = {
  'ExecStart= then spaces': framed('[Service]\nExecStart=', ' ', 'x'),
  'ExecStart continuation lines': framed('[Service]\nExecStart=/usr/bin/kubelet', ' \\\n'),
};
const PEM = {
  'BEGIN lines without END': repeat('-----BEGIN CERTIFICATE-----\n'),
  'empty blocks': repeat('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'),
  'a PEM header then spaces': framed('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4', ' ', 'x\n'),
  'a BEGIN label then spaces': framed('-----BEGIN A', ' ', '-----x'),
};
const YAML = {
  'newlines then a kubeconfig': framed('', '\n', 'apiVersion: v1\nkind: Config\n'),
  '"kind" then blank lines': framed('kind', ' \n', 'x'),
  'a JSON key then blanks': framed('{"kind"', ' ', 'x'),
  '"{" repeated': repeat('{'),
  'a kubeconfig with one key repeated': entries('apiVersion: v1\nkind: Config\n', 'a: 1\nb: 2\n'),
  'a kubeconfig with many clusters': entries('apiVersion: v1\nkind: Config\nclusters:\n', '- name: a\n  cluster:\n    certificate-authority: ca.crt\n'),
};

const MANIFEST = '/cluster/etc/kubernetes/manifests/kube-apiserver.yaml';
const POD = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command:\n    - kube-apiserver\n    - --tls-cert-file=';

const ENTRY_POINTS: Record<string, (text: string) => unknown> = {
  parseConfigText: (text) => parseConfigText(MANIFEST, text),
  kubeletEnvReferences: (text) => kubeletEnvReferences(text, '/cluster/var/lib/kubelet/kubeadm-flags.env'),
  readEnvFile: (text) => readEnvFile(text, '/cluster/etc/kubernetes/apiserver'),
  'looksLikeSystemdUnit + readSystemdUnit': (text) => [looksLikeSystemdUnit(text), readSystemdUnit(text, '/cluster/etc/systemd/system/kubelet.service')],
  'looksLikeOpensslConfig + readOpensslConfig': (text) => [looksLikeOpensslConfig(text), readOpensslConfig(text)],
  'readOpensslConfig + opensslConfigProblems': (text) => opensslConfigProblems(readOpensslConfig(text)),
  'opensslHover + completeOpenssl at the end': (text) => {
    const end = new LineIndex(text).positionAt(text.length);
    return [opensslHover(text, end), completeOpenssl(text, end)];
  },
  'looksLikePem + scanPem': (text) => [looksLikePem(text), scanPem(text)],
  decodePkiBytes: (text) => decodePkiBytes(new Uint8Array(Buffer.from(text))),
  'parseYamlFile + readYamlDocument': (text) => {
    const yaml = parseYamlFile(text);
    return yaml.documents.map((doc) => readYamlDocument(yaml, doc, MANIFEST));
  },
  // Every text kind's detector runs on every file of a tree (a new kind's too: it is read from the list).
  "each registered text kind's detect, and holdsPemBlocks": (text) => [
    ...DOCUMENT_KINDS.map((kind) => kind.syntax === 'text' && kind.detect(text, '')),
    holdsPemBlocks('/cluster/etc/kubernetes/pki/ca.crt', text),
  ],
  completeConfig: (text) =>
    completeConfig(text, MANIFEST, new LineIndex(text).positionAt(text.length), ['/cluster/etc/kubernetes/pki/apiserver.crt'], '/cluster'),
  kubeconfigSymbols: (text) => kubeconfigSymbols(text, '/cluster/etc/kubernetes/admin.conf'),
  // Every flag value is scanned for a variable: the value is file content.
  unexpandedVariable: (text) => unexpandedVariable(text),
  'PemDocument diagnostics, symbols, folding, hover': (text) => {
    const doc = service.pemDocument(text);
    return [doc.diagnostics(), doc.symbols(), doc.foldingRanges(), doc.hover(new LineIndex(text).positionAt(text.length))];
  },
};

/** The shapes each entry point gets besides COMMON. */
const SPECIFIC: Record<string, Record<string, (n: number) => string>> = {
  parseConfigText: { ...ENV, ...ENV_FILE, ...OPENSSL, ...SYSTEMD, ...YAML, 'a PEM header then spaces': PEM['a PEM header then spaces'] },
  kubeletEnvReferences: ENV,
  readEnvFile: ENV_FILE,
  'looksLikeSystemdUnit + readSystemdUnit': SYSTEMD,
  'looksLikeOpensslConfig + readOpensslConfig': OPENSSL,
  // Each item, key and section name is matched against the known names (and each other): linear only if that stays bounded.
  'readOpensslConfig + opensslConfigProblems': {
    ...OPENSSL,
    'a keyUsage of many misspelt items': framed('[ v3_req ]\nkeyUsage = ', 'digitalSigniture,', 'x'),
    'a keyUsage of empty items': framed('[ v3_req ]\nkeyUsage = ', ',', 'x'),
    'a long unknown extension name': framed('[ v3_req ]\n', 'b', ' = x'),
    'many unknown extensions': entries('[ v3_req ]\n', 'basicContrainsts = CA:FALSE\n'),
    'many missing sections': entries('[ req ]\n', 'distinguished_name = dn\nx509_extensions = v3_ca\n'),
    'many sections naming missing ones': entries('', '[ v3_a ]\nsubjectAltName = @alt_name\n'),
  },
  'opensslHover + completeOpenssl at the end': {
    ...OPENSSL,
    'a keyUsage being typed': framed('[ req ]\ndistinguished_name = dn\n[ v3_req ]\nkeyUsage = ', 'a,', ''),
    'many extension sections, a key being typed': entries('[ req ]\ndistinguished_name = dn\n', '[ v3_a ]\nkeyUsage = a\n', 10),
  },
  'looksLikePem + scanPem': PEM,
  decodePkiBytes: PEM,
  'parseYamlFile + readYamlDocument': YAML,
  "each registered text kind's detect, and holdsPemBlocks": { ...ENV, ...ENV_FILE, ...OPENSSL, ...SYSTEMD, ...PEM, ...YAML },
  completeConfig: { 'a static pod flag value then spaces': framed(POD, ' ', 'x\n'), 'a static pod with many flags': entries(POD, 'x\n    - --tls-cert-file=') },
  // A search of every reference per user was quadratic, but cheap per step: it shows from 5,000 users.
  kubeconfigSymbols: {
    'a kubeconfig with many users': entries('apiVersion: v1\nkind: Config\nusers:\n', '- name: a\n  user:\n    client-certificate: a.crt\n', 4),
  },
  'PemDocument diagnostics, symbols, folding, hover': PEM,
  unexpandedVariable: {
    '"%%" repeated': repeat('%%'),
    '"$$" repeated': repeat('$$'),
    '"%4" repeated': repeat('%4'),
    '"$" then digits': framed('', '$1'),
    '"${" never closed': framed('${', 'a'),
    '"$(" never closed': framed('$(', 'a'),
  },
};

describe('every reader of file content costs linear time', () => {
  for (const [entryName, entry] of Object.entries(ENTRY_POINTS)) {
    describe(entryName, () => {
      for (const [shapeName, shape] of Object.entries({ ...COMMON, ...SPECIFIC[entryName] })) {
        it(shapeName, () => assertLinear(entry, shape));
      }
    });
  }
});
