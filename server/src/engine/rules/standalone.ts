import type { RuleContext } from '../check/ruleContext';
import { getOrMake } from '../memo';
import type { CertificateInfo } from '../pki/certificate';
import type { DecodedBlock } from '../pki/decode';
import type { Range } from '../text/lineIndex';

/**
 * Blocks of PEM files that no flag or field names (a stray expired cert, a
 * weak key embedded in a YAML task file). Findings land on the BEGIN line.
 */
export interface StandaloneBlock {
  file: string;
  block: DecodedBlock;
  /** The BEGIN line of the block (or the first line for a file-level error). */
  range: Range;
  label: string;
  /** The label with the file's path in the tree instead of its name: "etc/kubernetes/pki/stray.crt block 2". */
  pathLabel: string;
}

// Four rules ask for them, keyMismatch once per misplaced key: made once per check. The arrays are shared: do not change them.
const blocksOfCheck = new WeakMap<RuleContext, StandaloneBlock[]>();
const certificatesOfCheck = new WeakMap<RuleContext, Array<StandaloneBlock & { cert: CertificateInfo }>>();

export function standaloneBlocks(ctx: RuleContext): StandaloneBlock[] {
  return getOrMake(blocksOfCheck, ctx, () => blocksOf(ctx));
}

function blocksOf(ctx: RuleContext): StandaloneBlock[] {
  return ctx.standalone.flatMap((loaded) =>
    // A block inside an API object's value (stringData.tls.crt) is that value's: checked there, under its name.
    loaded.decoded.blocks
      .filter((block) => !block.range || !ctx.objects.valueAt(loaded.path, block.range.start))
      .map((block) => {
        const start = block.range?.start ?? { line: 0, character: 0 };
        const which = loaded.decoded.blocks.length > 1 ? ` block ${block.index + 1}` : '';
        return {
          file: loaded.path,
          block,
          range: { start, end: { line: start.line, character: start.character + 10 + block.label.length } },
          label: `${loaded.path.split('/').pop()}${which}`,
          pathLabel: `${ctx.shownPath(loaded.path)}${which}`,
        };
      }),
  );
}

export function standaloneCertificates(ctx: RuleContext): Array<StandaloneBlock & { cert: CertificateInfo }> {
  return getOrMake(certificatesOfCheck, ctx, () => certificatesOf(ctx));
}

function certificatesOf(ctx: RuleContext): Array<StandaloneBlock & { cert: CertificateInfo }> {
  return standaloneBlocks(ctx).flatMap((b) => (b.block.object?.kind === 'certificate' ? [{ ...b, cert: b.block.object }] : []));
}
