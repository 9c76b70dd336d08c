// Builds the page's DOM. Every string, above all those that come from a dataset (labels, file names), goes in
// as a text node or through setAttribute: nothing here ever parses HTML, so a label like
// `<img src=x onerror=alert(1)>` is shown as those characters and never becomes an element.
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes, set with setAttribute (never event handlers: listeners are added with `on`). */
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props?.class) element.className = props.class;
  for (const [name, value] of Object.entries(props?.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    if (/^on/i.test(name)) throw new Error(`event handler attribute ${name}: use props.on`);
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, listener] of Object.entries(props?.on ?? {})) element.addEventListener(type, listener as EventListener);
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** A section with a heading (h2) that names it for screen readers. */
export function section(id: string, title: string, ...children: Child[]): HTMLElement {
  const headingId = `${id}-heading`;
  return h(
    'section',
    { class: 'card', attrs: { id, 'aria-labelledby': headingId } },
    h('h2', { attrs: { id: headingId } }, title),
    ...children,
  );
}

/** A <dl> of figures: [term, value] pairs. */
export function figures(pairs: [string, Child][], cls = 'figures'): HTMLDListElement {
  return h('dl', { class: cls }, ...pairs.flatMap(([term, value]) => [h('div', null, h('dt', null, term), h('dd', null, value))]));
}

/**
 * A localized message with elements in it: given '{0}', '{1}' as its arguments, l10n.t keeps the places of the
 * elements wherever the language puts them; this splits the text there and puts the elements in.
 */
export function fill(message: string, ...elements: Child[]): Child[] {
  return message.split(/\{(\d+)\}/).map((part, i) => (i % 2 ? elements[Number(part)] : part));
}

/** Sets a CSS property from script (CSSOM is allowed by the CSP; style attributes are not). */
export function css(element: HTMLElement, properties: Record<string, string>): HTMLElement {
  for (const [name, value] of Object.entries(properties)) element.style.setProperty(name, value);
  return element;
}
