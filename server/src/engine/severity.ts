/**
 * How serious a finding, a decoder problem or a diagnostic is: one vocabulary for the
 * whole engine, LSP's names. The CLI's JSON emits these values as they are (a contract);
 * SARIF and LSP map them once, at their edge.
 */
export type Severity = 'error' | 'warning' | 'information' | 'hint';
