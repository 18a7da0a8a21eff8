// js-yaml comes with electron-builder (which reads build/electron-builder.yml with it); the tests read the
// Kubernetes manifests with the same parser. Only what they call is declared.
declare module 'js-yaml' {
  /** Parses one YAML document. */
  export function load(text: string): unknown;
  /** Parses every document of a multi-document stream. */
  export function loadAll(text: string): unknown[];
}
