import type { FixSpec } from '../engine/check/fixSpec';
import type { Access } from '../engine/io/pathGuard';
import { ApplyFixCommand, CreateCsrCommand, GenerateCertCommand, GeneratePkiCommand, SignCsrCommand, WorkspaceDefaultsCommand } from '../protocol';

/** A path a command reads or writes, named as the user is told. */
export interface PathUse {
  path: unknown;
  access: Access;
  what: string;
}

/**
 * What a command's argument must be: the paths it uses (each judged by the guard before
 * anything runs; a missing required path is '' so it is refused as "must be a path") and
 * the shape of its other fields. Unknown fields are ignored, as before.
 */
export interface CommandSchema {
  paths(args: Record<string, unknown>): PathUse[];
  problems(args: Record<string, unknown>): string[];
}

type Field = 'string' | 'number' | 'object' | 'strings' | 'pairs';

const IS: Record<Field, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  strings: (v) => Array.isArray(v) && v.every((s) => typeof s === 'string'),
  pairs: (v) => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string'),
};

const DESCRIBED: Record<Field, string> = {
  string: 'a string',
  number: 'a number',
  object: 'an object',
  strings: 'a list of strings',
  pairs: 'a list of [attribute, value] pairs',
};

/** Problems of the non-path fields: required ones must be there, every one present must have its type. */
function fields(spec: Record<string, [Field, 'required' | 'optional']>): (args: Record<string, unknown>) => string[] {
  return (args) =>
    Object.entries(spec).flatMap(([name, [type, presence]]) => {
      const value = args[name];
      if (value === undefined) return presence === 'required' ? [`${name} is required`] : [];
      return IS[type](value) ? [] : [`${name} must be ${DESCRIBED[type]}`];
    });
}

/** Every file a fix reads (signer, kept key, kubeconfig) or writes, with how. */
export function fixPaths(fix: FixSpec): PathUse[] {
  const signer = (files: { certPath: unknown; keyPath: unknown } | undefined, access: Access): PathUse[] =>
    files
      ? [
          { path: files.certPath, access, what: 'the CA certificate' },
          { path: files.keyPath, access, what: 'the CA key' },
        ]
      : [];
  if (fix.kind === 'edit-text') return [{ path: fix.path, access: 'write', what: 'the edited file' }];
  if (fix.kind === 'reissue-secret-cert') {
    return [
      { path: fix.cert?.path, access: 'write', what: 'the Secret' },
      ...(fix.key ? [{ path: fix.key.path, access: 'read' as const, what: 'the key' }] : []),
      { path: fix.signer?.cert?.path, access: 'read', what: 'the CA certificate' },
      { path: fix.signer?.key?.path, access: 'read', what: 'the CA key' },
    ];
  }
  if (fix.kind === 'issue-certificate') {
    return [
      { path: fix.certPath, access: 'write', what: 'the certificate' },
      { path: fix.keyPath, access: fix.key === 'keep' ? 'read' : 'write', what: 'the key' },
      ...signer(fix.signer, 'read'),
      ...signer(fix.createSigner?.files, 'write'),
    ];
  }
  return [{ path: fix.kubeconfigPath, access: 'write', what: 'the kubeconfig' }, ...signer(fix.signer, 'read')];
}

/** One schema per command the server announces. */
export const COMMAND_SCHEMAS: Record<string, CommandSchema> = {
  [GeneratePkiCommand.command]: {
    paths: (a) => [{ path: a.outDir ?? '', access: 'write', what: 'the output folder' }],
    problems: fields({ params: ['object', 'optional'] }),
  },
  [GenerateCertCommand.command]: {
    paths: (a) => [{ path: a.pkiDir ?? '', access: 'write', what: 'the PKI folder' }],
    problems: fields({ profile: ['string', 'required'], params: ['object', 'optional'] }),
  },
  [CreateCsrCommand.command]: {
    paths: (a) => [{ path: a.prefix ?? '', access: 'write', what: 'the output prefix' }],
    problems: fields({ subject: ['pairs', 'required'], sans: ['strings', 'optional'], params: ['object', 'optional'] }),
  },
  [SignCsrCommand.command]: {
    paths: (a) => [
      { path: a.csrPath ?? '', access: 'read', what: 'the CSR' },
      { path: a.caCertPath ?? '', access: 'read', what: 'the CA certificate' },
      { path: a.caKeyPath, access: 'read', what: 'the CA key' },
      { path: a.outPath, access: 'write', what: 'the output' },
    ],
    problems: fields({ usages: ['strings', 'optional'], validityDays: ['number', 'optional'] }),
  },
  // Reads (lists and parses) a folder: one of the workspace's, never /usr or /.
  [WorkspaceDefaultsCommand.command]: {
    paths: (a) => [{ path: a.folder, access: 'read', what: 'the folder' }],
    problems: () => [],
  },
  [ApplyFixCommand.command]: {
    paths: (a) => fixPaths(a as unknown as FixSpec),
    problems: fields({ kind: ['string', 'required'], title: ['string', 'required'] }),
  },
};
