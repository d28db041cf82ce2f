import { MAX_CONFIG_FILE_BYTES } from '../check/workspace';
import { looksLikeOpensslConfig } from '../kube/kinds/opensslProfile';
import { decodePkiBytes, MAX_PKI_FILE_BYTES } from '../pki/decode';
import { checkTree } from '../run/runCheck';
import type { KubePkiHost, KubePkiService } from './kubePkiService';

/** The folder holding `file`: where completion looks for paths when no check covers the file. */
function parentOf(file: string): string {
  return file.split('/').slice(0, -1).join('/');
}

// Each capability loads when a method first needs it (require, as the CLI's commands do: esbuild keeps
// such a module un-run until then), so `kube-pki check` through the facade loads only the check.
const expiry = () => require('../check/expiryTable') as typeof import('../check/expiryTable');
const completion = () => require('../features/configCompletion') as typeof import('../features/configCompletion');
const openssl = () => require('../features/opensslFeatures') as typeof import('../features/opensslFeatures');
const objectValues = () => require('../features/objectValueFeatures') as typeof import('../features/objectValueFeatures');
const tlsLinks = () => require('../features/tlsLinkHover') as typeof import('../features/tlsLinkHover');
const outline = () => require('../features/kubeconfigSymbols') as typeof import('../features/kubeconfigSymbols');
const pem = () => require('../features/pemDocument') as typeof import('../features/pemDocument');
const tree = () => require('../features/pkiTree') as typeof import('../features/pkiTree');
const preview = () => require('../features/previewData') as typeof import('../features/previewData');
const placements = () => require('../features/previewWorkspace') as typeof import('../features/previewWorkspace');
const references = () => require('../features/referenceFeatures') as typeof import('../features/referenceFeatures');
const variants = () => require('../fix/variants') as typeof import('../fix/variants');
const files = () => require('../io/pkiFile') as typeof import('../io/pkiFile');
const fixes = () => require('../fix/applyFix') as typeof import('../fix/applyFix');
const generation = () => require('../gen/generatePki') as typeof import('../gen/generatePki');
const operations = () => require('../gen/operations') as typeof import('../gen/operations');
const renewal = () => require('../renew/planRenewal') as typeof import('../renew/planRenewal');
const renewing = () => require('../renew/applyRenewal') as typeof import('../renew/applyRenewal');
const defaults = () => require('../run/workspaceDefaults') as typeof import('../run/workspaceDefaults');

/** The engine's one entry: I/O from the host, a typed interface back. */
export function createKubePkiService(host: KubePkiHost): KubePkiService {
  const now = () => host.now?.() ?? new Date();
  const service: KubePkiService = {
    guard: () => host.guard(),
    limits: { pkiFileBytes: MAX_PKI_FILE_BYTES, configFileBytes: MAX_CONFIG_FILE_BYTES },

    checkTree: (folder, options = {}) => checkTree(folder, { now: host.now ? now() : undefined, ...options }),
    expiry: async (folder, options = {}) => service.expiryTable(await service.checkTree(folder, options)),
    expiryTable: async (report) => expiry().expiryTable(report.context, await expiry().loadBackups(report.context)),
    expirySummary: async (report) => expiry().expirySummary(await service.expiryTable(report), report.context.options.expiryWarningDays),

    hover: (report, file, position, findingsShownApart) =>
      references().hoverReference(report.context, report.findings, file, position, findingsShownApart) ??
      objectValues().hoverObjectValue(report.context, report.findings, file, position, findingsShownApart) ??
      tlsLinks().hoverTlsLink(report.context, report.findings, file, position, findingsShownApart),
    valueHover: (report, file, position, findingsShownApart) =>
      objectValues().hoverObjectValue(report.context, report.findings, file, position, findingsShownApart, false),
    links: (report, file) => references().referenceLinks(report.context, file),
    definition: (report, file, position) =>
      references()
        .referenceLinks(report.context, file)
        .filter((l) => l.range.start.line === position.line && l.range.start.character <= position.character && position.character <= l.range.end.character)
        .map((l) => l.target),
    lenses: (report, file) => {
      const links = references().referenceLinks(report.context, file);
      return [
        ...references()
          .referenceLenses(report.context, file)
          .map((lens) => {
            const target = links.find((l) => l.range.start.line === lens.range.start.line && l.range.start.character === lens.range.start.character)?.target;
            return { ...lens, target };
          }),
        ...objectValues().objectValueLenses(report.context, file),
      ];
    },
    completion: (text, file, position, report) =>
      looksLikeOpensslConfig(text)
        ? openssl().completeOpenssl(text, position)
        : completion().completeConfig(text, file, position, report?.context.workspace.files ?? [], report?.boundary ?? parentOf(file)),
    documentHover: (text, position) => openssl().opensslHover(text, position),
    symbols: (text, file) => outline().kubeconfigSymbols(text, file),

    pemDocument: (text) => new (pem().PemDocument)(text),

    loadPkiFile: (path) => files().loadPkiFile(path, host.guard()),
    // Base64 is 4/3 of the bytes: a longer string would decode past the file limit.
    decodeBase64: (content) =>
      content.length > (MAX_PKI_FILE_BYTES * 4) / 3 + 4
        ? { format: 'none', blocks: [], error: 'file too large' }
        : decodePkiBytes(new Uint8Array(Buffer.from(content, 'base64'))),
    previewData: async (path, decoded, report) => {
      const placement = report ? placements().previewPlacements(report.context, await service.expiryTable(report)) : undefined;
      return preview().previewData(path, decoded, now(), placement);
    },
    pkiTree: async (report) => tree().pkiTree(report.context, report.findings, await service.expiryTable(report)),

    fixChoices: (fix) => variants().fixChoices(fix),
    planFix: (fix) => fixes().planFix(host.guard(), fix, now()),
    resolveFix: (fix) => fixes().resolveFix(host.guard(), fix, now()),
    applyPlan: (plan, confirm) => fixes().applyPlan(host.guard(), plan, confirm, now()),

    planRenewal: (report, options) => renewal().planRenewal(report.context, options),
    applyRenewal: (plan) => renewing().applyRenewal(host.guard(), plan, now()),

    generatePki: (outDir, params) => generation().generatePki(host.guard(), outDir, params, now()),
    generateCert: (pkiDir, profile, params, keyPath) => operations().generateProfileCert(host.guard(), pkiDir, profile, params, keyPath),
    createCsr: (prefix, subject, sans, keyType) => operations().createCsrFiles(host.guard(), prefix, subject, sans, keyType),
    signCsr: (csrPath, caCertPath, options) => operations().signCsrFile(host.guard(), csrPath, caCertPath, options),
    workspaceDefaults: (folders) => defaults().workspaceDefaults(host.guard(), folders),
  };
  return service;
}
