import type { Finding } from '../check/ruleContext';
import type { Reference } from '../kube/reference';
import type { Severity } from '../severity';

const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

/** The more serious of two severities (undefined: no finding). */
export function worse(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (!a) return b;
  if (!b) return a;
  return RANK[b] > RANK[a] ? b : a;
}

const placeOf = (file: string, line: number) => `${line}\u0000${file}`;
const pairKey = (ref: Reference, name: string) => `${ref.component}\u0000${ref.owner ?? ''}\u0000${name}\u0000${ref.file}`;

/**
 * Which findings concern a certificate: those on any reference that names it, on the reference naming
 * its key (key-mismatch is reported on --kubelet-client-key, not on the certificate's flag), and on its
 * own file. A finding reported on one reference is not the only place its certificate is shown.
 */
export class CertificateFindings {
  private readonly byPlace = new Map<string, Finding[]>();
  private readonly byFile = new Map<string, Finding[]>();
  private readonly refsByPair = new Map<string, Reference[]>();

  constructor(findings: readonly Finding[], references: readonly Reference[]) {
    for (const finding of findings) {
      push(this.byPlace, placeOf(finding.file, finding.range.start.line), finding);
      push(this.byFile, finding.file, finding);
    }
    for (const ref of references) push(this.refsByPair, pairKey(ref, ref.spec.name), ref);
  }

  /** The findings on `ref` and on the reference holding the other half of its pair. */
  onReference(ref: Reference): Finding[] {
    const paired = ref.spec.pairedWith ? (this.refsByPair.get(pairKey(ref, ref.spec.pairedWith)) ?? []) : [];
    return [ref, ...paired].flatMap((r) => this.byPlace.get(placeOf(r.file, r.range.start.line)) ?? []);
  }

  /** Findings reported in a certificate file itself (not for a kubeconfig: its other users' findings are not this one's). */
  onFile(path: string): Finding[] {
    return this.byFile.get(path) ?? [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
