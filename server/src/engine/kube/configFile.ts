import type { Range } from '../text/lineIndex';
import type { DuplicateKey } from './duplicateKeys';
import type { ConfigDocument } from './kinds';
import type { Reference } from './reference';

/** One config file of the tree, parsed: its documents and references. */
export interface ConfigFile {
  path: string;
  documents: ConfigDocument[];
  /** References outside YAML documents (kubeadm-flags.env). */
  envReferences: Reference[];
  yamlErrors: Array<{ message: string; range: Range }>;
  /** Keys repeated in one mapping of a recognised document (yaml-duplicate-key). */
  duplicateKeys?: DuplicateKey[];
  /** Its size, when it is over MAX_CONFIG_FILE_BYTES: recognised by its head, not read (file-too-large). */
  tooLarge?: number;
}
