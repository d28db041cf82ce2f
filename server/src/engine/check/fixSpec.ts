import type { Usage } from '../gen/issue';
import type { Range } from '../text/lineIndex';

/** A CA on disk that can sign: its certificate and private key files. */
export interface SignerFiles {
  certPath: string;
  keyPath: string;
}

/**
 * What a quick fix will do, as plain data: rules attach it to findings, the
 * server hands it to the editor as the diagnostic's data, and applyFix
 * carries it out. Paths are absolute paths in the checked tree.
 */
export type FixSpec =
  | {
      kind: 'issue-certificate';
      title: string;
      certPath: string;
      keyPath: string;
      /** Keep the key in keyPath (renew, re-issue for the configured key) or make a new one. */
      key: 'keep' | 'new';
      subject: Array<[string, string]>;
      usages: Usage[];
      sans: string[];
      ca: boolean;
      /** Undefined: self-signed (a CA). */
      signer?: SignerFiles;
      /** A CA to create first because it is missing too (the user is asked). */
      createSigner?: { subject: Array<[string, string]>; files: SignerFiles };
      validityDays: number;
    }
  | {
      kind: 'kubeconfig-user';
      title: string;
      kubeconfigPath: string;
      /** The users[].name whose embedded certificate and key are replaced. */
      user: string;
      /** Keep the user's embedded key (client-key-data) and replace only the certificate: the same identity, another signer. */
      keepKey?: boolean;
      subject: Array<[string, string]>;
      signer: SignerFiles;
      validityDays: number;
    }
  | {
      /** Replacements in one text file as the check read it (an editor applies them to the open document). */
      kind: 'edit-text';
      title: string;
      path: string;
      /** Not overlapping. */
      edits: Array<{ range: Range; newText: string }>;
    };
