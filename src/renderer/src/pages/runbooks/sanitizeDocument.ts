// Turns a generated HTML document into markup safe to show inside the app: the document is parsed inert
// (DOMParser runs no script and loads nothing), then everything that could run, load or navigate is removed.
// The app's CSP would block inline <style> in an iframe's srcdoc too, so the preview is styled by
// DocumentPreview.css instead of the document's own inline CSS (which the exported files keep).
const DROP = 'script, style, link, meta, iframe, frame, object, embed, base, form, img[src^="http"], image, foreignObject';

export function sanitizedBody(html: string): string {
  // <style> blocks go before parsing: a parsed-but-inert document still reports them to the page's CSP.
  const doc = new DOMParser().parseFromString(html.replace(/<style[\s\S]*?<\/style\s*>/gi, ''), 'text/html');
  doc.querySelectorAll(DROP).forEach((e) => e.remove());
  doc.querySelectorAll('*').forEach((e) => {
    for (const attr of [...e.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc') e.removeAttribute(attr.name);
      else if ((name === 'href' || name === 'src' || name === 'xlink:href') && !attr.value.startsWith('#')) e.removeAttribute(attr.name);
    }
  });
  const main = doc.querySelector('main') ?? doc.body;
  return main.innerHTML;
}
