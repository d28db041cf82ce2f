// What kube-controller-manager's signers (pkg/controller/certificates/signer) and the API server's
// validation (pkg/apis/certificates/validation, helpers.go) hold a CertificateSigningRequest to, by signerName.
import type { RuleContext } from '../check/ruleContext';
import { type ApiObject, type ObjectFlag, objectLabel } from '../kube/kinds';
import type { CsrInfo } from '../pki/csr';
import type { Range } from '../text/lineIndex';
import { Report, Rule } from './rule';

const API_SERVER_CLIENT = 'kubernetes.io/kube-apiserver-client';
const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';
const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
const LEGACY_UNKNOWN = 'kubernetes.io/legacy-unknown';

/** The key usages the API server accepts (certificates.KeyUsage). */
const KNOWN_USAGES = new Set([
  'signing',
  'digital signature',
  'content commitment',
  'key encipherment',
  'key agreement',
  'data encipherment',
  'cert sign',
  'crl sign',
  'encipher only',
  'decipher only',
  'any',
  'server auth',
  'client auth',
  'code signing',
  'email protection',
  's/mime',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'timestamping',
  'ocsp signing',
  'microsoft sgc',
  'netscape sgc',
]);

/** The kubelet signers' usage sets: exactly these, key encipherment optional (it is for RSA keys). */
const KUBELET_USAGES: Record<string, string> = { [KUBELET_CLIENT]: 'client auth', [KUBELET_SERVING]: 'server auth' };

const quoted = (items: string[]) => items.map((u) => `"${u}"`).join(', ');

/** What is wrong with the usages for this signer (empty when nothing is). */
function usageProblems(signer: string, usages: string[]): string[] {
  const unknown = usages.filter((u) => !KNOWN_USAGES.has(u));
  if (unknown.length > 0) return [`${quoted(unknown)} ${unknown.length > 1 ? 'are not usages' : 'is not a usage'} the API server accepts`];
  if (signer === API_SERVER_CLIENT) {
    // validAPIServerClientUsages: digital signature and key encipherment optional, client auth required, nothing else (no CA).
    const extra = usages.filter((u) => u !== 'digital signature' && u !== 'key encipherment' && u !== 'client auth');
    if (extra.length > 0)
      return [
        `${quoted(extra)} ${extra.length > 1 ? 'are' : 'is'} not allowed: ${signer} signs client certificates only (never a CA), with digital signature, key encipherment, client auth`,
      ];
    return usages.includes('client auth') ? [] : [`"client auth" is missing, and ${signer} requires it`];
  }
  const required = KUBELET_USAGES[signer];
  if (!required) return [];
  const set = new Set(usages);
  const exact =
    set.has('digital signature') && set.has(required) && [...set].every((u) => u === 'digital signature' || u === required || u === 'key encipherment');
  return exact ? [] : [`${signer} signs exactly "digital signature", "${required}" and optionally "key encipherment", not ${quoted(usages) || 'none'}`];
}

/** What is wrong with the request's subject and SANs for a kubelet signer (ValidateKubeletClientCSR / ValidateKubeletServingCSR). */
function requestProblems(signer: string, csr: CsrInfo): string[] {
  const problems: string[] = [];
  const attributes = csr.subject.rdns.flat();
  const organizations = attributes.filter((a) => a.type === 'O').map((a) => a.value);
  if (organizations.length !== 1 || organizations[0] !== 'system:nodes')
    problems.push(`its subject's O is ${organizations.length ? quoted(organizations) : 'missing'}, not exactly "system:nodes"`);
  const commonName = attributes.find((a) => a.type === 'CN')?.value;
  if (!commonName?.startsWith('system:node:') || commonName === 'system:node:')
    problems.push(`its subject's CN is ${commonName === undefined ? 'missing' : `"${commonName}"`}, not "system:node:<node name>"`);
  const sans = csr.requestedSubjectAltNames ?? [];
  const ofType = (...types: string[]) => sans.filter((s) => types.includes(s.type)).map((s) => `${s.type}:${s.value}`);
  if (signer === KUBELET_CLIENT) {
    const any = ofType('DNS', 'IP', 'email', 'URI');
    if (any.length > 0) problems.push(`it asks for subject alternative names (${any.join(', ')}), which a kubelet client certificate may not have`);
  } else {
    if (ofType('DNS', 'IP').length === 0) problems.push('it asks for no DNS or IP subject alternative name, and a kubelet serving certificate needs one');
    const other = ofType('email', 'URI');
    if (other.length > 0) problems.push(`it asks for ${other.join(', ')}: email and URI subject alternative names are not allowed`);
  }
  return problems;
}

function checkObject(ctx: RuleContext, report: Report, object: ApiObject): void {
  const signer = object.flags.find((f) => f.name === 'signerName');
  const usages = object.flags.find((f) => f.name === 'usages');
  const at = (range: Range) => ({ file: object.file, range });
  const label = objectLabel(object);
  const v1 = object.apiVersion === 'certificates.k8s.io/v1';
  if (!signer) {
    if (v1) report(at(object.range), `${label} has no spec.signerName, which certificates.k8s.io/v1 requires`);
    return;
  }
  if (signer.value === LEGACY_UNKNOWN) {
    report(
      at(signer.range),
      v1
        ? `${label}: the API server refuses signerName ${LEGACY_UNKNOWN} in certificates.k8s.io/v1, and no controller signs it`
        : `${label}: kube-controller-manager never signs ${LEGACY_UNKNOWN} requests; the request stays pending`,
    );
    return;
  }
  checkUsages(report, object, signer, usages, v1);
  const request = object.values.find((v) => v.field === 'spec.request');
  const csr = ctx.objects.ok(request)?.csrs[0];
  if (!request || !csr || !KUBELET_USAGES[signer.value]) return;
  const problems = requestProblems(signer.value, csr);
  if (problems.length > 0) report(at(request.range), `spec.request of ${label} does not meet ${signer.value}: ${problems.join('; ')}`);
}

function checkUsages(report: Report, object: ApiObject, signer: ObjectFlag, usages: ObjectFlag | undefined, v1: boolean): void {
  const label = objectLabel(object);
  if (!usages || usages.items?.length === 0) {
    if (v1 || KUBELET_USAGES[signer.value] || signer.value === API_SERVER_CLIENT)
      report(
        { file: object.file, range: usages?.range ?? object.range },
        `${label} has no spec.usages, which ${v1 ? 'certificates.k8s.io/v1' : signer.value} requires`,
      );
    return;
  }
  const problems = usageProblems(signer.value, usages.items ?? []);
  if (problems.length > 0) report({ file: object.file, range: usages.range }, `usages of ${label}: ${problems.join('; ')}`);
}

export const csrSignerRules: Rule = {
  meta: {
    code: 'csr-signer-rules',
    severity: 'error',
    description:
      "A CertificateSigningRequest breaks its signerName's rules (usages, the kubelet signers' subject and SANs, the legacy signer): it is refused or never signed.",
    docs: 'docs/rules/csr-signer-rules.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const object of ctx.objects.objects) if (object.kind === 'CertificateSigningRequest') checkObject(ctx, report, object);
  },
};
