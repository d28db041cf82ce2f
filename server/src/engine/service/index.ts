// The engine's public entry: the faces (server, CLI, tests) import from here.

export type { ExpiryRow, ExpirySummary, ExpiryTable } from '../check/expiryTable';
export { createKubePkiService } from './createKubePkiService';
export type { CheckedReport, KubePkiHost, KubePkiService, SignOptions } from './kubePkiService';
