// Bundles the three entry points (extension client, language server, CLI) into dist/.
// One bundle each keeps the .vsix small and start-up fast: no node_modules ship.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const production = !process.argv.includes('--dev');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'inline',
  logLevel: 'warning',
  legalComments: 'none',
  // Library error messages name ASN.1 classes ("does not match to Certificate schema"): keep them readable.
  keepNames: true,
  define: { KUBE_PKI_VERSION: JSON.stringify(version) },
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' }),
]);
