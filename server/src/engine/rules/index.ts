import { caMismatch } from './caMismatch';
import { chainTooComplex } from './chainTooComplex';
import { certExpired, certExpiringSoon, certNotYetValid } from './certValidity';
import { ekuMissing } from './ekuMissing';
import { fileNotFound } from './fileNotFound';
import { fileTooLarge } from './fileTooLarge';
import { identityMismatch } from './identityMismatch';
import { keyMismatch } from './keyMismatch';
import { keyPermissions } from './keyPermissions';
import { kubeconfigRef } from './kubeconfigRef';
import { notACa } from './notACa';
import { pathNotMounted } from './pathNotMounted';
import { pemInvalid } from './pemInvalid';
import type { Rule } from './rule';
import { sanMissing } from './sanMissing';
import { weakKey } from './weakKey';
import { yamlDuplicateKey } from './yamlDuplicateKey';

/** Every rule, in the order their findings are listed. Each has docs/rules/<code>.md. */
export const RULES: readonly Rule[] = [
  fileNotFound,
  fileTooLarge,
  pathNotMounted,
  pemInvalid,
  certExpired,
  certNotYetValid,
  certExpiringSoon,
  caMismatch,
  chainTooComplex,
  keyMismatch,
  sanMissing,
  ekuMissing,
  notACa,
  identityMismatch,
  weakKey,
  keyPermissions,
  kubeconfigRef,
  yamlDuplicateKey,
];
