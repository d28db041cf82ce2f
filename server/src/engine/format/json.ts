import type { DecodedBlock, DecodedFile, PkiObject } from '../pki/decode';
import type { CheckResult, VerifyResult } from '../verify/chain';
import { daysBetween } from '../verify/validity';
import { describeObject, isSelfSigned, titleOfBlock } from './describe';

/** The JSON shape of one decoded object (`kube-pki inspect --format json`). Dates are ISO-8601; no private material. */
export function objectToJson(object: PkiObject, at: Date): Record<string, unknown> {
  const findings = describeObject(object, at).findings;
  switch (object.kind) {
    case 'certificate': {
      const valid = !Number.isNaN(object.notAfter.getTime());
      return {
        type: 'certificate',
        version: object.version,
        serialNumber: object.serial,
        subject: { text: object.subject.text, rdns: object.subject.rdns },
        issuer: { text: object.issuer.text, rdns: object.issuer.rdns },
        notBefore: isoOrNull(object.notBefore),
        notAfter: isoOrNull(object.notAfter),
        daysLeft: valid ? daysBetween(at, object.notAfter) : null,
        expired: valid ? at.getTime() > object.notAfter.getTime() : null,
        selfSigned: isSelfSigned(object),
        isCA: object.basicConstraints?.ca ?? false,
        subjectAltNames: object.subjectAltNames ?? [],
        keyUsage: object.keyUsage ?? null,
        extendedKeyUsage: object.extendedKeyUsage ?? null,
        basicConstraints: object.basicConstraints ?? null,
        subjectKeyId: object.subjectKeyId ?? null,
        authorityKeyId: object.authorityKeyId ?? null,
        signatureAlgorithm: object.signatureAlgorithm,
        publicKey: object.publicKey,
        fingerprints: { sha256: object.sha256, sha1: object.sha1 },
        extensions: object.extensions,
        findings,
      };
    }
    case 'csr':
      return {
        type: 'csr',
        subject: { text: object.subject.text, rdns: object.subject.rdns },
        requestedSubjectAltNames: object.requestedSubjectAltNames ?? [],
        requestedKeyUsage: object.requestedKeyUsage ?? null,
        requestedExtendedKeyUsage: object.requestedExtendedKeyUsage ?? null,
        requestedExtensions: object.requestedExtensions,
        signatureAlgorithm: object.signatureAlgorithm,
        signatureValid: object.signatureValid ?? null,
        publicKey: object.publicKey,
        fingerprints: { sha256: object.sha256 },
        findings,
      };
    case 'publicKey':
      return { type: 'publicKey', format: object.format, publicKey: object.publicKey, findings };
    case 'privateKey':
      return { type: 'privateKey', format: object.format, encrypted: object.encrypted, publicKey: object.publicKey ?? null, findings };
    case 'other':
      return { type: 'other', description: object.description, findings };
  }
}

export function blockToJson(block: DecodedBlock, at: Date): Record<string, unknown> {
  return {
    index: block.index,
    label: block.label,
    range: block.range ?? null,
    title: titleOfBlock(block),
    error: block.error ?? null,
    ...(block.object ? objectToJson(block.object, at) : { type: 'invalid' }),
  };
}

export function fileToJson(path: string, file: DecodedFile, at: Date): Record<string, unknown> {
  return { path, format: file.format, error: file.error ?? null, blocks: file.blocks.map((b) => blockToJson(b, at)) };
}

export function verifyResultToJson(result: VerifyResult, at: Date): Record<string, unknown> {
  return {
    accepted: result.accepted,
    at: at.toISOString(),
    chain: result.chain.map((c) => ({ subject: c.subject.text, issuer: c.issuer.text, notAfter: isoOrNull(c.notAfter), sha256: c.sha256 })),
    checks: result.checks.map((c: CheckResult) => ({ ...c })),
    reasons: result.reasons,
  };
}

function isoOrNull(d: Date): string | null {
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
