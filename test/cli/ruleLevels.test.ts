import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli';

/**
 * Rule levels in the CLI: --rule over DIR/.kube-pki.yaml over the defaults. The tree has one
 * file-not-found (error) and one yaml-duplicate-key (error).
 */
describe('kube-pki check --rule and .kube-pki.yaml', () => {
  const root = mkdtempSync(join(tmpdir(), 'kube-pki-rule-levels-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  before(() => {
    mkdirSync(join(root, 'etc/kubernetes/manifests'), { recursive: true });
    writeFileSync(
      join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'),
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: kube-apiserver',
        '  name: kube-apiserver',
        'spec:',
        '  containers:',
        '  - command:',
        '    - kube-apiserver',
        '    - --client-ca-file=/etc/kubernetes/pki/ca.crt',
        '    name: kube-apiserver',
        '    volumeMounts:',
        '    - mountPath: /etc/kubernetes/pki',
        '      name: k8s-certs',
        '  volumes:',
        '  - hostPath:',
        '      path: /etc/kubernetes/pki',
        '    name: k8s-certs',
        '',
      ].join('\n'),
    );
  });
  const config = (text: string | undefined) => {
    const path = join(root, '.kube-pki.yaml');
    if (text === undefined) rmSync(path, { force: true });
    else writeFileSync(path, text);
  };
  const NOT_FOUND = '  10:24  LEVEL  /etc/kubernetes/pki/ca.crt (--client-ca-file) does not exist: looked for etc/kubernetes/pki/ca.crt  file-not-found';
  const DUPLICATE = '  5:3  LEVEL  duplicate key "name" (first on line 4): kubectl rejects the file, and which value is read is ambiguous  yaml-duplicate-key';
  const line = (template: string, level: string) => template.replace('LEVEL', level.padEnd(11));
  const output = (lines: string[], summary: string) => ['etc/kubernetes/manifests/kube-apiserver.yaml', ...lines, '', summary, ''].join('\n');

  it('by default both are errors (exit 1)', () => {
    config(undefined);
    const run = runCli(['check', root]);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, output([line(DUPLICATE, 'error'), line(NOT_FOUND, 'error')], '✖ 2 problems (2 errors, 0 warnings) in 1 config files'));
  });

  it('--rule turns one off and lowers the other to a warning: exit 0', () => {
    config(undefined);
    const run = runCli(['check', root, '--rule', 'yaml-duplicate-key=off', '--rule', 'file-not-found=warning']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, output([line(NOT_FOUND, 'warning')], '✖ 1 problem (0 errors, 1 warning) in 1 config files'));
  });

  it('.kube-pki.yaml sets levels; --rule wins over it for the rules it names', () => {
    config('rules:\n  file-not-found: off\n  yaml-duplicate-key: hint\n');
    const fromFile = runCli(['check', root]);
    assert.equal(fromFile.status, 0, fromFile.stderr);
    assert.equal(fromFile.stdout, output([line(DUPLICATE, 'hint')], '✖ 1 problem (0 errors, 0 warnings, 1 information) in 1 config files'));
    const overridden = runCli(['check', root, '--rule', 'file-not-found=error']);
    assert.equal(overridden.status, 1, overridden.stderr);
    assert.equal(
      overridden.stdout,
      output([line(DUPLICATE, 'hint'), line(NOT_FOUND, 'error')], '✖ 2 problems (1 error, 0 warnings, 1 information) in 1 config files'),
    );
  });

  it('an unknown code or level in .kube-pki.yaml is named (a note in text, stderr in JSON) and ignored', () => {
    config('rules:\n  san-mising: off\n  file-not-found: silent\n');
    const text = runCli(['check', root]);
    assert.equal(text.status, 1, text.stderr);
    assert.equal(
      text.stdout,
      [
        'etc/kubernetes/manifests/kube-apiserver.yaml',
        line(DUPLICATE, 'error'),
        line(NOT_FOUND, 'error'),
        'note: .kube-pki.yaml: line 2: unknown rule "san-mising" (ignored)',
        'note: .kube-pki.yaml: line 3: file-not-found: "silent" is not one of off, error, warning, information, hint (ignored)',
        '',
        '✖ 2 problems (2 errors, 0 warnings) in 1 config files',
        '',
      ].join('\n'),
    );
    const json = runCli(['check', root, '--format', 'json'], root);
    assert.equal(json.status, 1);
    assert.equal(
      json.stderr,
      'kube-pki check: .kube-pki.yaml: line 2: unknown rule "san-mising" (ignored)\nkube-pki check: .kube-pki.yaml: line 3: file-not-found: "silent" is not one of off, error, warning, information, hint (ignored)\n',
    );
    assert.deepEqual(
      JSON.parse(json.stdout).diagnostics.map((d: { code: string; severity: string }) => `${d.code} ${d.severity}`),
      ['yaml-duplicate-key error', 'file-not-found error'],
    );
  });

  it('an unknown code or level in --rule is a usage error (exit 2), nothing checked', () => {
    config(undefined);
    const code = runCli(['check', root, '--rule', 'san-mising=off']);
    assert.equal(code.status, 2);
    assert.equal(code.stdout, '');
    assert.match(code.stderr, /--rule: unknown rule "san-mising" \(kube-pki's rules: file-not-found, file-too-large, /);
    const level = runCli(['check', root, '--rule', 'san-missing=loud']);
    assert.equal(level.status, 2);
    assert.match(level.stderr, /--rule san-missing=LEVEL: LEVEL must be off, error, warning, information, hint, not "loud"/);
  });

  it('SARIF lists yaml-invalid among driver.rules, with its default level', () => {
    config(undefined);
    const run = runCli(['check', root, '--format', 'sarif']);
    const rules = JSON.parse(run.stdout).runs[0].tool.driver.rules as Array<{ id: string; defaultConfiguration: { level: string }; helpUri: string }>;
    assert.deepEqual(
      rules.find((r) => r.id === 'yaml-invalid'),
      {
        id: 'yaml-invalid',
        shortDescription: { text: 'A static pod manifest, kubeconfig, KubeletConfiguration or other component config does not parse as YAML.' },
        defaultConfiguration: { level: 'error' },
        helpUri: 'https://github.com/kube-pki/kube-pki/blob/main/docs/rules/yaml-invalid.md',
      },
    );
  });
});
