import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Usage } from '../engine/gen/issue';
import { parseKeyType } from '../engine/gen/keys';
import { OperationError } from '../engine/gen/operations';
import { CERT_PROFILES, ClusterParams, DEFAULT_PARAMS, EXTRA_CLIENT_PROFILES } from '../engine/gen/profiles';
import { OutsideError, PathGuard } from '../engine/io/pathGuard';
import { FileExistsError } from '../engine/io/safeWrite';
import { createKubePkiService, KubePkiService } from '../engine/service';
import { canonicalIp } from '../engine/verify/hostname';
import { CliIO, EXIT_OK, EXIT_USAGE, UsageError } from './io';

/** The engine as the CLI may use it: reads what its arguments name, writes only under `output`. */
function writingUnder(output: string): KubePkiService {
  return createKubePkiService({ guard: () => PathGuard.forCli([output]) });
}

export const GEN_USAGE = `Usage:
  kube-pki gen pki OUTDIR [--node-name N] [--advertise-address IP] [--service-cidr CIDR] [--dns-domain D]
                          [--control-plane-endpoint HOST[:PORT]] [--san NAME|IP]... [--key-type T]
                          [--ca-validity D] [--validity D]
      the whole control-plane PKI as kubeadm lays it out under OUTDIR/etc/kubernetes (pki/ and the
      five kubeconfigs); reuses a CA found there, never overwrites a file.
  kube-pki gen cert --profile NAME --out PKIDIR [--key FILE] [same options as gen pki]
      one certificate and key of a profile (with --key, the certificate only, for that existing key) (${[...CERT_PROFILES, ...EXTRA_CLIENT_PROFILES].map((p) => p.name).join(', ')}),
      signed by its CA from PKIDIR.
  kube-pki gen csr --cn CN [--o ORG]... [--san NAME|IP]... [--key-type T] --out PREFIX
      PREFIX.key and PREFIX.csr, as openssl req -new does.
  kube-pki sign CSR --ca CA.crt [--ca-key CA.key] [--out FILE] [--usage server|client|both] [--validity D]

Key types: RSA-2048 (default), RSA-3072, RSA-4096, ECDSA-P256, ECDSA-P384. Durations: 365d, 8760h, 10y.
Exit 0 when done, 2 on usage or I/O error (nothing is overwritten).`;

const CLUSTER_OPTIONS = {
  'node-name': { type: 'string' },
  'advertise-address': { type: 'string' },
  'service-cidr': { type: 'string' },
  'dns-domain': { type: 'string' },
  'control-plane-endpoint': { type: 'string' },
  san: { type: 'string', multiple: true },
  'key-type': { type: 'string' },
  'ca-validity': { type: 'string' },
  validity: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** "365d", "8760h", "10y" -> days. */
export function parseDuration(value: string | undefined, fallbackDays: number, flag: string): number {
  if (value === undefined) return fallbackDays;
  const match = /^(\d+)([dhy])$/.exec(value.trim());
  if (!match) throw new UsageError(`${flag} needs a duration such as 365d, 8760h or 10y, not "${value}"`);
  const n = Number(match[1]);
  const days = match[2] === 'd' ? n : match[2] === 'h' ? n / 24 : n * 365;
  if (days <= 0) throw new UsageError(`${flag} must be positive`);
  return days;
}

function clusterParams(values: Record<string, unknown>): ClusterParams {
  const get = (k: string) => values[k] as string | undefined;
  const advertise = get('advertise-address') ?? DEFAULT_PARAMS.advertiseAddress;
  if (canonicalIp(advertise) === undefined) throw new UsageError(`--advertise-address "${advertise}" is not an IP address`);
  const cidr = get('service-cidr') ?? DEFAULT_PARAMS.serviceCidr;
  if (!/^[0-9a-fA-F:.]+\/\d+$/.test(cidr) || canonicalIp(cidr.split('/')[0]) === undefined) throw new UsageError(`--service-cidr "${cidr}" is not a CIDR`);
  let keyType;
  try {
    keyType = parseKeyType(get('key-type'));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return {
    nodeName: (get('node-name') ?? DEFAULT_PARAMS.nodeName).toLowerCase(),
    advertiseAddress: advertise,
    serviceCidr: cidr,
    dnsDomain: get('dns-domain') ?? DEFAULT_PARAMS.dnsDomain,
    controlPlaneEndpoint: get('control-plane-endpoint'),
    extraSans: (values.san as string[] | undefined) ?? [],
    keyType,
    caValidityDays: parseDuration(get('ca-validity'), DEFAULT_PARAMS.caValidityDays, '--ca-validity'),
    validityDays: parseDuration(get('validity'), DEFAULT_PARAMS.validityDays, '--validity'),
  };
}

async function genPki(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: CLUSTER_OPTIONS });
  if (values.help) return (io.out(GEN_USAGE), EXIT_OK);
  if (positionals.length !== 1) throw new UsageError('gen pki needs exactly one OUTDIR');
  const params = clusterParams(values);
  const started = Date.now();
  // Writes only under OUTDIR, never through a symlink that leads out of it.
  const report = await writingUnder(positionals[0]).generatePki(resolve(positionals[0]), params);
  const lines = [
    `kube-pki gen pki: ${report.written.length} files written under ${positionals[0]} (${params.keyType}, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  ];
  for (const ca of report.reusedCas) lines.push(`  reused CA  ${ca}`);
  for (const file of report.written) lines.push(`  wrote      ${file}`);
  for (const skipped of report.skipped) lines.push(`  left alone ${skipped.path} (${skipped.reason})`);
  io.out(lines.join('\n'));
  return EXIT_OK;
}

async function genCert(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...CLUSTER_OPTIONS, profile: { type: 'string' }, out: { type: 'string' }, key: { type: 'string' } } });
  if (values.help) return (io.out(GEN_USAGE), EXIT_OK);
  if (!values.profile || !values.out) throw new UsageError('gen cert needs --profile NAME and --out PKIDIR');
  const keyPath = values.key === undefined ? undefined : resolve(values.key);
  const [crt, key] = await writingUnder(values.out).generateCert(resolve(values.out), values.profile, clusterParams(values), keyPath);
  io.out(key ? `kube-pki gen cert: wrote ${crt} and ${key}` : `kube-pki gen cert: wrote ${crt} for the key ${keyPath}`);
  return EXIT_OK;
}

async function genCsr(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cn: { type: 'string' },
      o: { type: 'string', multiple: true },
      san: { type: 'string', multiple: true },
      'key-type': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return (io.out(GEN_USAGE), EXIT_OK);
  if (!values.cn || !values.out) throw new UsageError('gen csr needs --cn CN and --out PREFIX');
  let keyType;
  try {
    keyType = parseKeyType(values['key-type']);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const subject: Array<[string, string]> = [...(values.o ?? []).map((o) => ['O', o] as [string, string]), ['CN', values.cn]];
  const [key, csr] = await writingUnder(dirname(resolve(values.out))).createCsr(values.out, subject, values.san ?? [], keyType);
  io.out(`kube-pki gen csr: wrote ${key} and ${csr}`);
  return EXIT_OK;
}

export async function runGen(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'pki':
        return await genPki(rest, io);
      case 'cert':
        return await genCert(rest, io);
      case 'csr':
        return await genCsr(rest, io);
      case undefined:
      case '--help':
      case '-h':
        io.out(GEN_USAGE);
        return sub === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(`unknown gen target "${sub}" (pki, cert or csr)`);
    }
  } catch (e) {
    if (e instanceof FileExistsError || e instanceof OperationError || e instanceof OutsideError) {
      io.err(`kube-pki gen: ${e.message}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

export async function runSign(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ca: { type: 'string' },
      'ca-key': { type: 'string' },
      out: { type: 'string' },
      usage: { type: 'string' },
      validity: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return (io.out(GEN_USAGE), EXIT_OK);
  if (positionals.length !== 1 || !values.ca) throw new UsageError('sign needs a CSR and --ca CA.crt');
  const usageMap: Record<string, Usage[]> = { server: ['serverAuth'], client: ['clientAuth'], both: ['serverAuth', 'clientAuth'] };
  if (values.usage !== undefined && !usageMap[values.usage]) throw new UsageError('--usage must be server, client or both');
  const days = parseDuration(values.validity, DEFAULT_PARAMS.validityDays, '--validity');
  let signed;
  try {
    // Writes only the certificate: where --out names it, else beside the CSR.
    const out = values.out ?? positionals[0];
    signed = await writingUnder(dirname(resolve(out))).signCsr(positionals[0], values.ca, {
      caKeyPath: values['ca-key'],
      outPath: values.out,
      usages: values.usage ? usageMap[values.usage] : undefined,
      validityDays: days,
    });
  } catch (e) {
    if (e instanceof FileExistsError || e instanceof OperationError || e instanceof OutsideError) {
      io.err(`kube-pki sign: ${e.message}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  io.out(`kube-pki sign: wrote ${signed.path} (${signed.usages.join(', ')}, ${signed.days} days, signed by ${signed.signer})`);
  return EXIT_OK;
}
