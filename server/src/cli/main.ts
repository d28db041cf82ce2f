import { CHECK_USAGE, runCheck } from './check';
import { GEN_USAGE, runGen, runSign } from './gen';
import { INSPECT_USAGE, runInspect } from './inspect';
import { CliIO, EXIT_OK, EXIT_USAGE, UsageError, processIO } from './io';
import { VERIFY_USAGE, runVerify } from './verify';

declare const KUBE_PKI_VERSION: string | undefined;

const USAGE = `kube-pki: Kubernetes certificates, checked.

Commands:
  kube-pki check [DIR...] [--format text|json|sarif]     check every certificate reference of a cluster
  kube-pki inspect FILE... [--format text|json]        decode certificates, CSRs and keys
  kube-pki verify LEAF --ca FILE [options]             verify a chain, names, purpose, key
  kube-pki gen pki OUTDIR [options]                    generate a kubeadm control-plane PKI and kubeconfigs
  kube-pki gen cert --profile NAME --out PKIDIR        generate one certificate of a kubeadm profile
  kube-pki gen csr --cn CN --out PREFIX                make a key and a CSR
  kube-pki sign CSR --ca CA.crt                        sign a CSR with a CA

Run "kube-pki COMMAND --help" for a command's options.`;

const COMMANDS: Record<string, { run: (argv: string[], io: CliIO) => Promise<number>; usage: string }> = {
  check: { run: runCheck, usage: CHECK_USAGE },
  gen: { run: runGen, usage: GEN_USAGE },
  sign: { run: runSign, usage: GEN_USAGE },
  inspect: { run: runInspect, usage: INSPECT_USAGE },
  verify: { run: runVerify, usage: VERIFY_USAGE },
};

/** Runs the CLI; returns the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version') {
    io.out(typeof KUBE_PKI_VERSION === 'string' ? KUBE_PKI_VERSION : 'dev');
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`kube-pki: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes.
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (e instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`kube-pki ${name}: ${(e as Error).message}\n\n${command.usage}`);
      return EXIT_USAGE;
    }
    io.err(`kube-pki ${name}: internal error: ${(e as Error).stack ?? String(e)}`);
    return EXIT_USAGE;
  }
}
