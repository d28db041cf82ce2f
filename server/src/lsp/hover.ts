import { type Hover, MarkupKind } from 'vscode-languageserver/node';
import type { EngineHover } from '../engine/features/types';
import { PREVIEW_CERTIFICATE_COMMAND } from '../protocol';

/**
 * The engine's hover as LSP's: the verdicts and essential fields, then the rest of the fields
 * behind a "Show all fields" link to the preview when the client runs that command from a hover
 * (VS Code's, which trusts only it: initializationOptions.commandLinks); other editors (Neovim,
 * Helix) have no preview, so they get the fields themselves, below the answer.
 */
export function toHover(hover: EngineHover | undefined, previewUri: string | undefined, commandLinks: boolean): Hover | null {
  if (!hover) return null;
  const parts = [hover.markdown];
  if (commandLinks && previewUri) parts.push(`[Show all fields](command:${PREVIEW_CERTIFICATE_COMMAND}?${encodeURIComponent(JSON.stringify([previewUri]))})`);
  else if (hover.moreFields) parts.push(hover.moreFields);
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: hover.range };
}
