import { type ApiObject, objectLabel } from '../kube/kinds';
import { displayText } from '../text/displayText';
import type { OutlineSymbol } from './kubeconfigSymbols';

/** Outline entries of API objects: each object by kind and name, its TLS values ("data.tls.crt") under it. */
export function objectSymbols(objects: ApiObject[]): OutlineSymbol[] {
  return objects.map((object) => {
    const children: OutlineSymbol[] = object.values.map((value) => ({
      name: displayText(value.field),
      detail: value.encrypted ? 'encrypted' : value.role,
      kind: 'key',
      range: value.range,
      selectionRange: value.range,
      children: [],
    }));
    const end = children.length > 0 ? children[children.length - 1].range.end : object.range.end;
    return {
      name: displayText(objectLabel(object)),
      detail: displayText(object.type ?? object.apiVersion),
      kind: 'object',
      range: { start: object.range.start, end },
      selectionRange: object.range,
      children,
    };
  });
}
