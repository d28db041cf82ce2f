import { PathGuard } from '../../server/src/engine/io/pathGuard';
import { createKubePkiService } from '../../server/src/engine/service';

/**
 * The engine as the faces meet it: the facade, with the CLI's guard (reads what a
 * test names; writes nowhere). Scenario tests check trees and decode documents
 * through it, as the server and the CLI do.
 */
export const service = createKubePkiService({ guard: () => PathGuard.forCli() });
