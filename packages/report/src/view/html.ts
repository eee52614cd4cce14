import { esc } from '../html_escape.js';

/**
 * HTML that is already safe to insert. Only `html`...`` and `rawHtml` make one, so any other value that
 * reaches a template (a run id, an error message, a config string) is escaped without anyone remembering to.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** A value a template accepts: text (escaped), numbers, markup, lists of those; null/undefined/false print nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return esc(value);
}

/** Tagged template: the literal parts are trusted markup, every interpolation is escaped unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Markup produced elsewhere and trusted as is (inlined library code, an SVG we rendered). Use sparingly. */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Items joined with a separator (itself trusted markup). */
export function joinHtml(items: readonly HtmlValue[], separator = ''): SafeHtml {
  return new SafeHtml(items.map(render).join(separator));
}
