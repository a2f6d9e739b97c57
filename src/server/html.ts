// HTML for the pages the server renders itself (the public services directory): a tagged template that
// escapes every value put into it, so nothing from the database or the address bar can become markup.
// Only fragments made by `html` itself pass through unescaped. No template library: pages are functions.

/** Markup made by `html`: safe to put into other markup as it is. */
export class Html {
  readonly #markup: string;
  constructor(markup: string) {
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

/** What may go into a template: text (escaped), numbers, markup, lists of them; nothing for null, undefined or false. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML: safe in element content and in quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** html`<p>${text}</p>`: every value escaped unless it is itself markup made by html. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Joins fragments with a separator (text, escaped). */
export const joinHtml = (parts: readonly HtmlValue[], separator: string): Html =>
  new Html(
    parts
      .map(render)
      .filter((p) => p !== '')
      .join(escapeHtml(separator)),
  );

/**
 * A link target from data (a service's website, an email): only web, mail and phone addresses, so a
 * `javascript:` address can never become a link. Undefined when it is none of those.
 */
export function safeHref(address: string | null | undefined): string | undefined {
  if (!address) return undefined;
  try {
    const url = new URL(address);
    return ['https:', 'http:', 'mailto:', 'tel:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
