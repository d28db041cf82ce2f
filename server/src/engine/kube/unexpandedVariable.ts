/**
 * Values written for a shell, systemd or the kubelet to expand on the node
 * (`--advertise-address=${INTERNAL_IP}`, `--cert-dir=$CERT_DIR`, `--hostname-override=%H`,
 * a pod's `$(POD_IP)`): kube-pki does not know what they expand to, so such a value
 * is neither a path nor an address it can check.
 */

/** The letters systemd expands after `%` (systemd.unit(5), "Specifiers"). */
const SYSTEMD_SPECIFIERS = new Set('aAbBCdEfgGhHiIjJlLmMnNopPqrRsStTuUvVwWyY');

const isNameStart = (c: string) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_';
const isNameChar = (c: string) => isNameStart(c) || (c >= '0' && c <= '9');
const isHex = (c: string | undefined) => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/** The end (exclusive) of the variable that starts at `value[i]`, or -1 when none starts there. */
function variableEnd(value: string, i: number): number {
  const next = value[i + 1];
  if (value[i] === '$') {
    const close = next === '{' ? '}' : next === '(' ? ')' : undefined;
    if (close) {
      const end = value.indexOf(close, i + 2);
      return end < 0 ? value.length : end + 1;
    }
    if (next !== undefined && isNameStart(next)) {
      let j = i + 2;
      while (j < value.length && isNameChar(value[j])) j++;
      return j;
    }
    return -1;
  }
  // %41 is a percent-encoded byte in a URL or path, not a specifier.
  if (value[i] === '%' && next !== undefined && SYSTEMD_SPECIFIERS.has(next) && !(isHex(next) && isHex(value[i + 2]))) return i + 2;
  return -1;
}

/** The first unexpanded variable in a value as written, in one left-to-right pass; undefined when there is none. */
export function unexpandedVariable(value: string): string | undefined {
  for (let i = 0; i < value.length - 1; i++) {
    // %% and $$ are escapes of the character itself.
    if ((value[i] === '%' || value[i] === '$') && value[i + 1] === value[i]) {
      i++;
      continue;
    }
    const end = variableEnd(value, i);
    if (end >= 0) return value.slice(i, end);
  }
  return undefined;
}
