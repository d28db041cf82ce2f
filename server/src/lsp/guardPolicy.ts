import { resolve as resolvePath } from 'node:path';
import { PathGuard } from '../engine/io/pathGuard';
import { clusterFolders } from '../engine/kube/nodePaths';
import type { Settings } from './settings';

/**
 * The editor's guard of this moment, for every path a request, command or fix uses: reads
 * inside the workspace folders (trusted or not), the cluster folders of each folder's
 * nodeRoot setting and the documents the user opened; writes only inside the workspace
 * folders, and only when trusted.
 */
export function editorGuard(folders: string[], settingsOf: (folder: string) => Settings, openFiles: string[], trusted: boolean): PathGuard {
  const nodeRoots = folders.flatMap((folder) => {
    const nodeRoot = settingsOf(folder).nodeRoot;
    return nodeRoot ? [resolvePath(folder, nodeRoot)] : [];
  });
  return new PathGuard({
    readRoots: [...folders, ...nodeRoots.flatMap(clusterFolders)],
    readFiles: openFiles,
    writeRoots: trusted ? folders : [],
  });
}
