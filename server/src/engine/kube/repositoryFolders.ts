import { basename, dirname, relative } from 'node:path';

/** The listed files by folder, and each folder's subfolders: a repository's tree without touching the disk again. */
export interface FolderIndex {
  listed: ReadonlySet<string>;
  /** Folder -> the listed files directly in it. */
  files: ReadonlyMap<string, ReadonlySet<string>>;
  /** Folder -> its subfolders that hold listed files. */
  children: ReadonlyMap<string, readonly string[]>;
}

/** One pass over the listing; each folder is linked to its parent once, so the cost is the files plus the folders. */
export function folderIndex(root: string, files: readonly string[]): FolderIndex {
  const byFolder = new Map<string, Set<string>>();
  const children = new Map<string, string[]>();
  const known = new Set<string>([root]);
  for (const file of files) {
    const folder = dirname(file);
    const set = byFolder.get(folder) ?? new Set<string>();
    set.add(file);
    byFolder.set(folder, set);
    // Link the folder up to the root, stopping at the first folder already linked.
    for (let dir = folder; !known.has(dir); ) {
      known.add(dir);
      const parent = dirname(dir);
      if (parent === dir || relative(root, dir).startsWith('..')) break;
      const siblings = children.get(parent) ?? [];
      siblings.push(dir);
      children.set(parent, siblings);
      dir = parent;
    }
  }
  return { listed: new Set(files), files: byFolder, children };
}

/** A kustomize resource that is fetched, never read from the repository: a URL or a git reference. */
export function isRemote(entry: string): boolean {
  return entry.includes('://') || entry.startsWith('git@') || entry.startsWith('github.com/') || entry.includes('?ref=') || entry.includes('.git//');
}

/** A file Kubernetes objects are written in (a kustomization file named `Kustomization` included). */
export function isYamlName(path: string): boolean {
  const name = basename(path);
  return name.endsWith('.yaml') || name.endsWith('.yml') || name === 'Kustomization';
}
