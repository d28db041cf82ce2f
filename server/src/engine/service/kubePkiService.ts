import type { ExpirySummary, ExpiryTable } from '../check/expiryTable';
import type { FixSpec } from '../check/fixSpec';
import type { EngineCompletion } from '../features/configCompletion';
import type { OutlineSymbol } from '../features/kubeconfigSymbols';
import type { PemDocument } from '../features/pemDocument';
import type { PkiTree } from '../features/pkiTree';
import type { PreviewData } from '../features/previewData';
import type { EngineHover, Position, Range } from '../features/types';
import type { FixOutcome, FixPlan } from '../fix/applyFix';
import type { GenerationReport } from '../gen/generatePki';
import type { Usage } from '../gen/issue';
import type { KeyType } from '../gen/keys';
import type { ClusterParams } from '../gen/profiles';
import type { PathGuard } from '../io/pathGuard';
import type { DecodedFile } from '../pki/decode';
import type { RenewalOutcome } from '../renew/applyRenewal';
import type { RenewalOptions, RenewalPlan } from '../renew/planRenewal';
import type { CheckReport, CheckTreeOptions } from '../run/runCheck';

/**
 * What the engine needs from its face (the language server, the CLI, a test): I/O is
 * injected, never reached for. Every file the service reads or writes goes through
 * the guard the host builds at that moment (workspace folders and trust in the
 * editor; arguments and outputs in the CLI).
 */
export interface KubePkiHost {
  /** The confinement policy of this moment. */
  guard(): PathGuard;
  /** The clock for expiry and validity (default: the system's). */
  now?(): Date;
}

/** Where a file's features come from: the last check of its folder (hover, links, lens, tree). */
export type CheckedReport = Pick<CheckReport, 'context' | 'findings' | 'boundary'>;

export interface SignOptions {
  caKeyPath?: string;
  outPath?: string;
  usages?: Usage[];
  validityDays?: number;
}

/**
 * The engine as one typed interface: what the language server, the CLI and the tests
 * call (in the spirit of vscode-json-languageservice's getLanguageService). Results are
 * plain data, LSP-shaped (zero-based lines, UTF-16 characters) but LSP-free.
 */
export interface KubePkiService {
  /** The guard of this moment (the command executor judges every argument with it before running). */
  guard(): PathGuard;
  /** Size limits: an editor's document over them is treated as the check treats the file on disk. */
  readonly limits: { pkiFileBytes: number; configFileBytes: number };

  // Checking
  checkTree(folder: string, options?: CheckTreeOptions): Promise<CheckReport>;
  /**
   * `kube-pki expiry`: every certificate and CA the folder's configuration uses, soonest first, then the
   * unreferenced ones (options.now and options.expiryWarningDays as for checkTree).
   */
  expiry(folder: string, options?: CheckTreeOptions): Promise<ExpiryTable>;
  /** The same table from a check already made (the PKI view's "By expiry" group, a status bar item). */
  expiryTable(report: CheckedReport): Promise<ExpiryTable>;

  // Config files (manifests, kubeconfigs...), from the folder's last check
  /** `findingsShownApart`: the editor shows the diagnostics under the pointer in the same hover (VS Code), so the hover does not repeat them. */
  hover(report: CheckedReport, file: string, position: Position, findingsShownApart?: boolean): EngineHover | undefined;
  /**
   * A Secret's or caBundle's value decoded, with its own findings and no links: what a check of the open files alone
   * (`report`) can say while the folder's first check runs. Undefined off such a value.
   */
  valueHover(report: CheckedReport, file: string, position: Position, findingsShownApart?: boolean): EngineHover | undefined;
  links(report: CheckedReport, file: string): Array<{ range: Range; target: string }>;
  /** The reference under `position` and the file it names. */
  definition(report: CheckedReport, file: string, position: Position): string[];
  /** Code lens: a reference's summary, with the certificate it opens when it names one. */
  lenses(report: CheckedReport, file: string): Array<{ range: Range; title: string; target?: string }>;
  completion(text: string, file: string, position: Position, report: CheckedReport | undefined): EngineCompletion[];
  /** A document's own hover, read from its text with no check: what a key of an openssl profile means. */
  documentHover(text: string, position: Position): EngineHover | undefined;
  symbols(text: string, file: string): OutlineSymbol[];

  // PEM documents (hover, symbols, folding, diagnostics): decoded once per text
  pemDocument(text: string): PemDocument;

  // Preview panel and explorer view
  loadPkiFile(path: string): Promise<DecodedFile>;
  /** Bytes a client read for the user (base64), decoded under the same size limit as a file. */
  decodeBase64(content: string): DecodedFile;
  /** With the folder's check (`report`), each certificate's role, CAs in the workspace and references. */
  previewData(path: string, decoded: DecodedFile, report?: CheckedReport): Promise<PreviewData>;
  /** The explorer view: CAs with what they signed (labelled by role, with their findings) and the expiry table soonest first. */
  pkiTree(report: CheckedReport): Promise<PkiTree>;
  /** The status bar's count: what is expired or due within the warning window, from the expiry table. */
  expirySummary(report: CheckedReport): Promise<ExpirySummary>;

  // Quick fixes
  fixChoices(fix: FixSpec | undefined): FixSpec[];
  planFix(fix: FixSpec): Promise<FixPlan>;
  /** The fix as the editor applies it: a Secret's re-issued certificate becomes the edit of its value (signed now). */
  resolveFix(fix: FixSpec): Promise<FixSpec>;
  applyPlan(plan: FixPlan, confirm: (replaced: string[]) => Promise<boolean>): Promise<FixOutcome>;

  // Renewal (kubeadm's certs renew): plan over a check's model, then write
  planRenewal(report: CheckedReport, options: RenewalOptions): Promise<RenewalPlan>;
  applyRenewal(plan: RenewalPlan): Promise<RenewalOutcome>;

  // Generation
  generatePki(outDir: string, params: ClusterParams): Promise<GenerationReport>;
  /** A profile's certificate (and a new key, unless `keyPath` names an existing one to issue for). */
  generateCert(pkiDir: string, profile: string, params: ClusterParams, keyPath?: string): Promise<string[]>;
  createCsr(prefix: string, subject: Array<[string, string]>, sans: string[], keyType: KeyType): Promise<string[]>;
  signCsr(csrPath: string, caCertPath: string, options: SignOptions): Promise<{ path: string; usages: Usage[]; signer: string; days: number }>;
  /** Cluster parameters as the first of the folders whose manifests describe a node says them (prefills for generation). */
  workspaceDefaults(folders: string[]): Promise<ClusterParams>;
}
