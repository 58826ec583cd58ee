// Every `lifeboat …` command that Lifeboat names to its users (in an error's hint, a message, a runbook line or
// the UI) exists: each string and text in src/ is read with the TypeScript parser, each mention is run with
// --help through the built CLI, and a mention of a subcommand must be one that command lists.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli';

/** String texts that contain the word "lifeboat" but name no command: key-derivation labels. */
const NOT_COMMANDS = new Set(['lifeboat key fingerprint v1', 'lifeboat file key v1']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** The texts a user can see: string literals, template pieces and JSX text (comments are not among them). */
function texts(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else if (ts.isTemplateExpression(node)) found.push(node.head.text, ...node.templateSpans.map((s) => s.literal.text));
    else if (ts.isJsxText(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((t) => !NOT_COMMANDS.has(t));
}

describe('commands named to users', () => {
  it('exist, answer --help, and name subcommands their command lists', async () => {
    const mentions = new Map<string, Set<string>>();
    for (const file of sourceFiles('src')) {
      for (const text of texts(file)) {
        for (const m of text.matchAll(/(?<![\w.])lifeboat ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)) {
          const where = mentions.get(m[1]!) ?? new Set<string>();
          where.add(m[2] ?? '');
          mentions.set(m[1]!, where);
        }
      }
    }
    expect(mentions.size).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const [command, followers] of mentions) {
      const help = await runCli([command, '--help']);
      if (help.code !== 0) {
        problems.push(`lifeboat ${command}: ${help.code} ${help.stderr.trim()}`);
        continue;
      }
      // Subcommands are the literal words after the command in its usage lines; a command whose usage also
      // takes a value there (lifeboat replication <service>) accepts any word.
      const forms = [...help.stdout.matchAll(new RegExp(`^lifeboat ${command} (\\S+)`, 'gm'))].map((m) => m[1]!);
      const takesValue = forms.length === 0 || forms.some((f) => f.startsWith('<') || f.startsWith('-') || f.startsWith('('));
      if (takesValue) continue;
      for (const word of followers) if (word && !forms.includes(word)) problems.push(`lifeboat ${command} ${word}: not one of ${forms.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });
});
