import { resolve as resolvePath } from 'node:path';
import { Connection, ErrorCodes, MessageType, ResponseError, ShowMessageNotification } from 'vscode-languageserver/node';
import type { FixSpec } from '../engine/check/fixSpec';
import type { Usage } from '../engine/gen/issue';
import { ClusterParams, DEFAULT_PARAMS } from '../engine/gen/profiles';
import { isUnder, OutsideError, PathGuard } from '../engine/io/pathGuard';
import type { KubePkiService } from '../engine/service';
import { displayText } from '../engine/text/displayText';
import {
  ApplyFixCommand,
  ApplyFixResult,
  CreateCsrCommand,
  GenerateCertCommand,
  GeneratePkiCommand,
  GenerationResult,
  WorkspaceDefaultsCommand,
} from '../protocol';
import { COMMAND_SCHEMAS, PathUse } from './commandSchemas';

/** The command ids the server announces (executeCommandProvider). */
export const SERVER_COMMANDS = Object.keys(COMMAND_SCHEMAS);

/** What the executor needs from the server: trust, the folders, the re-check after a write. */
export interface ExecutorHost {
  trusted(): boolean;
  folders(): string[];
  recheck(): Promise<void>;
}

/** Judges every path a command uses, before it does anything: all must pass, or the command is refused with each reason. */
function refusePaths(guard: PathGuard, uses: PathUse[]): string | undefined {
  const reasons: string[] = [];
  for (const use of uses) {
    if (use.path === undefined) continue;
    if (typeof use.path !== 'string' || use.path === '') {
      reasons.push(`${use.what} must be a path`);
      continue;
    }
    const verdict = guard.check(resolvePath(use.path), use.access);
    if (!verdict.ok) reasons.push(`${use.what} ${verdict.error.message}`);
  }
  return reasons.length ? reasons.join('; ') : undefined;
}

/**
 * The one executor of workspace/executeCommand: each command's argument is checked against
 * its schema and every path in it is judged by the confinement guard before anything runs;
 * writes happen only in a trusted workspace; the user is told what was written or why not.
 */
export class CommandExecutor {
  constructor(
    private readonly connection: Connection,
    private readonly service: KubePkiService,
    private readonly host: ExecutorHost,
  ) {}

  async execute(command: string, argument: unknown): Promise<unknown> {
    if (command === ApplyFixCommand.command) return this.applyFix(argument);
    if (command === WorkspaceDefaultsCommand.command) return this.workspaceDefaults(argument);
    if (command in COMMAND_SCHEMAS) return this.generate(command, (argument ?? {}) as Record<string, unknown>);
    return undefined;
  }

  /** A message the user reads but need not answer: a notification, so nothing waits on it. */
  private tell(type: MessageType, message: string): void {
    // Messages carry file names and certificate fields: untrusted text, shown escaped on one line.
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message: displayText(message) });
  }

  /** The schema's verdict: 'outside-workspace' with the guard's reasons, 'invalid-arguments' with the shape's, or nothing. */
  private judge(command: string, args: Record<string, unknown>, guard: PathGuard): { error: string; message: string } | undefined {
    const schema = COMMAND_SCHEMAS[command];
    const refused = refusePaths(guard, schema.paths(args));
    if (refused) return { error: 'outside-workspace', message: refused };
    const problems = schema.problems(args);
    return problems.length ? { error: 'invalid-arguments', message: problems.join('; ') } : undefined;
  }

  private async workspaceDefaults(argument: unknown): Promise<ClusterParams> {
    const folder = (argument as { folder?: unknown } | undefined)?.folder ?? this.host.folders()[0];
    if (folder === undefined) return DEFAULT_PARAMS;
    const verdict = this.judge(WorkspaceDefaultsCommand.command, { folder }, this.service.guard());
    if (verdict) throw new ResponseError(ErrorCodes.InvalidParams, `Kubernetes PKI: ${verdict.message}`);
    const target = resolvePath(String(folder));
    // The target first, then the workspace folders around it: an empty target belongs to the cluster its workspace holds.
    const around = this.host.folders().filter((root) => root !== target && isUnder(resolvePath(root), target));
    return this.service.workspaceDefaults([target, ...around.map((root) => resolvePath(root))]);
  }

  /** Runs a generation command: only in a trusted workspace, only with paths the guard allows, then re-checks. */
  private async generate(command: string, args: Record<string, unknown>): Promise<GenerationResult> {
    if (!this.host.trusted()) {
      this.tell(MessageType.Error, 'Kubernetes PKI: this workspace is not trusted, so kube-pki writes nothing.');
      return { written: [], error: 'untrusted' };
    }
    const verdict = this.judge(command, args, this.service.guard());
    if (verdict) {
      this.tell(MessageType.Error, `Kubernetes PKI: ${verdict.message}. Nothing was written.`);
      return { written: [], error: verdict.error };
    }
    try {
      const { written, skipped } = await this.runGeneration(command, args);
      await this.host.recheck();
      this.tell(
        MessageType.Info,
        `Kubernetes PKI: wrote ${written.length} file${written.length === 1 ? '' : 's'}${skipped.length ? `; left ${skipped.length} existing file${skipped.length === 1 ? '' : 's'} alone` : ''}`,
      );
      return { written, skipped };
    } catch (e) {
      this.tell(MessageType.Error, `Kubernetes PKI: ${(e as Error).message}`);
      return { written: [], error: e instanceof OutsideError ? 'outside-workspace' : (e as Error).message };
    }
  }

  private async runGeneration(
    command: string,
    args: Record<string, unknown>,
  ): Promise<{ written: string[]; skipped: Array<{ path: string; reason: string }> }> {
    const params: ClusterParams = { ...DEFAULT_PARAMS, ...((args.params ?? {}) as Partial<ClusterParams>) };
    const path = (key: string) => resolvePath(String(args[key]));
    switch (command) {
      case GeneratePkiCommand.command: {
        const report = await this.service.generatePki(path('outDir'), params);
        return { written: report.written, skipped: report.skipped };
      }
      case GenerateCertCommand.command:
        return { written: await this.service.generateCert(path('pkiDir'), String(args.profile), params), skipped: [] };
      case CreateCsrCommand.command:
        return {
          written: await this.service.createCsr(path('prefix'), args.subject as Array<[string, string]>, (args.sans as string[]) ?? [], params.keyType),
          skipped: [],
        };
      default: {
        const signed = await this.service.signCsr(path('csrPath'), path('caCertPath'), {
          caKeyPath: args.caKeyPath === undefined ? undefined : path('caKeyPath'),
          outPath: args.outPath === undefined ? undefined : path('outPath'),
          usages: args.usages as Usage[] | undefined,
          validityDays: args.validityDays as number | undefined,
        });
        return { written: [signed.path], skipped: [] };
      }
    }
  }

  /** A quick fix: it arrives from the client, so every file it would read or write must pass the guard. */
  private async applyFix(argument: unknown): Promise<ApplyFixResult | undefined> {
    if (!argument || typeof argument !== 'object') return undefined;
    const fix = argument as FixSpec;
    if (!this.host.trusted()) {
      this.tell(MessageType.Error, 'Kubernetes PKI: this workspace is not trusted, so kube-pki writes nothing. Trust the workspace to apply fixes.');
      return { written: [], backups: [], cancelled: true, reason: 'untrusted' };
    }
    const verdict = this.judge(ApplyFixCommand.command, argument as Record<string, unknown>, this.service.guard());
    if (verdict) {
      this.tell(MessageType.Error, `Kubernetes PKI: ${verdict.message}. Nothing was written.`);
      return { written: [], backups: [], cancelled: true, reason: verdict.error };
    }
    if (fix.kind === 'issue-certificate' && fix.createSigner) {
      const answer = await this.connection.window.showWarningMessage(
        `${displayText(fix.title)}: its CA ${displayText(fix.createSigner.files.certPath.split('/').pop() ?? '')} is missing too. Create a new CA? Certificates signed by the old one will not verify under it.`,
        { title: 'Create CA' },
        { title: 'Cancel' },
      );
      if (answer?.title !== 'Create CA') return { written: [], backups: [], cancelled: true };
    }
    try {
      const plan = await this.service.planFix(fix);
      const outcome = await this.service.applyPlan(plan, async (replaced) => {
        const answer = await this.connection.window.showWarningMessage(
          `${displayText(fix.title)}: replace ${replaced.map((p) => displayText(p.split('/').pop() ?? '')).join(', ')}? The current file${replaced.length > 1 ? 's are' : ' is'} kept as .bak.`,
          { title: 'Replace' },
          { title: 'Cancel' },
        );
        return answer?.title === 'Replace';
      });
      if (!outcome.cancelled) {
        await this.host.recheck();
        this.tell(
          MessageType.Info,
          `Kubernetes PKI: wrote ${outcome.written.map((p) => p.split('/').pop()).join(', ')}${outcome.backups.length ? ` (backups: ${outcome.backups.map((p) => p.split('/').pop()).join(', ')})` : ''}`,
        );
      }
      return outcome;
    } catch (e) {
      this.tell(MessageType.Error, `Kubernetes PKI: the fix failed, nothing was replaced: ${(e as Error).message}`);
      return { written: [], backups: [], cancelled: true, reason: e instanceof OutsideError ? 'outside-workspace' : (e as Error).message };
    }
  }
}
