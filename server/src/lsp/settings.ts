import type { InitializationOptions, KubePkiSettingsSection } from '../protocol';

/** The settings a check and the editor features read, per workspace folder. */
export interface Settings {
  expiryWarningDays: number;
  codeLens: boolean;
  /** The folder that stands for / (relative to the workspace folder, or absolute); default: found by walking up. */
  nodeRoot?: string;
  /** Per rule code: "off", "error", "warning", "information" or "hint". */
  ruleSeverities: Record<string, string>;
  /** Globs of what is not scanned: kubePki.exclude and the files.exclude entries set to true. */
  exclude: string[];
  useGitignore: boolean;
}

const DEFAULTS: Settings = { expiryWarningDays: 30, codeLens: true, ruleSeverities: {}, exclude: [], useGitignore: true };

/** initializationOptions' flat names (Neovim users send them), kept as a base under what is pulled. */
function fromInitializationOptions(base: Settings, options: InitializationOptions): Settings {
  const next = { ...base };
  if (typeof options.expiryWarningDays === 'number') next.expiryWarningDays = options.expiryWarningDays;
  if (typeof options.codeLens === 'boolean') next.codeLens = options.codeLens;
  if (typeof options.nodeRoot === 'string') next.nodeRoot = options.nodeRoot || undefined;
  if (options.ruleSeverities && typeof options.ruleSeverities === 'object') next.ruleSeverities = { ...options.ruleSeverities };
  return next;
}

/** The `kubePki` section as a client answers workspace/configuration (or pushes it in didChangeConfiguration). */
export function fromSection(base: Settings, section: unknown): Settings {
  if (!section || typeof section !== 'object') return base;
  const s = section as KubePkiSettingsSection;
  const next = { ...base };
  if (typeof s.expiryWarningDays === 'number') next.expiryWarningDays = s.expiryWarningDays;
  if (s.codeLens && typeof s.codeLens === 'object' && typeof s.codeLens.enabled === 'boolean') next.codeLens = s.codeLens.enabled;
  if (typeof s.nodeRoot === 'string') next.nodeRoot = s.nodeRoot || undefined;
  if (s.rules && typeof s.rules === 'object') next.ruleSeverities = { ...s.rules };
  if (typeof s.useGitignore === 'boolean') next.useGitignore = s.useGitignore;
  const own = Array.isArray(s.exclude) ? s.exclude.filter((g) => typeof g === 'string') : [];
  // files.exclude's `{ "when": ... }` entries depend on sibling files: left to the explorer, not honoured here.
  const files = s.filesExclude && typeof s.filesExclude === 'object' ? Object.keys(s.filesExclude).filter((g) => s.filesExclude?.[g] === true) : [];
  if (own.length > 0 || files.length > 0 || Array.isArray(s.exclude)) next.exclude = [...own, ...files];
  return next;
}

/**
 * The settings state: initializationOptions as a base, then per folder what the client
 * answers to workspace/configuration (section "kubePki", scoped to the folder), or,
 * for a client that cannot be asked, what it pushes in workspace/didChangeConfiguration.
 * Workspace trust is not a setting: VS Code sends it with kubePki/setTrusted.
 */
export class SettingsStore {
  trusted = true;
  /** The client runs kubePki.previewCertificate from a hover's command link (VS Code's client trusts that one command). */
  commandLinks = false;
  /** The client shows the diagnostics under the pointer above the hover (VS Code): the hover leaves the findings to it. */
  hoverShowsDiagnostics = false;
  private base: Settings = DEFAULTS;
  private pushed: Settings | undefined;
  private readonly perFolder = new Map<string, Settings>();
  private pulling: Promise<void> = Promise.resolve();

  /** Settings sent at start: trust (VS Code's), and the flat names other clients may use. */
  initialize(options: InitializationOptions | undefined): void {
    // Editors without a trust model are trusted; VS Code says what it knows.
    if (typeof options?.trusted === 'boolean') this.trusted = options.trusted;
    this.commandLinks = options?.commandLinks === true;
    this.hoverShowsDiagnostics = options?.hoverShowsDiagnostics === true;
    this.base = fromInitializationOptions(DEFAULTS, options ?? {});
  }

  /** What a client pushed (didChangeConfiguration's `settings.kubePki`), for clients the server cannot ask. */
  push(section: unknown): void {
    this.pushed = fromSection(this.base, section);
  }

  /**
   * Asks the client for each folder's section; checks wait for the answer (see `ready`).
   * `ask` returns one section per folder, in order.
   */
  pull(folders: string[], ask: (folders: string[]) => Promise<unknown[]>): Promise<void> {
    this.pulling = ask(folders).then(
      (sections) => folders.forEach((folder, i) => this.perFolder.set(folder, fromSection(this.base, sections[i]))),
      () => undefined,
    );
    return this.pulling;
  }

  /** Resolves once the last pull is answered. */
  ready(): Promise<void> {
    return this.pulling;
  }

  /** The settings of a workspace folder (undefined: not in one). */
  forFolder(folder: string | undefined): Settings {
    return (folder !== undefined ? this.perFolder.get(folder) : undefined) ?? this.pushed ?? this.base;
  }
}
