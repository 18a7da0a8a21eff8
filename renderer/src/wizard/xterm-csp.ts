// xterm.js's DOM renderer sizes and colours its cells with <style> elements it creates at run time. Our
// Content-Security-Policy (style-src 'self', no 'unsafe-inline') blocks every one of them, and reports a
// violation each time xterm rewrites one (on every resize and theme change): the terminal would lose its
// colours and cell sizes. Constructable stylesheets are not inline styles, so while a terminal lives:
//  - the document's createElement hands out an inert <template data-pw-style> where a <style> is asked for
//    (xterm only sets its textContent, appends it and removes it; a template is never rendered nor applied),
//  - and the text of each such element under the terminal is mirrored into an adopted stylesheet, also when
//    xterm rewrites it later.
// Where constructable stylesheets are missing (old engines, jsdom) nothing is changed.

const MARK = 'data-pw-style';
let shimUsers = 0;

/** True when this engine can apply rules without inline styles. */
function supported(doc: Document): boolean {
  return typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype && 'adoptedStyleSheets' in doc;
}

/** Makes createElement('style') give inert templates until the returned function is called (counted). */
function shimCreateElement(doc: Document): () => void {
  if (shimUsers++ === 0) {
    const original = Document.prototype.createElement as (this: Document, tag: string, options?: ElementCreationOptions) => HTMLElement;
    const shim = function (this: Document, tag: string, options?: ElementCreationOptions): HTMLElement {
      if (String(tag).toLowerCase() === 'style') {
        const t = original.call(this, 'template');
        t.setAttribute(MARK, '');
        return t;
      }
      return original.call(this, tag, options);
    };
    Object.defineProperty(doc, 'createElement', { value: shim, configurable: true, writable: true });
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--shimUsers === 0) delete (doc as unknown as { createElement?: unknown }).createElement;
  };
}

/** Call before xterm opens in `root`: its style rules go to adopted stylesheets; returns the undo function. */
export function adoptTerminalStyles(root: HTMLElement): () => void {
  const doc = root.ownerDocument;
  if (!supported(doc)) return () => {};
  const unshim = shimCreateElement(doc);
  const sheets = new Map<Element, { sheet: CSSStyleSheet; text: string }>();

  const sync = (): void => {
    for (const el of root.querySelectorAll(`template[${MARK}]`)) {
      let m = sheets.get(el);
      if (!m) {
        m = { sheet: new CSSStyleSheet(), text: '' };
        sheets.set(el, m);
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, m.sheet];
      }
      const text = el.textContent ?? '';
      if (text === m.text) continue;
      m.text = text;
      try {
        m.sheet.replaceSync(text);
      } catch {
        // a rule this engine does not parse: keep the previous rules
      }
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { childList: true, characterData: true, subtree: true });
  return () => {
    observer.disconnect();
    unshim();
    const ours = new Set([...sheets.values()].map((m) => m.sheet));
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => !ours.has(s));
    sheets.clear();
  };
}
