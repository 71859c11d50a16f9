/** A small element builder: the console renders plain DOM, no framework. */
export type Child = Node | string | number | null | undefined | false | Child[];

export type Props = {
  [name: string]: string | number | boolean | null | undefined | EventListener | ((event: never) => void);
};

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
    } else if (name === "value" && "value" in element) {
      (element as HTMLInputElement).value = String(value);
    } else if (name === "checked" && element instanceof HTMLInputElement) {
      element.checked = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(parent, child);
    } else {
      parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Replaces everything inside <paramref name="parent"/>. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** The value of a named form field (input, select or textarea). */
export function field(form: HTMLFormElement, name: string): string {
  const element = form.elements.namedItem(name);
  return element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement
    ? element.value.trim()
    : "";
}

/**
 * Gives every body and footer cell its column's heading as data-label and the table the class "stack", so that at
 * phone widths each row shows as a card of labelled values instead of a table wider than the screen (style.css).
 */
export function stackable(table: HTMLTableElement): HTMLTableElement {
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent ?? "");
  for (const row of table.querySelectorAll("tbody tr, tfoot tr")) {
    [...(row as HTMLTableRowElement).cells].forEach((cell, i) => cell.setAttribute("data-label", headings[i] ?? ""));
  }
  table.classList.add("stack");
  return table;
}
