import type { Usage } from '../gen/issue';
import type { Range } from '../text/lineIndex';

/** A CA on disk that can sign: its certificate and private key files. */
export interface SignerFiles {
  certPath: string;
  keyPath: string;
}

/**
 * A value a fix reads when it runs, never copied into the spec (the spec goes to the client): a whole PEM file,
 * or, with `range`, the value node of a manifest at that range as the check read it (base64 or PEM text).
 */
export interface ValueRef {
  path: string;
  range?: Range;
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
      /** Write the signer's certificates after the new one, as k3s and RKE2 write their leaves. */
      appendChain?: boolean;
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
    }
  | {
      /**
       * A Secret's tls.crt re-issued with more SANs (same key, subject, usages, validity length), signed by a CA whose
       * key the repository holds. Signing happens when the user picks it: resolveSecretReissue turns it into an edit-text.
       */
      kind: 'reissue-secret-cert';
      title: string;
      cert: ValueRef & { range: Range };
      /** The Secret's tls.key: the new certificate carries its public key. Absent: the old certificate's. */
      key?: ValueRef;
      addSans: string[];
      signer: { cert: ValueRef; key: ValueRef };
    };
