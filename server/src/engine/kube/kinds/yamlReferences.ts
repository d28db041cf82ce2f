import type { Node } from 'yaml';
import { Component, FlagSpec, flagSpec } from '../flagTable';
import type { Reference } from '../reference';
import { mapGetPath, rangeOfNode, scalarString, YamlFile } from '../yamlFile';

/** The references of a document's dotted fields (`authentication.x509.clientCAFile`) that the flag table knows for the component. */
export function fieldReferences(file: YamlFile, root: unknown, path: string, component: Component, fields: string[]): Reference[] {
  return fields.flatMap((field) => {
    const node = mapGetPath(root, field.split('.'));
    const spec = flagSpec(component, field);
    return spec ? valueReference(file, node, path, spec) : [];
  });
}

/** A scalar's value as a reference, with the range of the value; none for an empty or non-scalar value. */
export function valueReference(file: YamlFile, node: Node | undefined, path: string, spec: FlagSpec, extra: Partial<Reference> = {}): Reference[] {
  const value = scalarString(node);
  const range = rangeOfNode(file, node);
  if (value === undefined || value === '' || !range) return [];
  return [{ file: path, component: spec.component, name: spec.name, role: spec.role, spec, value, range, ...extra }];
}
