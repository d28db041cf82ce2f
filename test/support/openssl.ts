import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Is the openssl command available? scripts/test.mjs installs it where it can. */
export function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
}

/** Why a peer-dependent test cannot run; in CI a missing peer is a failure, never a skip. */
export function missingPeer(what: string): string | undefined {
  if (what === 'openssl' && hasOpenssl()) return undefined;
  const reason = `skipped: ${what} is not installed (run npm test as root on Debian to install it)`;
  if (process.env.CI) throw new Error(`${what} is required in CI: ${reason}`);
  process.stderr.write(`\n*** ${reason} ***\n`);
  return reason;
}

export function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A scratch folder with helpers to make keys, CAs and leaves the way the seed articles do, with openssl. */
export class OpensslWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'kube-pki-test-'));

  path(name: string): string {
    return join(this.dir, name);
  }

  read(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  write(name: string, text: string | Uint8Array): string {
    writeFileSync(this.path(name), text);
    return this.path(name);
  }

  rsaKey(name: string, bits = 2048, traditional = true): string {
    openssl(['genrsa', ...(traditional ? ['-traditional'] : []), '-out', this.path(name), String(bits)]);
    return this.path(name);
  }

  ecKey(name: string, curve = 'prime256v1', sec1 = true): string {
    if (sec1) openssl(['ecparam', '-name', curve, '-genkey', '-noout', '-out', this.path(name)]);
    else openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', this.path(name)]);
    return this.path(name);
  }

  /** A self-signed CA. `extra` are -addext values. */
  ca(name: string, subject: string, options: { days?: number; extra?: string[]; key?: string } = {}): string {
    const key = options.key ?? this.rsaKey(`${name}.key`);
    const exts = options.extra ?? ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign'];
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-subj',
      subject,
      '-days',
      String(options.days ?? 3650),
      '-out',
      this.path(`${name}.crt`),
      ...exts.flatMap((e) => ['-addext', e]),
    ]);
    return this.path(`${name}.crt`);
  }

  /** A leaf (or intermediate) signed by `ca` with the given extension lines. */
  signed(
    name: string,
    subject: string,
    ca: string,
    extensions: string[],
    options: { days?: number; key?: string; startDate?: string; endDate?: string } = {},
  ): string {
    const key = options.key ?? this.rsaKey(`${name}.key`);
    const csr = this.path(`${name}.csr`);
    openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    const ext = this.write(`${name}.ext`, extensions.join('\n') + '\n');
    if (options.startDate || options.endDate) {
      // `openssl x509 -req` cannot set dates; `openssl ca` can, with a throwaway database.
      const db = this.write(`${name}.db`, '');
      const conf = this.write(
        `${name}.ca.cnf`,
        `[ca]\ndefault_ca=d\n[d]\ndatabase=${db}\nnew_certs_dir=${this.dir}\nserial=${this.write(`${name}.serial`, '01\n')}\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n`,
      );
      openssl([
        'ca',
        '-batch',
        '-config',
        conf,
        '-cert',
        this.path(`${ca}.crt`),
        '-keyfile',
        this.path(`${ca}.key`),
        '-in',
        csr,
        '-out',
        this.path(`${name}.crt`),
        '-extfile',
        ext,
        '-notext',
        ...(options.startDate ? ['-startdate', options.startDate] : []),
        ...(options.endDate ? ['-enddate', options.endDate] : []),
      ]);
    } else {
      openssl([
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        this.path(`${ca}.crt`),
        '-CAkey',
        this.path(`${ca}.key`),
        '-CAcreateserial',
        '-days',
        String(options.days ?? 365),
        '-extfile',
        ext,
        '-out',
        this.path(`${name}.crt`),
      ]);
    }
    return this.path(`${name}.crt`);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
