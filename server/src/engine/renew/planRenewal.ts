import { posix } from 'node:path';
import { distributionOf } from '../check/clusterModel';
import type { RuleContext } from '../check/ruleContext';
import { caKeyPaths, renewalOf } from '../distributions';
import { validityWindow } from '../gen/generatePki';
import type { CertificateInfo } from '../pki/certificate';
import { findIssuer } from '../verify/potentialIssuers';
import { daysBetween, expiryStatus } from '../verify/validity';
import { Leaf, leafMatches, leavesOf } from './leaves';

export interface RenewalOptions {
  /** Every leaf, or those NAME... means (kubeadm names or paths relative to the folder). */
  all: boolean;
  names: string[];
  now: Date;
  /** Days; the role's profile lifetime when absent. */
  validityDays?: number;
  expiryWarningDays: number;
}

export interface CaFiles {
  certPath: string;
  keyPath: string;
  cert: CertificateInfo;
}

export interface PlannedRenewal {
  leaf: Leaf;
  signer: CaFiles;
  notBefore: Date;
  newNotAfter: Date;
  /** The CA's notAfter came first: the new certificate ends with it. */
  clamped: boolean;
  /** The distribution writes the CA's certificates after the leaf (k3s, RKE2): the renewed file does too. */
  appendsChain: boolean;
}

export interface RenewalPlan {
  renew: PlannedRenewal[];
  /** Left alone, with why; `counts` when it was asked for and could not be renewed (exit 1). */
  skipped: Array<{ leaf?: Leaf; path: string; field: string | null; reason: string; counts: boolean }>;
  /** CAs that sign a renewed leaf and are expired or within the warning window: renewing them is a rotation. */
  caWarnings: Array<{ ca: CaFiles; message: string }>;
}

/**
 * Every CA certificate of the tree whose key lies beside it (ca.crt + ca.key, kubespray's ca.pem + ca-key.pem): what may
 * sign a renewal. A key pairs with its file's first certificate only: a k3s leaf file holds its CA after the leaf, and
 * the key beside it is the leaf's.
 */
async function signingCas(ctx: RuleContext): Promise<CaFiles[]> {
  const cas: CaFiles[] = [];
  for (const path of ctx.workspace.pemFiles) {
    const keyPath = caKeyPaths(path, distributionOf(ctx.nodes, path)).find((p) => ctx.workspace.exists(p));
    if (!keyPath) continue;
    const first = (await ctx.workspace.load(path)).decoded.blocks.find((b) => b.object?.kind === 'certificate')?.object;
    const cert = first?.kind === 'certificate' ? first : undefined;
    if (cert?.basicConstraints?.ca) cas.push({ certPath: path, keyPath, cert });
  }
  return cas;
}

function selected(leaves: Leaf[], options: RenewalOptions, dir: string, plan: RenewalPlan): Leaf[] {
  if (options.all) return leaves;
  const chosen: Leaf[] = [];
  for (const name of options.names) {
    const hits = leaves.filter((l) => leafMatches(l, name, dir));
    if (hits.length === 0) plan.skipped.push({ path: posix.resolve(dir, name), field: null, reason: 'no certificate of the tree by that name', counts: true });
    chosen.push(...hits);
  }
  return leaves.filter((l) => chosen.includes(l));
}

/** What a renewal would do, without writing anything: which leaves, signed by which CA, until when. */
export async function planRenewal(ctx: RuleContext, options: RenewalOptions): Promise<RenewalPlan> {
  const plan: RenewalPlan = { renew: [], skipped: [], caWarnings: [] };
  const cas = await signingCas(ctx);
  for (const leaf of selected(await leavesOf(ctx), options, ctx.workspace.boundary, plan)) {
    const at = { leaf, path: leaf.path, field: leaf.field };
    if (leaf.leftToKubelet) {
      plan.skipped.push({ ...at, reason: 'the kubelet renews its own certificates (as with kubeadm)', counts: !options.all });
      continue;
    }
    const signer = findIssuer(leaf.cert, cas, (c) => c.cert);
    if (!signer) {
      plan.skipped.push({ ...at, reason: `the key of the CA that signed it (${leaf.cert.issuer.text}) is not in the tree`, counts: true });
      continue;
    }
    // The distribution's lifetime for this file (k3s 365 days, MicroK8s's clients 3650...), unless --validity says.
    const profile = renewalOf(leaf.distribution, leaf.path);
    const window = validityWindow(options.validityDays ?? profile.days, options.now);
    const clamped = window.notAfter > signer.cert.notAfter;
    const newNotAfter = clamped ? signer.cert.notAfter : window.notAfter;
    plan.renew.push({ leaf, signer, notBefore: window.notBefore, newNotAfter, clamped, appendsChain: profile.appendsChain });
    if (!plan.caWarnings.some((w) => w.ca.certPath === signer.certPath)) {
      const status = expiryStatus(signer.cert, options.now, options.expiryWarningDays);
      const days = daysBetween(options.now, signer.cert.notAfter);
      if (status === 'expired') plan.caWarnings.push({ ca: signer, message: `expired ${-days} days ago` });
      if (status === 'expiring') plan.caWarnings.push({ ca: signer, message: `expires in ${days} days` });
    }
  }
  plan.skipped.sort((a, b) => a.path.localeCompare(b.path) || (a.field ?? '').localeCompare(b.field ?? ''));
  return plan;
}
