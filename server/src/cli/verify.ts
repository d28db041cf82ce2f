import { parseArgs } from 'node:util';
import { describeObject } from '../engine/format/describe';
import { verifyResultToJson } from '../engine/format/json';
import { renderText } from '../engine/format/text';
import { PathGuard } from '../engine/io/pathGuard';
import { loadPkiFile } from '../engine/io/pkiFile';
import type { CertificateInfo } from '../engine/pki/certificate';
import type { DecodedFile } from '../engine/pki/decode';
import type { PrivateKeyInfo } from '../engine/pki/privateKey';
import { displayJson, displayText } from '../engine/text/displayText';

/** The CLI reads the files its arguments name, wherever they are, and writes nothing. */
const READ_ARGUMENTS = PathGuard.forCli();

import { VerifyResult, verifyCertificate } from '../engine/verify/chain';
import { canonicalIp } from '../engine/verify/hostname';
import { checkKeyPair } from '../engine/verify/keyPair';
import type { Purpose } from '../engine/verify/purpose';
import { CliIO, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, parseFormat, parseInstant, UsageError } from './io';

export const VERIFY_USAGE = `Usage: kube-pki verify LEAF --ca FILE [--intermediates FILE] [--host NAME | --ip ADDR]
                       [--purpose server|client] [--key FILE] [--at ISO-8601] [--strict] [--format text|json]

Builds the chain from LEAF (its first certificate; further certificates in the
file count as intermediates) through --intermediates to a CA of --ca, and
checks signatures, validity at --at (default now), CA constraints, critical
extensions, the SAN against --host/--ip (no CN fallback), the EKU for
--purpose, and with --key that the private key belongs to LEAF.
The verdict is Go's (crypto/x509: what Kubernetes runs); RFC 5280 violations
Go accepts (a v1 or empty-subject root, a CA's non-critical basicConstraints,
keyCertSign without CA:TRUE, an underscore in a DNS name...) are listed as
warnings. --strict rejects them, as openssl verify -x509_strict does.
--ca and --intermediates may be repeated. Exit 0 accepted, 1 rejected (with
reasons), 2 usage or input error.`;

class InputError extends Error {}

async function loadCertificates(path: string, role: string): Promise<CertificateInfo[]> {
  const file = await loadPkiFile(path, READ_ARGUMENTS);
  if (file.error) throw new InputError(`${role} ${path}: ${file.error}`);
  const certs = certificatesOf(file);
  const broken = file.blocks.find((b) => b.error);
  if (broken) throw new InputError(`${role} ${path}: block ${broken.index + 1}: ${broken.error}`);
  if (certs.length === 0) throw new InputError(`${role} ${path}: holds no certificate`);
  return certs;
}

function certificatesOf(file: DecodedFile): CertificateInfo[] {
  return file.blocks.flatMap((b) => (b.object?.kind === 'certificate' ? [b.object] : []));
}

async function loadPrivateKey(path: string): Promise<PrivateKeyInfo> {
  const file = await loadPkiFile(path, READ_ARGUMENTS);
  if (file.error) throw new InputError(`--key ${path}: ${file.error}`);
  const key = file.blocks.find((b) => b.object?.kind === 'privateKey')?.object;
  if (!key || key.kind !== 'privateKey') {
    const broken = file.blocks.find((b) => b.error);
    throw new InputError(`--key ${path}: ${broken ? broken.error : 'holds no private key'}`);
  }
  return key;
}

/** The text report: the leaf, each check, the verdict with its reasons, then the RFC 5280 warnings Go's verdict let through. */
function verifyText(leafPath: string, leaf: CertificateInfo, result: VerifyResult, at: Date): string {
  const lines = [renderText(describeObject(leaf, at)), ''];
  lines.push(`Chain: ${result.chain.map((c) => displayText(c.subject.text || '(empty subject)')).join(' <- ')}`);
  for (const check of result.checks)
    lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.check.padEnd(19)} ${displayText(check.subject)}: ${displayText(check.message)}`);
  lines.push('', result.accepted ? `${displayText(leafPath)}: OK` : `${displayText(leafPath)}: REJECTED`);
  for (const reason of result.reasons) lines.push(`  - ${displayText(reason)}`);
  if (result.warnings.length > 0) lines.push('warnings: (RFC 5280 violations Go accepts; --strict rejects them)');
  for (const warning of result.warnings) lines.push(`  - ${displayText(warning)}`);
  return lines.join('\n');
}

export async function runVerify(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ca: { type: 'string', multiple: true },
      intermediates: { type: 'string', multiple: true },
      host: { type: 'string' },
      ip: { type: 'string' },
      purpose: { type: 'string' },
      key: { type: 'string' },
      at: { type: 'string' },
      strict: { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(VERIFY_USAGE);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('verify needs exactly one LEAF file');
  if (!values.ca?.length) throw new UsageError('verify needs --ca FILE (the trusted CA certificates)');
  if (values.host !== undefined && values.ip !== undefined) throw new UsageError('give --host or --ip, not both');
  if (values.ip !== undefined && canonicalIp(values.ip) === undefined) throw new UsageError(`--ip "${values.ip}" is not an IPv4 or IPv6 address`);
  if (values.purpose !== undefined && values.purpose !== 'server' && values.purpose !== 'client') throw new UsageError('--purpose must be server or client');
  const format = parseFormat(values.format);
  const at = parseInstant(values.at);

  try {
    const [leaf, ...bundled] = await loadCertificates(positionals[0], 'LEAF');
    const trusted = (await Promise.all(values.ca.map((p) => loadCertificates(p, '--ca')))).flat();
    const intermediates = [...bundled, ...(await Promise.all((values.intermediates ?? []).map((p) => loadCertificates(p, '--intermediates')))).flat()];
    const key = values.key !== undefined ? await loadPrivateKey(values.key) : undefined;

    const result = verifyCertificate(leaf, {
      trusted,
      intermediates,
      at,
      host: values.host,
      ip: values.ip,
      purpose: values.purpose as Purpose | undefined,
      strict: values.strict === true,
    });
    if (key) {
      const verdict = checkKeyPair(leaf.publicKey, key.publicKey);
      result.checks.push({ check: 'key-pair', subject: leaf.subject.text, ok: verdict.ok, message: verdict.reasons.join('; ') });
      if (!verdict.ok) {
        result.reasons.push(`${leaf.subject.text}: ${verdict.reasons.join('; ')}`);
        result.accepted = false;
      }
    }
    if (format === 'json') {
      // Additive to the JSON contract: the search's effort, and whether it gave up (chain-too-complex).
      io.out(
        displayJson({ ...verifyResultToJson(result, at), signatureChecks: result.signatureChecks, tooComplex: result.tooComplex, warnings: result.warnings }),
      );
    } else {
      io.out(verifyText(positionals[0], leaf, result, at));
    }
    return result.accepted ? EXIT_OK : EXIT_REJECTED;
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`kube-pki verify: ${displayText(e.message)}`);
      if (format === 'json') io.out(displayJson({ accepted: false, error: e.message }));
      return EXIT_USAGE;
    }
    throw e;
  }
}
