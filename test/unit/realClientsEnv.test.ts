// The real clients' installs run inside `npm test` / `npm run …`: what npm puts in the environment must not reach
// the nested `npm install code-server`, whose postinstall would then judge npm's own Node and refuse.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/paths';

const TOOLS = pathToFileURL(join(REPO_ROOT, 'scripts', 'realClients', 'tools.mjs')).href;

/** Runs `npm config get <key>` in the environment tools.mjs gives the code-server install, from a parent that npm started. */
function nestedNpmSees(key: string, cache: string): string {
  const script = `const t = await import(${JSON.stringify(TOOLS)});
const { execFileSync } = await import('node:child_process');
process.stdout.write(execFileSync('npm', ['config', 'get', ${JSON.stringify(key)}], { env: t.node24Env() }).toString());`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      ...process.env,
      KUBE_PKI_CLIENT_CACHE: cache,
      // What `npm run` sets in its scripts' environment (npm 10 on Node 20).
      npm_config_user_agent: 'npm/10.8.2 node/v20.0.0-leaked linux x64 workspaces/false',
      npm_node_execpath: '/leaked/node20/bin/node',
      npm_execpath: '/leaked/npm-cli.js',
      npm_config_engine_strict: 'leaked',
      NODE: '/leaked/node20/bin/node',
    },
  })
    .toString()
    .trim();
}

describe('the real clients install outside npm’s own environment', () => {
  it('a nested npm install computes its own user agent and settings, not the calling npm’s', () => {
    const cache = mkdtempSync(join(tmpdir(), 'kube-pki-client-cache-'));
    try {
      const agent = nestedNpmSees('user-agent', cache);
      assert.doesNotMatch(agent, /leaked/);
      assert.match(agent, /^npm\/\S+ node\/\S+/);
      assert.notEqual(nestedNpmSees('engine-strict', cache), 'leaked');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('puts Node 24 first on PATH and drops npm_*, NODE and INIT_CWD, keeping the rest', () => {
    const script = `const t = await import(${JSON.stringify(TOOLS)});
process.stdout.write(JSON.stringify({ env: t.node24Env(), nodeBin: t.nodeBin }));`;
    const { env, nodeBin } = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, npm_node_execpath: '/leaked', npm_lifecycle_event: 'test', NODE: '/leaked', INIT_CWD: '/leaked', KEEP_ME: 'kept' },
      }).toString(),
    ) as { env: Record<string, string>; nodeBin: string };
    assert.deepEqual(
      Object.keys(env).filter((k) => /^npm_/i.test(k) || k === 'NODE' || k === 'INIT_CWD'),
      ['npm_config_nodedir'],
    );
    assert.equal(env.PATH.split(':')[0], nodeBin);
    assert.equal(env.KEEP_ME, 'kept');
  });
});
