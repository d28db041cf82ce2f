import { MAX_CONFIG_FILE_BYTES } from '../check/workspace';
import { completeConfig } from '../features/configCompletion';
import { kubeconfigSymbols } from '../features/kubeconfigSymbols';
import { PemDocument } from '../features/pemDocument';
import { pkiTree } from '../features/pkiTree';
import { previewData } from '../features/previewData';
import { hoverReference, referenceLenses, referenceLinks } from '../features/referenceFeatures';
import { applyPlan, planFix } from '../fix/applyFix';
import { fixChoices } from '../fix/variants';
import { generatePki } from '../gen/generatePki';
import { createCsrFiles, generateProfileCert, signCsrFile } from '../gen/operations';
import { loadPkiFile } from '../io/pkiFile';
import { decodePkiBytes, MAX_PKI_FILE_BYTES } from '../pki/decode';
import { checkTree } from '../run/runCheck';
import { workspaceDefaults } from '../run/workspaceDefaults';
import type { KubePkiHost, KubePkiService } from './kubePkiService';

/** The folder holding `file`: where completion looks for paths when no check covers the file. */
function parentOf(file: string): string {
  return file.split('/').slice(0, -1).join('/');
}

/** The engine's one entry: I/O from the host, a typed interface back. */
export function createKubePkiService(host: KubePkiHost): KubePkiService {
  const now = () => host.now?.() ?? new Date();
  const service: KubePkiService = {
    guard: () => host.guard(),
    limits: { pkiFileBytes: MAX_PKI_FILE_BYTES, configFileBytes: MAX_CONFIG_FILE_BYTES },

    checkTree: (folder, options = {}) => checkTree(folder, { now: host.now ? now() : undefined, ...options }),

    hover: (report, file, position) => hoverReference(report.context, report.findings, file, position),
    links: (report, file) => referenceLinks(report.context, file),
    definition: (report, file, position) =>
      referenceLinks(report.context, file)
        .filter((l) => l.range.start.line === position.line && l.range.start.character <= position.character && position.character <= l.range.end.character)
        .map((l) => l.target),
    lenses: (report, file) => {
      const links = referenceLinks(report.context, file);
      return referenceLenses(report.context, file).map((lens) => {
        const target = links.find((l) => l.range.start.line === lens.range.start.line && l.range.start.character === lens.range.start.character)?.target;
        return { ...lens, target };
      });
    },
    completion: (text, file, position, report) =>
      completeConfig(text, file, position, report?.context.workspace.files ?? [], report?.boundary ?? parentOf(file)),
    symbols: (text, file) => kubeconfigSymbols(text, file),

    pemDocument: (text) => new PemDocument(text),

    loadPkiFile: (path) => loadPkiFile(path, host.guard()),
    // Base64 is 4/3 of the bytes: a longer string would decode past the file limit.
    decodeBase64: (content) =>
      content.length > (MAX_PKI_FILE_BYTES * 4) / 3 + 4
        ? { format: 'none', blocks: [], error: 'file too large' }
        : decodePkiBytes(new Uint8Array(Buffer.from(content, 'base64'))),
    previewData: (path, decoded) => previewData(path, decoded, now()),
    pkiTree: (report) => pkiTree(report.context),

    fixChoices,
    planFix: (fix) => planFix(host.guard(), fix, now()),
    applyPlan: (plan, confirm) => applyPlan(host.guard(), plan, confirm, now()),

    generatePki: (outDir, params) => generatePki(host.guard(), outDir, params, now()),
    generateCert: (pkiDir, profile, params) => generateProfileCert(host.guard(), pkiDir, profile, params),
    createCsr: (prefix, subject, sans, keyType) => createCsrFiles(host.guard(), prefix, subject, sans, keyType),
    signCsr: (csrPath, caCertPath, options) => signCsrFile(host.guard(), csrPath, caCertPath, options),
    workspaceDefaults: (folder) => workspaceDefaults(host.guard(), folder),
  };
  return service;
}
