import { NodeModel, refOf } from '../check/clusterModel';
import { expectedNames } from '../check/expectedNames';
import type { FixSpec } from '../check/fixSpec';
import { nodeNameOf } from '../check/nodeFacts';
import type { RuleContext } from '../check/ruleContext';
import { CERT_PROFILES, ClusterParams, DEFAULT_PARAMS } from '../gen/profiles';
import { urlHost } from '../kube/addresses';
import type { Reference } from '../kube/reference';
import { pairedKeyRef, referencesAround } from './reissue';
import { base } from './signerFor';

const LEAF_ROLES = new Set(['serving-cert', 'serving-key', 'client-cert', 'client-key']);

/** The cluster facts the node's own files state, for the SANs and subjects of a generated certificate. */
export function paramsOf(node: NodeModel, hostname: string | undefined): ClusterParams {
  const apiserver = node.pods['kube-apiserver'];
  const etcdAdvertise = refOf(node.pods.etcd, '--advertise-client-urls')?.value.split(',')[0];
  return {
    ...DEFAULT_PARAMS,
    nodeName: nodeNameOf(node, hostname) ?? DEFAULT_PARAMS.nodeName,
    advertiseAddress: refOf(apiserver, '--advertise-address')?.value ?? (etcdAdvertise ? urlHost(etcdAdvertise) : undefined) ?? '127.0.0.1',
    serviceCidr: refOf(apiserver, '--service-cluster-ip-range')?.value ?? DEFAULT_PARAMS.serviceCidr,
    dnsDomain: node.dnsDomain ?? DEFAULT_PARAMS.dnsDomain,
  };
}

/**
 * For a missing kubeadm certificate or key (by its file name under the PKI
 * folder): generate the pair, signed by the CA of its profile in the same
 * folder (created first, after asking, when it is missing too).
 */
export function createMissingFix(ctx: RuleContext, node: NodeModel, ref: Reference, missingPath: string): FixSpec | undefined {
  if (!LEAF_ROLES.has(ref.role) || ref.inline) return undefined;
  const stem = missingPath.replace(/\.(crt|key|pem)$/, '');
  const profile = CERT_PROFILES.find((p) => !p.ca && stem.endsWith(`/${p.file}`));
  if (!profile) return undefined;
  const pkiDir = stem.slice(0, stem.length - profile.file.length);
  const certPath = `${stem}.crt`;
  const keyPath = `${stem}.key`;
  const signerProfile = CERT_PROFILES.find((p) => p.name === profile.signer)!;
  const signer = { certPath: `${pkiDir}${signerProfile.file}.crt`, keyPath: `${pkiDir}${signerProfile.file}.key` };
  const haveCa = ctx.workspace.exists(signer.certPath);
  const haveCaKey = ctx.workspace.exists(signer.keyPath);
  if (haveCa !== haveCaKey) return undefined; // half a CA cannot sign, and must not be replaced silently
  const params = paramsOf(node, ctx.hostname(node));
  const isCert = ref.role === 'serving-cert' || ref.role === 'client-cert';
  const certRef = isCert ? ref : referencesAround(ctx, ref).find((r) => r.spec.name === ref.spec.pairedWith && r.file === ref.file);
  const sans = [...profile.sans(params), ...(certRef ? expectedNames(ctx, node, certRef) : [])];
  const key = isCert && ctx.workspace.exists(keyPath) && pairedKeyRef(referencesAround(ctx, ref), ref) ? 'keep' : 'new';
  return {
    kind: 'issue-certificate',
    title: `Generate ${base(certPath)}${key === 'new' ? ` and ${base(keyPath)}` : ''} (${profile.description}, signed by ${base(signer.certPath)}${haveCa ? '' : ', a new CA'})`,
    certPath,
    keyPath,
    key,
    subject: profile.subject(params),
    usages: profile.usages,
    sans,
    ca: false,
    signer,
    createSigner: haveCa ? undefined : { subject: signerProfile.subject(params), files: signer },
    validityDays: DEFAULT_PARAMS.validityDays,
  };
}
