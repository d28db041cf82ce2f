import { ChildProcess, spawn } from 'node:child_process';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { SERVER } from './paths';

/**
 * A real language server process driven over JSON-RPC on stdio, the way
 * Neovim or Helix would run it: `node dist/server.js --stdio`.
 */
export class LspTestClient {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: Array<{ uri: string; version?: number; resolve: (d: Diagnostic[]) => void }> = [];
  stderr = '';

  constructor() {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk) => (this.stderr += String(chunk)));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      this.lastPublishAt = Date.now();
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && (waiter.version === undefined || params.version === waiter.version)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  /** Answers the server's window/showMessageRequest (a confirmation) with this action title; undefined = dismiss. */
  answer: string | undefined;
  readonly messages: Array<{ type: number; message: string }> = [];
  readonly questions: string[] = [];

  /**
   * The settings this client holds, by section, as an editor's settings file: with `pullSettings`, the
   * client declares workspace/configuration and answers the server's requests from here.
   */
  settings: Record<string, unknown> = {};
  /** Every item the server asked for with workspace/configuration. */
  readonly configurationAsked: Array<{ scopeUri?: string; section?: string }> = [];
  /** Registrations the server made (client/registerCapability), by method. */
  readonly registered: Array<{ method: string; registerOptions?: unknown }> = [];

  async initialize(
    rootUri: string | null = null,
    initializationOptions: unknown = undefined,
    options: { pullSettings?: boolean } = {},
  ): Promise<Record<string, unknown>> {
    this.connection.onRequest('workspace/configuration', (params: { items: Array<{ scopeUri?: string; section?: string }> }) => {
      this.configurationAsked.push(...params.items);
      return params.items.map((item) => (item.section ? (this.settings[item.section] ?? null) : this.settings));
    });
    this.connection.onRequest('client/registerCapability', (params: { registrations: Array<{ method: string; registerOptions?: unknown }> }) => {
      this.registered.push(...params.registrations);
      return null;
    });
    this.connection.onRequest('window/showMessageRequest', (params: { message: string; actions?: Array<{ title: string }> }) => {
      this.questions.push(params.message);
      return params.actions?.find((a) => a.title === this.answer) ?? null;
    });
    this.connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
      this.messages.push(params);
    });
    const capabilities = options.pullSettings ? { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } } : {};
    const result = await this.connection.sendRequest('initialize', { processId: process.pid, rootUri, capabilities, initializationOptions });
    await this.connection.sendNotification('initialized', {});
    return result as Record<string, unknown>;
  }

  /** Resolves with the next diagnostics published for the URI (at that version, when given). */
  nextDiagnostics(uri: string, version?: number, timeoutMs = 10_000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; server stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (d) => (clearTimeout(timer), resolve(d)) });
    });
  }

  /** The last diagnostics published for every URI, as an editor's Problems panel holds them. */
  allDiagnostics(): Map<string, Diagnostic[]> {
    return new Map([...this.diagnostics].map(([uri, params]) => [uri, params.diagnostics]));
  }

  /** When the server last published diagnostics. */
  lastPublishAt = 0;

  /**
   * Waits for the workspace check in progress (kubePki/pkiTree waits for it),
   * then until no diagnostics arrived for `quietMs`: the Problems panel at
   * rest. Returns every URI's non-empty diagnostics.
   */
  async settle(quietMs = 1_000, timeoutMs = 120_000): Promise<Map<string, Diagnostic[]>> {
    const start = Date.now();
    for (;;) {
      const asked = Date.now();
      await this.request('kubePki/pkiTree', {});
      await new Promise((r) => setTimeout(r, quietMs));
      if (this.lastPublishAt < asked) return new Map([...this.allDiagnostics()].filter(([, d]) => d.length > 0));
      if (Date.now() - start > timeoutMs) throw new Error(`the server did not settle within ${timeoutMs} ms`);
    }
  }

  open(uri: string, text: string, languageId = 'pem', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', (c) => resolve(c)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
