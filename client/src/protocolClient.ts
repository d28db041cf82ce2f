// kube-pki's own messages, typed by the one protocol module the server also implements.
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import type { CommandDescriptor, NotificationDescriptor, RequestDescriptor } from '../../server/src/protocol';

export function sendRequest<P, R>(client: LanguageClient, request: RequestDescriptor<P, R>, params: P): Promise<R> {
  return client.sendRequest(request.method, params) as Promise<R>;
}

export function sendNotification<P>(client: LanguageClient, notification: NotificationDescriptor<P>, params: P): Promise<void> {
  return client.sendNotification(notification.method, params);
}

/** A server command (workspace/executeCommand) with its one argument. */
export function executeCommand<A, R>(client: LanguageClient, command: CommandDescriptor<A, R>, argument: A): Promise<R> {
  return client.sendRequest(ExecuteCommandRequest.type, { command: command.command, arguments: [argument] }) as Promise<R>;
}
