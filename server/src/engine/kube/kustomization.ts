import { Document, isMap, isScalar, isSeq, Node, parseAllDocuments, Scalar, YAMLSeq } from 'yaml';
import { mapGet } from './yamlFile';

/** The file names kustomize looks for in a folder, in its order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** What a kustomization file deploys: the entries of `resources`, `bases` and `components` as written, its `namespace:`. */
export interface KustomizationFile {
  namespace?: string;
  /** Entries in file order: local files or folders (relative to the kustomization's folder), or remote references. */
  entries: string[];
}

/**
 * A folder a GitOps controller deploys: a Flux `Kustomization` (spec.path, from the
 * repository's root) or an Argo CD `Application` (spec.source.path / spec.sources[].path).
 */
export interface DeployPointer {
  /** The folder, relative to the repository's root as written (`./apps/prod`). */
  path: string;
  namespace?: string;
  /** Flux's targetNamespace replaces every object's namespace; Argo's destination fills only the missing ones. */
  override: boolean;
  /** Flux reads every YAML file below the folder; Argo only the folder's own, unless directory.recurse. */
  recursive: boolean;
}

function text(node: Node | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = (node as Scalar).value;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function strings(node: Node | undefined): string[] {
  if (!isSeq(node)) return [];
  return (node as YAMLSeq).items.flatMap((item) => {
    const value = text(item as Node);
    return value === undefined ? [] : [value];
  });
}

function parsed(source: string): Document.Parsed[] {
  const docs = parseAllDocuments(source, { uniqueKeys: false, prettyErrors: false });
  return Array.isArray(docs) ? docs : [];
}

/** A kustomization file's resources and namespace; undefined when it is not a kustomization (a template, a syntax error, another object). */
export function readKustomization(source: string): KustomizationFile | undefined {
  const doc = parsed(source)[0];
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const root = doc.contents;
  const kind = text(mapGet(root, 'kind'));
  // A kustomization may omit its kind (or be a Component); a Flux Kustomization is another object.
  if (kind !== undefined && kind !== 'Kustomization' && kind !== 'Component') return undefined;
  if ((text(mapGet(root, 'apiVersion')) ?? '').startsWith('kustomize.toolkit.fluxcd.io/')) return undefined;
  const entries = ['resources', 'bases', 'components'].flatMap((key) => strings(mapGet(root, key)));
  return { namespace: text(mapGet(root, 'namespace')), entries };
}

function fluxPointer(root: Node): DeployPointer[] {
  const spec = mapGet(root, 'spec');
  const path = text(mapGet(spec, 'path'));
  if (path === undefined) return [];
  return [{ path, namespace: text(mapGet(spec, 'targetNamespace')), override: true, recursive: true }];
}

function argoPointers(root: Node): DeployPointer[] {
  const spec = mapGet(root, 'spec');
  const namespace = text(mapGet(mapGet(spec, 'destination'), 'namespace'));
  const sources = [mapGet(spec, 'source'), ...(isSeq(mapGet(spec, 'sources')) ? ((mapGet(spec, 'sources') as YAMLSeq).items as Node[]) : [])];
  return sources.flatMap((source) => {
    const path = text(mapGet(source, 'path'));
    // A source with a repoURL of its own may name another repository; only the path is known here, so it is taken as ours.
    if (path === undefined) return [];
    const recurse = mapGet(mapGet(source, 'directory'), 'recurse');
    return [{ path, namespace, override: false, recursive: isScalar(recurse) && (recurse as Scalar).value === true }];
  });
}

/** Whether a YAML text may hold a Flux Kustomization or an Argo CD Application: a file without either word points nowhere. */
export function mayPoint(source: string): boolean {
  return source.includes('Kustomization') || source.includes('Application');
}

/** The folders the Flux Kustomizations and Argo CD Applications of a YAML file deploy. */
export function readDeployPointers(source: string): DeployPointer[] {
  // Cheap filter first: most files name neither kind, and are not parsed again here.
  if (!mayPoint(source)) return [];
  return parsed(source).flatMap((doc) => {
    const root = doc.contents;
    if (!isMap(root)) return [];
    const kind = text(mapGet(root, 'kind'));
    const apiVersion = text(mapGet(root, 'apiVersion')) ?? '';
    if (kind === 'Kustomization' && apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) return fluxPointer(root);
    if (kind === 'Application' && apiVersion.startsWith('argoproj.io/')) return argoPointers(root);
    return [];
  });
}
