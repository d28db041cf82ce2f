import { CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { CheckReport } from '../engine/run/runCheck';
import type { WorkspaceChecker } from './workspaceChecker';

export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

/**
 * The checker's report for a file, for hover, links, lens, completion and the PKI tree,
 * which wait for a check in progress (seconds on a large tree). When the client cancels
 * meanwhile, the request ends at once with RequestCancelled; the check itself goes on
 * for the requests that still want it.
 */
export async function reportFor(checker: WorkspaceChecker, path: string | undefined, token: CancellationToken): Promise<CheckReport | undefined> {
  if (token.isCancellationRequested) throw cancelled();
  if (!path) return undefined;
  const report = await new Promise<CheckReport | undefined>((resolve, reject) => {
    const subscription = token.onCancellationRequested(() => reject(cancelled()));
    checker
      .latest(path)
      .then(resolve, reject)
      .finally(() => subscription.dispose());
  });
  if (token.isCancellationRequested) throw cancelled();
  return report;
}
