import type { Range } from '../text/lineIndex';
import type { Component, FlagSpec, Role } from './flagTable';

/** One place in a config file that names a PKI file, inline PEM data, or a setting the rules need. */
export interface Reference {
  /** Absolute path of the file that holds the reference. */
  file: string;
  component: Component;
  /** The flag ("--tls-cert-file"), env var ("ETCD_CERT_FILE") or field ("client-certificate"). */
  name: string;
  role: Role;
  spec: FlagSpec;
  /** The value as written (a path, base64 data, a URL...). */
  value: string;
  /** Where the value is: diagnostics land here. */
  range: Range;
  /** The value is base64 data (kubeconfig *-data), not a path. */
  inline?: boolean;
  /** For kubeconfig fields: the cluster or user entry it belongs to. */
  owner?: string;
  /** A flag a distribution passes to a component it runs in-process (k3s): no file holds it; `file` is the file it names. */
  builtInBy?: string;
  /** For static pod flags: the container, whose volumeMounts map the path. */
  container?: ContainerMounts;
}

export interface VolumeMount {
  mountPath: string;
  /** The hostPath behind the mount, when the volume is a hostPath. */
  hostPath?: string;
  name: string;
}

export interface ContainerMounts {
  name: string;
  mounts: VolumeMount[];
}
