import type { CertificateInfo } from '../pki/certificate';
import { MUST_BE_NON_CRITICAL, nameOf, SIGNATURE_ALGORITHMS, UNDERSTOOD_EXTENSIONS, WEAK_SIGNATURE_ALGORITHMS } from '../pki/oids';
import { checkCaUsable, checkRootUsable } from './caUsable';
import { matchHostname, matchIp } from './hostname';
import { checkIssuedBy } from './issuedBy';
import { MAX_CHAIN_SIGNATURE_CHECKS, potentialIssuers } from './potentialIssuers';
import { checkPurpose, Purpose } from './purpose';
import { rfc5280Violations } from './rfc5280';
import { checkValidity } from './validity';
import { Verdict } from './verdict';

export interface VerifyOptions {
  /** Certificates trusted as anchors (the --ca bundle). */
  trusted: CertificateInfo[];
  /** Untrusted certificates that may complete the chain. */
  intermediates?: CertificateInfo[];
  /** Validation instant; defaults to now. */
  at?: Date;
  /** DNS name the leaf must carry in its SAN. */
  host?: string;
  /** IP address the leaf must carry in its SAN. */
  ip?: string;
  purpose?: Purpose;
  /** Reject RFC 5280 violations Go accepts, as `openssl verify -x509_strict` does (default: Go's verdict, the violations as warnings). */
  strict?: boolean;
}

export type CheckName =
  | 'chain'
  | 'signature'
  | 'signature-algorithm'
  | 'validity'
  | 'ca'
  | 'path-length'
  | 'critical-extensions'
  | 'structure'
  | 'hostname'
  | 'ip'
  | 'purpose'
  | 'key-pair'
  | 'chain-too-complex'
  | 'rfc5280';

/** One check of one certificate, with a sentence for the user. */
export interface CheckResult {
  check: CheckName;
  /** Subject of the certificate checked. */
  subject: string;
  ok: boolean;
  message: string;
}

export interface VerifyResult {
  accepted: boolean;
  /** The chain judged, leaf first, ending at a trusted certificate when one was reached. */
  chain: CertificateInfo[];
  checks: CheckResult[];
  /** Messages of the failed checks: why the leaf is rejected. */
  reasons: string[];
  /** Candidate issuers considered (each a signature check, cached or not), at most MAX_CHAIN_SIGNATURE_CHECKS. */
  signatureChecks: number;
  /** The search gave up at MAX_CHAIN_SIGNATURE_CHECKS before it found a chain (the `chain-too-complex` check). */
  tooComplex: boolean;
  /** RFC 5280 violations Go accepts, noticed in the chain judged (empty when strict: there they are failures). */
  warnings: string[];
}

const MAX_CHAIN_LENGTH = 8;

export { MAX_CHAIN_SIGNATURE_CHECKS };

/** Decoder warnings that still make a certificate unusable in a chain. */
const REJECTED_WARNINGS = new Set(['signature-algorithm-mismatch']);
const MAX_PATHS = 16;

interface Path {
  certs: CertificateInfo[];
  signatureChecks: CheckResult[];
}

interface Search {
  trusted: Set<string>;
  /** Trusted certificates, then intermediates, by subject: Go looks in the roots before the intermediates. */
  bySubject: Map<string, CertificateInfo[]>;
  poolHasIntermediates: boolean;
  complete: Path[];
  /** Why candidate issuers were refused or missing, for when no path is complete. */
  deadEnds: CheckResult[];
  /** Candidates considered so far, against MAX_CHAIN_SIGNATURE_CHECKS. */
  signatureChecks: number;
  gaveUp: boolean;
  /** Set once a complete path passes every check: nothing better can be found. */
  done: boolean;
  judge: (path: Path) => CheckResult[];
  judged: Map<Path, CheckResult[]>;
}

/**
 * Go's alreadyInChain: a candidate with the subject, key and SAN of a certificate
 * already in the path adds nothing (re-issued or cross-signed copies of one CA),
 * and without this test copies sharing a key make the search exponential.
 */
function alreadyInChain(candidate: CertificateInfo, certs: CertificateInfo[]): boolean {
  return certs.some(
    (c) =>
      c.sha256 === candidate.sha256 ||
      (c.subject.comparable === candidate.subject.comparable && c.publicKey.spkiSha256 === candidate.publicKey.spkiSha256 && sanKey(c) === sanKey(candidate)),
  );
}

function sanKey(cert: CertificateInfo): string {
  return cert.subjectAltNames ? JSON.stringify(cert.subjectAltNames) : '';
}

/** Depth-first search for paths from the leaf to a trusted certificate, verifying signatures on the way, within the budget. */
function extend(search: Search, path: Path): void {
  if (search.complete.length >= MAX_PATHS || search.done || search.gaveUp) return;
  const current = path.certs[path.certs.length - 1];
  if (search.trusted.has(current.sha256)) {
    search.complete.push(path);
    const checks = search.judge(path);
    search.judged.set(path, checks);
    if (failures(checks) === 0) search.done = true;
    return;
  }
  if (path.certs.length >= MAX_CHAIN_LENGTH) {
    search.deadEnds.push(result('chain', current, false, `the chain is longer than ${MAX_CHAIN_LENGTH} certificates`));
    return;
  }
  const named = search.bySubject.get(current.issuer.comparable) ?? [];
  const candidates = potentialIssuers(current, named, (c) => c).filter((c) => !alreadyInChain(c, path.certs));
  if (candidates.length === 0) {
    const why = current.selfIssued
      ? `the chain ends at "${current.subject.text || '(empty subject)'}", a self-issued certificate that is not trusted`
      : `its issuer "${current.issuer.text}" is not among the trusted CAs${search.poolHasIntermediates ? ' or the intermediates' : ''}`;
    search.deadEnds.push(result('chain', current, false, why));
    return;
  }
  for (const issuer of candidates) {
    if (search.done || search.gaveUp || search.complete.length >= MAX_PATHS) return;
    if (++search.signatureChecks > MAX_CHAIN_SIGNATURE_CHECKS) {
      search.gaveUp = true;
      return;
    }
    const verdict = checkIssuedBy(current, issuer);
    const check = result('signature', current, verdict.ok, verdict.reasons.join('; '));
    if (!verdict.ok) {
      search.deadEnds.push(check);
      continue;
    }
    extend(search, { certs: [...path.certs, issuer], signatureChecks: [...path.signatureChecks, check] });
  }
}

function result(check: CheckName, cert: CertificateInfo, ok: boolean, message: string): CheckResult {
  return { check, subject: cert.subject.text || '(empty subject)', ok, message };
}

function fromVerdict(check: CheckName, cert: CertificateInfo, verdict: Verdict): CheckResult {
  return result(check, cert, verdict.ok, verdict.reasons.join('; '));
}

/** Checks every certificate of a complete path: dates, structure, CA-ness, path length, critical extensions, algorithms. */
function checkPath(path: Path, at: Date, purpose: Purpose | undefined): CheckResult[] {
  const checks: CheckResult[] = [...path.signatureChecks];
  const certs = path.certs;
  certs.forEach((cert, i) => {
    checks.push(fromVerdict('validity', cert, checkValidity(cert, at)));
    for (const p of cert.problems.filter((p) => p.severity === 'error' || REJECTED_WARNINGS.has(p.code)))
      checks.push(result('structure', cert, false, p.message));
    const critical = cert.extensions.filter((e) => e.critical && (!UNDERSTOOD_EXTENSIONS.has(e.oid) || MUST_BE_NON_CRITICAL[e.oid]));
    for (const e of critical) {
      checks.push(
        result(
          'critical-extensions',
          cert,
          false,
          MUST_BE_NON_CRITICAL[e.oid] ? `${MUST_BE_NON_CRITICAL[e.oid]} is marked critical` : `unhandled critical extension ${e.name}`,
        ),
      );
    }
    const isAnchor = i === certs.length - 1 && i > 0;
    // A trust anchor's own signature is not checked, so its algorithm does not matter.
    if (!isAnchor && WEAK_SIGNATURE_ALGORITHMS.has(cert.signatureAlgorithmOid) && i < certs.length - 1) {
      checks.push(
        result('signature-algorithm', cert, false, `signed with ${nameOf(SIGNATURE_ALGORITHMS, cert.signatureAlgorithmOid)}, which Go (Kubernetes) rejects`),
      );
    }
    if (i === 0) return;
    // Go checks a root only as the issuer of the certificate below it (CheckSignatureFrom); the rest is strictness.
    checks.push(fromVerdict('ca', cert, isAnchor ? checkRootUsable(cert) : checkCaUsable(cert)));
    const pathLen = cert.basicConstraints?.pathLen;
    if (pathLen !== undefined) {
      // Intermediates below this CA, not counting self-issued ones (RFC 5280 6.1.4 (l)).
      const below = certs.slice(1, i).filter((c) => !c.selfIssued).length;
      checks.push(
        result(
          'path-length',
          cert,
          below <= pathLen,
          below <= pathLen ? `pathLen ${pathLen} allows the ${below} CA certificate(s) below it` : `pathLen ${pathLen} but ${below} CA certificates follow it`,
        ),
      );
    }
    if (purpose && i < certs.length - 1 && cert.extendedKeyUsageOids) {
      const verdict = checkPurpose(cert, purpose);
      checks.push(result('purpose', cert, verdict.ok, `intermediate CA: ${verdict.reasons.join('; ')}`));
    }
  });
  return checks;
}

/**
 * Verifies a leaf: builds a chain through the intermediates to a trusted
 * certificate, then checks every certificate of it and the leaf's name and
 * purpose. This is the function behind `kube-pki verify` and the checker.
 */
export function verifyCertificate(leaf: CertificateInfo, options: VerifyOptions): VerifyResult {
  const at = options.at ?? new Date();
  const trusted = options.trusted;
  const bySubject = new Map<string, CertificateInfo[]>();
  const seen = new Set<string>();
  for (const cert of [...trusted, ...(options.intermediates ?? [])]) {
    if (seen.has(cert.sha256)) continue;
    seen.add(cert.sha256);
    const list = bySubject.get(cert.subject.comparable);
    if (list) list.push(cert);
    else bySubject.set(cert.subject.comparable, [cert]);
  }
  const search: Search = {
    trusted: new Set(trusted.map((c) => c.sha256)),
    bySubject,
    poolHasIntermediates: seen.size > new Set(trusted.map((c) => c.sha256)).size,
    complete: [],
    deadEnds: [],
    signatureChecks: 0,
    gaveUp: false,
    done: false,
    judge: (path) => [...checkPath(path, at, options.purpose), ...(options.strict ? violationsOf(path.certs) : [])],
    judged: new Map(),
  };
  extend(search, { certs: [leaf], signatureChecks: [] });
  const signatureChecks = Math.min(search.signatureChecks, MAX_CHAIN_SIGNATURE_CHECKS);

  const leafChecks: CheckResult[] = [];
  if (options.host !== undefined) leafChecks.push(fromVerdict('hostname', leaf, matchHostname(leaf, options.host)));
  if (options.ip !== undefined) leafChecks.push(fromVerdict('ip', leaf, matchIp(leaf, options.ip)));
  if (options.purpose) leafChecks.push(fromVerdict('purpose', leaf, checkPurpose(leaf, options.purpose)));

  let best: { path: Path; checks: CheckResult[] } | undefined;
  for (const path of search.complete) {
    const checks = [...(search.judged.get(path) ?? []), ...leafChecks];
    if (!best || failures(checks) < failures(best.checks)) best = { path, checks };
    if (failures(checks) === 0) break;
  }

  if (!best && search.gaveUp) {
    // Not a verdict on the certificate: the search stopped, as Go's does, before finding a chain.
    const gaveUp = result('chain-too-complex', leaf, false, chainTooComplexMessage());
    const checks = [gaveUp, ...checkPath({ certs: [leaf], signatureChecks: [] }, at, options.purpose), ...leafChecks, ...strictChecks([leaf], options)];
    const reasons = checks.filter((c) => !c.ok).map(describeFailure);
    return { accepted: false, chain: [leaf], checks, reasons, signatureChecks, tooComplex: true, warnings: warningsOf([leaf], options) };
  }
  if (!best) {
    const checks = [
      ...uniqueChecks(search.deadEnds),
      ...checkPath({ certs: [leaf], signatureChecks: [] }, at, options.purpose),
      ...leafChecks,
      ...strictChecks([leaf], options),
    ];
    if (!checks.some((c) => c.check === 'chain' && !c.ok)) checks.unshift(result('chain', leaf, false, 'no chain to a trusted CA could be built'));
    const reasons = checks.filter((c) => !c.ok).map(describeFailure);
    return { accepted: false, chain: [leaf], checks, reasons, signatureChecks, tooComplex: false, warnings: warningsOf([leaf], options) };
  }
  const chainCheck = result('chain', leaf, true, `chain of ${best.path.certs.length} to trusted "${best.path.certs[best.path.certs.length - 1].subject.text}"`);
  const checks = [chainCheck, ...best.checks];
  const reasons = checks.filter((c) => !c.ok).map(describeFailure);
  return {
    accepted: reasons.length === 0,
    chain: best.path.certs,
    checks,
    reasons,
    signatureChecks,
    tooComplex: false,
    warnings: warningsOf(best.path.certs, options),
  };
}

/** The RFC 5280 violations of a chain (leaf first, its last certificate the anchor when there are several), as failed checks. */
function violationsOf(certs: CertificateInfo[]): CheckResult[] {
  return certs.flatMap((cert, i) => rfc5280Violations(cert, i > 0 && i === certs.length - 1).map((m) => result('rfc5280', cert, false, m)));
}

function strictChecks(certs: CertificateInfo[], options: VerifyOptions): CheckResult[] {
  return options.strict ? violationsOf(certs) : [];
}

function warningsOf(certs: CertificateInfo[], options: VerifyOptions): string[] {
  return options.strict ? [] : violationsOf(certs).map(describeFailure);
}

/** What `chain-too-complex` says: the search's limit, not a fault of the certificate. */
export function chainTooComplexMessage(): string {
  return `the chain search gave up after ${MAX_CHAIN_SIGNATURE_CHECKS} signature checks (Go's limit, crypto/x509 maxChainSignatureChecks): too many candidate issuers share a name, so the certificate was neither accepted nor found unsigned`;
}

function failures(checks: CheckResult[]): number {
  return checks.filter((c) => !c.ok).length;
}

function uniqueChecks(checks: CheckResult[]): CheckResult[] {
  const seen = new Set<string>();
  return checks.filter((c) => {
    const key = `${c.check}|${c.subject}|${c.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function describeFailure(check: CheckResult): string {
  return `${check.subject}: ${check.message}`;
}
