import { apiserviceInsecure } from './apiserviceInsecure';
import { caMismatch } from './caMismatch';
import { certExpired } from './certExpired';
import { certExpiringSoon } from './certExpiringSoon';
import { certNotYetValid } from './certNotYetValid';
import { chainOrder } from './chainOrder';
import { chainTooComplex } from './chainTooComplex';
import { csrSignerRules } from './csrSignerRules';
import { ekuMissing } from './ekuMissing';
import { fileNotFound } from './fileNotFound';
import { fileTooLarge } from './fileTooLarge';
import { identityMismatch } from './identityMismatch';
import { ingressHostNotCovered } from './ingressHostNotCovered';
import { ingressHostWithoutTls } from './ingressHostWithoutTls';
import { internalError } from './internalError';
import { issuerCaInvalid } from './issuerCaInvalid';
import { keyMismatch } from './keyMismatch';
import { keyPermissions } from './keyPermissions';
import { kubeconfigCredential } from './kubeconfigCredential';
import { kubeconfigRef } from './kubeconfigRef';
import { notACa } from './notACa';
import { opensslConfig } from './opensslConfig';
import { pathNotMounted } from './pathNotMounted';
import { pemInvalid } from './pemInvalid';
import { rootNotStrict } from './rootNotStrict';
import type { Rule } from './rule';
import { sanMissing } from './sanMissing';
import { unexpandedVariable } from './unexpandedVariable';
import { weakKey } from './weakKey';
import { yamlDuplicateKey } from './yamlDuplicateKey';
import { yamlInvalid } from './yamlInvalid';

/** Every rule, in the order SARIF's driver.rules lists them. Each has docs/rules/<code>.md and test/rules/<code>.test.ts. */
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
  chainOrder,
  keyMismatch,
  sanMissing,
  ekuMissing,
  notACa,
  rootNotStrict,
  identityMismatch,
  weakKey,
  keyPermissions,
  kubeconfigRef,
  kubeconfigCredential,
  apiserviceInsecure,
  csrSignerRules,
  ingressHostNotCovered,
  ingressHostWithoutTls,
  issuerCaInvalid,
  yamlInvalid,
  yamlDuplicateKey,
  opensslConfig,
  unexpandedVariable,
  internalError,
];

const BY_CODE = new Map(RULES.map((r) => [r.meta.code, r]));

/** The rule of a finding code, if it is one. */
export function ruleOf(code: string): Rule | undefined {
  return BY_CODE.get(code);
}
