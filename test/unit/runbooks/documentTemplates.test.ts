// The template layer: Markdown keeps commands byte for byte, HTML escapes facts, an unknown fact reads
// "unknown: <reason>", and a team's template folder overrides the built-in files one by one.
import { mkdtemp, mkdir, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { builtInTemplatesDir, documentTemplates, fence, markdownCell, tidyMarkdown } from '../../../src/core/runbooks/documentTemplates';
import { sampleRunbook } from './sampleRunbook';

describe('Markdown helpers', () => {
  it('fences code with more backticks than the code holds, so any command survives', () => {
    expect(fence('echo `date`', 'sh')).toBe('```sh\necho `date`\n```');
    expect(fence('a ``` b')).toBe('````\na ``` b\n````');
    const code = 'x ```` y';
    const [token] = marked.lexer(fence(code, 'sh')) as Tokens.Code[];
    expect(token!.text).toBe(code);
  });

  it('keeps a table cell on one line with its pipes escaped', () => {
    expect(markdownCell('a|b\nc')).toBe('a\\|b c');
  });

  it('collapses blank lines outside code fences only', () => {
    expect(tidyMarkdown('a\n\n\n\nb\n```sh\nx\n\n\n\ny\n```\n\n\nc')).toBe('a\n\nb\n```sh\nx\n\n\n\ny\n```\n\nc\n');
  });
});

describe('rendering a runbook', () => {
  const templates = documentTemplates();

  it('finds the built-in templates in resources/templates', () => {
    expect(builtInTemplatesDir()).toMatch(/resources[/\\]templates$/);
  });

  it('writes the commands of a procedure exactly, one code block per step, under "Step N:" headings', () => {
    const md = templates.render('runbook', 'md', sampleRunbook());
    const tokens = marked.lexer(md);
    const code = tokens.filter((t): t is Tokens.Code => t.type === 'code');
    expect(code.map((c) => c.text)).toContain("cat >> '/var/lib/pg data/postgresql.auto.conf' <<'LIFEBOAT'\nrecovery_target_time = '<TARGET TIME>'\nLIFEBOAT");
    expect(tokens.filter((t) => t.type === 'heading').map((t) => (t as Tokens.Heading).text)).toEqual(expect.arrayContaining(['Step 1: Stop PostgreSQL', 'Step 2: Configure recovery', 'Before you start: Pick the target time']));
  });

  it('prints "unknown: <reason>" for a fact that could not be read, and "none" for an empty one', () => {
    const md = templates.render('runbook', 'md', sampleRunbook());
    expect(md).toContain('| Recoverable window | unknown: connect ECONNREFUSED 10.0.0.5:5432 |');
    expect(md).toContain('| Last drill | never drilled |');
    expect(md).toMatch(/Generated 2026-11-25 10:00:00Z by Lifeboat 0\.1\.0 from: fleet file \/etc\/lifeboat\/fleet\.yaml/);
  });

  it('escapes facts in HTML (a hostile service name stays text) but keeps the generated SVG', () => {
    const model = sampleRunbook();
    model.service.name = '<script>alert(1)</script>';
    model.title = `Runbook: ${model.service.name}`;
    const html = templates.render('runbook', 'html', model);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<span class="unknown">unknown: connect ECONNREFUSED 10.0.0.5:5432</span>');
    expect(html).toContain('<style>');
  });

  it('uses a team\'s copy of a template and falls back to the built-in files it did not copy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lifeboat-templates-'));
    await mkdir(join(dir, 'partials', 'md'), { recursive: true });
    await writeFile(join(dir, 'partials', 'md', 'provenance.hbs'), '> ACME runbook, generated {{time generatedAt}}\n');
    const md = documentTemplates(dir).render('runbook', 'md', sampleRunbook());
    expect(md).toContain('> ACME runbook, generated 2026-11-25 10:00:00Z');
    expect(md).toContain('## Procedures'); // the body is still the built-in one
    const own = documentTemplates(dir);
    expect(own.dirs[1]).toBe(builtInTemplatesDir());
    await writeFile(join(dir, 'runbook.md.hbs'), '# {{service.name}} only\n');
    expect(documentTemplates(dir).render('runbook', 'md', sampleRunbook())).toBe('# Orders only\n');
    expect(await readFile(join(builtInTemplatesDir(), 'runbook.md.hbs'), 'utf8')).toContain('runbook-body');
  });
});
