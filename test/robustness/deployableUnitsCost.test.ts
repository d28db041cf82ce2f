import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuardedReader } from '../../server/src/engine/io/guardedRead';
import { PathGuard } from '../../server/src/engine/io/pathGuard';
import { findDeployableUnits } from '../../server/src/engine/kube/deployableUnits';

const kustomization = (resources: string[], namespace?: string) =>
  `kind: Kustomization\n${namespace ? `namespace: ${namespace}\n` : ''}resources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;
const secret = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n`;
const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n`;

describe('deployable units cost linear time', () => {
  /** n apps in memory (no disk): a base of two files and an overlay per app, and one kustomization listing every overlay. */
  function shape(n: number): { root: string; files: string[]; texts: Map<string, string> } {
    const root = '/repo';
    const texts = new Map<string, string>();
    const apps = Array.from({ length: n }, (_, i) => `app-${i}`);
    for (const app of apps) {
      texts.set(`${root}/bases/${app}/kustomization.yaml`, kustomization(['deployment.yaml', 'service.yaml']));
      texts.set(`${root}/bases/${app}/deployment.yaml`, secret(app));
      texts.set(`${root}/bases/${app}/service.yaml`, service(app));
      texts.set(`${root}/clusters/prod/${app}/kustomization.yaml`, kustomization([`../../../bases/${app}`], app));
    }
    texts.set(`${root}/clusters/prod/kustomization.yaml`, kustomization(apps));
    return { root, files: [...texts.keys()], texts };
  }
  const cpuMs = (run: () => void) => {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e3;
  };

  it('doubling the repository less than triples the time (CPU time, fastest of 3, sizes doubled on a noisy attempt)', () => {
    const reader = new GuardedReader(new PathGuard({ readRoots: ['/repo'], writeRoots: [] }));
    const build = (s: ReturnType<typeof shape>) => findDeployableUnits({ root: s.root, files: s.files, reader, text: (p) => s.texts.get(p) });
    let last = '';
    for (let attempt = 0, n = 1000; attempt < 3; attempt++, n *= 2) {
      const small = shape(n);
      const large = shape(2 * n);
      assert.equal(build(large).unitsOf(`/repo/bases/app-${2 * n - 1}/service.yaml`).length, 1);
      let tSmall = Infinity;
      let tLarge = Infinity;
      for (let i = 0; i < 3; i++) {
        tSmall = Math.min(
          tSmall,
          cpuMs(() => build(small)),
        );
        tLarge = Math.min(
          tLarge,
          cpuMs(() => build(large)),
        );
      }
      if (tLarge < 3 * tSmall) return;
      last = `${n} apps: ${tSmall.toFixed(1)} ms, ${2 * n}: ${tLarge.toFixed(1)} ms`;
    }
    assert.fail(`not linear: ${last}`);
  });
});
