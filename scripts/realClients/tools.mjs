// The real clients the extension is tested in, installed on demand into a cache
// folder outside the repository: Node 24 and code-server (VS Code in the
// browser, with a real extension host), and Debian's chromium to drive it.
// Facts behind this: ../../../shared/notes/real-clients.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { aptInstall, have } from '../debianPackages.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';

export const cacheDir = process.env.KUBE_PKI_CLIENT_CACHE || join(homedir(), '.cache', 'kube-pki');
const nodeDir = join(cacheDir, `node${NODE_MAJOR}`);
const codeServerDir = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const nodePackage = join(nodeDir, 'node_modules', 'node');
export const nodeBin = join(nodePackage, 'bin');
export const codeServerBin = join(codeServerDir, 'node_modules', '.bin', 'code-server');
export const chromiumPath = process.env.KUBE_PKI_CHROMIUM || '/usr/bin/chromium';

/**
 * The environment of a process we start, without what npm puts there when this script itself runs under npm
 * (`npm test`, `npm run …`): npm_config_user_agent names npm's own node (v20), npm_node_execpath and npm_execpath
 * point at it, and a nested `npm install` of code-server then believes it runs on Node 20 and refuses
 * ("requires node v24"). npm sets NODE and INIT_CWD too. The machine's own settings (HOME, proxies, PATH) stay.
 */
export function cleanEnv(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name) && !['NODE', 'INIT_CWD'].includes(name)));
}

/** The environment that runs code-server (and npm for it) on Node 24: `node` on PATH is 24's, nothing of the calling npm. */
export function node24Env(extra = {}) {
  const base = cleanEnv();
  return {
    ...base,
    PATH: `${nodeBin}${delimiter}${base.PATH ?? ''}`,
    // The machine's npmrc points node-gyp at Node 20's headers; code-server's native modules need 24's.
    npm_config_nodedir: join(nodePackage, 'node_modules', `node-${process.platform}-${process.arch === 'x64' ? 'x64' : process.arch}`),
    ...extra,
  };
}

function log(message) {
  console.log(`real clients: ${message}`);
}

function npmInstall(dir, spec, env) {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  log(`npm install ${spec} into ${dir}`);
  execFileSync('npm', ['install', spec, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit', env });
}

/**
 * Makes sure Node 24, code-server and chromium are here, installing what is missing. Returns
 * undefined when all is ready; { unavailable } when this machine cannot install them (no npm,
 * no root for apt-get): the suite may say "skipped"; { failed } when an install was possible
 * and went wrong: the suite fails, a machine that can have the clients never skips them.
 */
export function ensureRealClients() {
  if (!have('npm', ['--version'], cleanEnv())) return { unavailable: 'npm is not on PATH, so Node 24 and code-server cannot be installed' };
  try {
    if (!existsSync(join(nodeBin, 'node'))) npmInstall(nodeDir, `node@${NODE_MAJOR}`, cleanEnv());
    if (!have(join(nodeBin, 'node'))) return { failed: `Node ${NODE_MAJOR} could not be installed into ${nodeDir}` };
    if (!existsSync(codeServerBin)) {
      // code-server's kerberos module builds from source against Debian's libkrb5-dev.
      if (!existsSync('/usr/include/krb5.h') && !aptInstall('libkrb5-dev', 'real clients'))
        return { unavailable: 'libkrb5-dev (needed to build code-server) is missing and cannot be installed here' };
      npmInstall(codeServerDir, `code-server@${CODE_SERVER_VERSION}`, node24Env());
    }
    if (!have(codeServerBin, ['--version'], node24Env({ XDG_CONFIG_HOME: join(cacheDir, 'xdg-config') })))
      return { failed: `code-server does not start (${codeServerBin})` };
    if (!existsSync(chromiumPath) && !aptInstall('chromium', 'real clients'))
      return { unavailable: `chromium is missing (${chromiumPath}) and cannot be installed here` };
  } catch (e) {
    return { failed: `installing the real clients failed: ${e.message}` };
  }
  return undefined;
}
