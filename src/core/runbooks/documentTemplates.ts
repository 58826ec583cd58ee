// Renders the document models through Handlebars templates kept as files (resources/templates): a team copies
// that folder, edits what it wants and points LIFEBOAT_TEMPLATES_DIR (or the templatesDir option) at its
// copy; any file it did not copy falls back to the built-in one. Markdown templates render without HTML
// escaping (code blocks must stay exact), HTML templates with it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { LifeboatError } from '../lifeboatError';
import type { Fact } from './documentModel';
import { formatTime } from '../formatFacts';
import { unknownText } from '../fleet/fact';

export type TemplateFormat = 'md' | 'html';
export type TemplateName = 'runbook' | 'runbooks' | 'fleet-report';

/** The built-in templates, from the source tree (tsx, tests) or next to the bundle (electron-vite's out/,
 * the packaged app's resources, unpacked from the asar). */
export function builtInTemplatesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    resolve(here, '../../../resources/templates'),
    resolve(here, '../../resources/templates'),
    ...(resourcesPath ? [join(resourcesPath, 'app.asar.unpacked', 'resources', 'templates'), join(resourcesPath, 'templates')] : []),
  ].map((p) => p.replace(`${join('app.asar', 'resources')}`, join('app.asar.unpacked', 'resources')));
  const found = candidates.find((p) => existsSync(join(p, 'runbook.md.hbs')));
  if (!found) throw new LifeboatError('NOT_FOUND', 'The built-in document templates are missing.', `Looked in: ${candidates.join(', ')}. Reinstall Lifeboat, or set LIFEBOAT_TEMPLATES_DIR to a copy of resources/templates.`);
  return found;
}

function readTemplate(dirs: string[], relative: string): string {
  for (const dir of dirs) {
    const path = join(dir, relative);
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  throw new LifeboatError('NOT_FOUND', `Template ${relative} not found.`, `Looked in: ${dirs.join(', ')}.`);
}

function partialNames(dirs: string[], format: TemplateFormat): string[] {
  const names = new Set<string>();
  for (const dir of dirs) {
    const folder = join(dir, 'partials', format);
    if (existsSync(folder)) for (const f of readdirSync(folder)) if (f.endsWith('.hbs')) names.add(f.slice(0, -4));
  }
  return [...names];
}

/** A fenced code block whose fence is longer than any backtick run inside the code. */
export function fence(code: string, language = ''): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${language}\n${code}\n${f}`;
}

/** Text for a Markdown table cell: no line breaks, pipes escaped. */
export function markdownCell(text: unknown): string {
  return String(text ?? '').replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function environment(format: TemplateFormat): typeof Handlebars {
  const hb = Handlebars.create();
  const esc = (s: string) => (format === 'html' ? hb.escapeExpression(s) : s);
  hb.registerHelper('time', (iso: string) => formatTime(iso));
  hb.registerHelper('inc', (n: number) => n + 1);
  hb.registerHelper('or', (a: unknown, b: unknown) => (a === undefined || a === null || a === '' ? b : a));
  hb.registerHelper('join', (list: unknown, sep: string) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('cell', (text: unknown) => markdownCell(text));
  hb.registerHelper('anchor', (text: string) => String(text).toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-'));
  hb.registerHelper('fence', (code: string, language: unknown) => fence(code, typeof language === 'string' ? language : ''));
  // {{#withFact fact}}known value{{else}}known but empty{{/withFact}}; an unknown fact prints "unknown: why"
  // and the last value learned, when there is one.
  hb.registerHelper('withFact', function (this: unknown, f: Fact<unknown> | undefined, options: Handlebars.HelperOptions) {
    if (!f) return options.inverse(this);
    if (!f.known) {
      const text = unknownText(f, formatTime);
      return format === 'html' ? new hb.SafeString(`<span class="unknown">${esc(text)}</span>`) : text;
    }
    return f.value === null || f.value === undefined ? options.inverse(this) : options.fn(f.value);
  });
  return hb;
}

export interface DocumentTemplates {
  render(name: TemplateName, format: TemplateFormat, model: unknown): string;
  dirs: string[];
}

/** Compiles on every call: documents are rare, and a team editing its templates sees changes at once. */
export function documentTemplates(templatesDir?: string): DocumentTemplates {
  const builtIn = builtInTemplatesDir();
  const dirs = templatesDir && resolve(templatesDir) !== builtIn ? [resolve(templatesDir), builtIn] : [builtIn];
  return {
    dirs,
    render(name, format, model) {
      const hb = environment(format);
      for (const partial of partialNames(dirs, format)) hb.registerPartial(partial, readTemplate(dirs, join('partials', format, `${partial}.hbs`)));
      const template = hb.compile(readTemplate(dirs, `${name}.${format}.hbs`), { noEscape: format === 'md', strict: false });
      const text = template(model, { allowProtoPropertiesByDefault: false });
      return format === 'md' ? tidyMarkdown(text) : text;
    },
  };
}

/** Collapses the blank lines template control blocks leave behind, outside code fences only: a command
 * inside a fence stays byte for byte as generated. */
export function tidyMarkdown(text: string): string {
  const out: string[] = [];
  let fenceMarker: string | undefined;
  for (const line of text.split('\n')) {
    const open = /^(`{3,})/.exec(line);
    if (fenceMarker) {
      if (line.startsWith(fenceMarker) && line.trim() === fenceMarker) fenceMarker = undefined;
    } else if (open) fenceMarker = open[1];
    else if (line.trim() === '' && out.length && out[out.length - 1]!.trim() === '') continue;
    out.push(line);
  }
  return out.join('\n').trim() + '\n';
}
