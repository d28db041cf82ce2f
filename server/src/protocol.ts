/**
 * kube-pki's own LSP messages, defined once: the VS Code client and the server both
 * import their names and types from here (as yaml-language-server's requestTypes.ts).
 * Everything else is standard LSP.
 *
 * Plain descriptors rather than vscode-jsonrpc's RequestType: the client and the server
 * are built against two copies of vscode-jsonrpc (vscode-languageclient 11 and
 * vscode-languageserver 9), whose RequestType classes have private members and so do
 * not type-check across them. Each side wraps a descriptor in its library's call.
 * Type imports only: the client bundle carries no engine code.
 */

import type { ExpirySummary } from './engine/check/expiryTable';
import type { FixSpec } from './engine/check/fixSpec';
import type { PkiTree } from './engine/features/pkiTree';
import type { PreviewData } from './engine/features/previewData';
import type { FixOutcome } from './engine/fix/applyFix';
import type { Usage } from './engine/gen/issue';
import type { KeyType } from './engine/gen/keys';
import type { ClusterParams } from './engine/gen/profiles';

/** A request's method with its parameter and result types (the `_types` field is never set). */
export interface RequestDescriptor<P, R> {
  readonly method: string;
  readonly _types?: [P, R];
}

/** A notification's method with its parameter type. */
export interface NotificationDescriptor<P> {
  readonly method: string;
  readonly _types?: [P];
}

export interface PreviewDataParams {
  uri: string;
  /** The file's bytes, base64: sent for a file the user opened with "Open With… Certificate Preview" (VS Code read it for them). */
  content?: string;
}

/** The preview panel's data: decoded by the server, rendered by the client. */
export const PreviewDataRequest: RequestDescriptor<PreviewDataParams, PreviewData> = { method: 'kubePki/previewData' };

/** The explorer view "Kubernetes PKI": every CA with what it signed, per workspace folder. */
export const PkiTreeRequest: RequestDescriptor<Record<string, never>, PkiTree[]> = { method: 'kubePki/pkiTree' };

/** The status bar item: how many used certificates and CAs are expired or due within the warning window, over every folder. */
export const ExpirySummaryRequest: RequestDescriptor<Record<string, never>, ExpirySummary> = { method: 'kubePki/expirySummary' };

/** Workspace trust (VS Code's, not a setting): nothing is written while untrusted. */
export const SetTrustedNotification: NotificationDescriptor<{ trusted: boolean }> = { method: 'kubePki/setTrusted' };

/** The settings section the server pulls with workspace/configuration (per folder). */
export const SETTINGS_SECTION = 'kubePki';

/**
 * The `kubePki` section as a client answers workspace/configuration (package.json
 * documents each key; Neovim and Helix send the same shape).
 */
export interface KubePkiSettingsSection {
  expiryWarningDays?: number;
  codeLens?: { enabled?: boolean };
  /** The folder that stands for / (relative to the workspace folder, or absolute). */
  nodeRoot?: string;
  /** Per rule code: "off", "error", "warning", "information" or "hint". */
  rules?: Record<string, string>;
  /** Globs, relative to the workspace folder, of what is not scanned. */
  exclude?: string[];
  /** false: .gitignore'd paths are scanned too. */
  useGitignore?: boolean;
  /** VS Code's files.exclude (glob -> true), pulled alongside the section. */
  filesExclude?: Record<string, unknown>;
}

/** What a client may send as initializationOptions (flat names, from before the settings were pulled). */
export interface InitializationOptions {
  /** Workspace trust; editors without a trust model leave it out (trusted). */
  trusted?: boolean;
  /** The client runs `command:kubePki.previewCertificate` links in hovers (VS Code's; others get the fields in the hover). */
  commandLinks?: boolean;
  /** The client shows the diagnostics under the pointer in the hover, above the server's (VS Code's): the hover leaves the findings out. */
  hoverShowsDiagnostics?: boolean;
  expiryWarningDays?: number;
  codeLens?: boolean;
  nodeRoot?: string;
  ruleSeverities?: Record<string, string>;
}

// workspace/executeCommand: the command ids the server announces, with their argument (arguments[0]) and result.

/** A command with its one argument and its result. */
export interface CommandDescriptor<A, R> {
  readonly command: string;
  readonly _types?: [A, R];
}

export interface GenerationResult {
  written: string[];
  skipped?: Array<{ path: string; reason: string }>;
  /** 'untrusted', 'outside-workspace' or the failure's message; the server has told the user. */
  error?: string;
}

export type ApplyFixResult = FixOutcome & { reason?: string };

export const ApplyFixCommand: CommandDescriptor<FixSpec, ApplyFixResult> = { command: 'kubePki.applyFix' };
export const GeneratePkiCommand: CommandDescriptor<{ outDir: string; params?: Partial<ClusterParams> }, GenerationResult> = { command: 'kubePki.generatePki' };
export const GenerateCertCommand: CommandDescriptor<{ pkiDir: string; profile: string; params?: Partial<ClusterParams> }, GenerationResult> = {
  command: 'kubePki.generateCert',
};
export const CreateCsrCommand: CommandDescriptor<
  { prefix: string; subject: Array<[string, string]>; sans?: string[]; params?: { keyType?: KeyType } },
  GenerationResult
> = { command: 'kubePki.server.createCsr' };
export const SignCsrCommand: CommandDescriptor<
  { csrPath: string; caCertPath: string; caKeyPath?: string; outPath?: string; usages?: Usage[]; validityDays?: number },
  GenerationResult
> = { command: 'kubePki.server.signCsr' };
export const WorkspaceDefaultsCommand: CommandDescriptor<{ folder?: string }, ClusterParams> = { command: 'kubePki.workspaceDefaults' };

/** Not a server command: the client's, which a code lens on a certificate reference runs with the file's URI. */
export const PREVIEW_CERTIFICATE_COMMAND = 'kubePki.previewCertificate';
