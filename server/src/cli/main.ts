import { displayText } from '../engine/text/displayText';
import { CliIO, displayingIO, EXIT_OK, EXIT_USAGE, processIO, UsageError } from './io';

declare const KUBE_PKI_VERSION: string | undefined;

const USAGE = `kube-pki: Kubernetes certificates, checked.

Commands:
  kube-pki check [DIR...] [--format text|json|sarif]     check every certificate reference of a cluster
  kube-pki expiry [DIR...] [--format text|json]        list certificates and CAs by expiry, as kubeadm certs check-expiration
  kube-pki inspect FILE... [--format text|json]        decode certificates, CSRs and keys
  kube-pki verify LEAF --ca FILE [options]             verify a chain, names, purpose, key
  kube-pki renew [DIR] (--all | NAME...) [--dry-run]    re-issue leaf certificates as kubeadm certs renew does
  kube-pki gen pki OUTDIR [options]                    generate a kubeadm control-plane PKI and kubeconfigs
  kube-pki gen cert --profile NAME --out PKIDIR        generate one certificate of a kubeadm profile
  kube-pki gen csr --cn CN --out PREFIX                make a key and a CSR
  kube-pki sign CSR --ca CA.crt                        sign a CSR with a CA

Run "kube-pki COMMAND --help" for a command's options.`;

interface Command {
  run: (argv: string[], io: CliIO) => Promise<number>;
  usage: string;
}

// Each command's modules load when it runs: `check` never evaluates the generation
// stack (@peculiar/x509, tsyringe, reflect-metadata) and `gen` never the checker's.
// require (not import(), which stays an ES module import in tsc's CommonJS output): in the
// bundle, esbuild keeps a module reached only this way un-run until it is required.
const COMMANDS: Record<string, () => Command> = {
  check: () => {
    const m = require('./check') as typeof import('./check');
    return { run: m.runCheck, usage: m.CHECK_USAGE };
  },
  expiry: () => {
    const m = require('./expiry') as typeof import('./expiry');
    return { run: m.runExpiry, usage: m.EXPIRY_USAGE };
  },
  gen: () => {
    const m = require('./gen') as typeof import('./gen');
    return { run: m.runGen, usage: m.GEN_USAGE };
  },
  sign: () => {
    const m = require('./gen') as typeof import('./gen');
    return { run: m.runSign, usage: m.GEN_USAGE };
  },
  inspect: () => {
    const m = require('./inspect') as typeof import('./inspect');
    return { run: m.runInspect, usage: m.INSPECT_USAGE };
  },
  renew: () => {
    const m = require('./renew') as typeof import('./renew');
    return { run: m.runRenew, usage: m.RENEW_USAGE };
  },
  verify: () => {
    const m = require('./verify') as typeof import('./verify');
    return { run: m.runVerify, usage: m.VERIFY_USAGE };
  },
};

/** Runs the CLI; returns the exit code. Never throws. */
export async function runCli(argv: string[], rawIO: CliIO = processIO): Promise<number> {
  const io = displayingIO(rawIO);
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version') {
    io.out(typeof KUBE_PKI_VERSION === 'string' ? KUBE_PKI_VERSION : 'dev');
    return EXIT_OK;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`kube-pki: unknown command "${displayText(name)}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const command = load();
  try {
    return await command.run(rest, io);
  } catch (e) {
    // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes.
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (e instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`kube-pki ${name}: ${displayText((e as Error).message)}\n\n${command.usage}`);
      return EXIT_USAGE;
    }
    io.err(`kube-pki ${name}: internal error: ${(e as Error).stack ?? String(e)}`);
    return EXIT_USAGE;
  }
}
