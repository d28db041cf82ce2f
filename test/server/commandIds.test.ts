import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LspTestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/paths';

// vscode-languageclient registers every command the server announces as a VS Code command. One
// that the extension also registers makes the client's start fail ("command already exists"), as
// code-server showed: the two sets must stay apart.
describe('server command ids', () => {
  it('do not collide with the commands the extension contributes', async () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    const client = new LspTestClient();
    try {
      const result = (await client.initialize(null)) as { capabilities: { executeCommandProvider?: { commands: string[] } } };
      const announced = result.capabilities.executeCommandProvider?.commands ?? [];
      assert.ok(announced.includes('kubePki.applyFix'), `the server announces its commands (${announced.join(', ')})`);
      assert.deepEqual(
        announced.filter((c) => contributed.has(c)),
        [],
      );
    } finally {
      await client.shutdown();
    }
  });
});
