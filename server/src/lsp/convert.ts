import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Finding } from '../engine/check/ruleContext';
import type { EngineDiagnostic } from '../engine/features/types';
import type { Severity } from '../engine/severity';
import { displayText } from '../engine/text/displayText';

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A checker finding as an LSP diagnostic (its message names files and subjects: shown inert, on one line); its quick fix travels in `data` (plain JSON, no key material). */
export function findingToDiagnostic(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: LSP_SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: { href: `https://github.com/kube-pki/kube-pki/blob/main/docs/rules/${finding.code}.md` },
    source: 'kube-pki',
    message: displayText(finding.message),
    ...(finding.fix ? { data: { fix: finding.fix } } : {}),
  };
}

export function engineToDiagnostic(d: EngineDiagnostic): Diagnostic {
  return { range: d.range, severity: LSP_SEVERITY[d.severity], code: d.code, source: 'kube-pki', message: displayText(d.message) };
}

export function uriToPath(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}

export function pathToUri(path: string): string {
  return URI.file(path).toString();
}
