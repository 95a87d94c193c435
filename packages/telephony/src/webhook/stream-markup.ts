/** Escapes text for an XML attribute value. */
function xmlAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * `<Response><Connect><Stream …>` markup, the same for TwiML and TeXML: the stream's URL and
 * attributes, and one `<Parameter>` per entry of `parameters`, every value escaped.
 */
export function connectStreamMarkup(
  attributes: Readonly<Record<string, string>>,
  parameters: Readonly<Record<string, string>>,
): string {
  const attrs = Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${xmlAttribute(value)}"`)
    .join('');
  const params = Object.entries(parameters)
    .map(([name, value]) => `<Parameter name="${xmlAttribute(name)}" value="${xmlAttribute(value)}"/>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Response><Connect><Stream${attrs}>${params}</Stream></Connect></Response>`
  );
}
