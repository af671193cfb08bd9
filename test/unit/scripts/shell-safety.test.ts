import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { shellQuote } from '../../../scripts/lib/shell-quote';

/**
 * No value reaches a shell unparsed: every command line the project's TypeScript
 * runs is an argv array (or a literal), and no shell script hands a program built
 * from an expansion to `eval`, `bash -c`, `su -c` or an interpreter's `-e`/`-c`;
 * nor gives a secret (a variable named *PASS, *PASSWORD, *SECRET, *TOKEN) to a program
 * as an argument, where every user of the machine reads it in the process list.
 * Reads the files and runs nothing. TypeScript is read through its parser (a
 * regex cannot tell a RegExp's `.exec()` from child_process's), shell scripts
 * through a small tokenizer that blanks comments, single-quoted text and
 * here-document bodies, so that only code is matched.
 */

const root = path.join(__dirname, '..', '..', '..');
/** Holds every banned shape as a fixture string: scanned by the scanner tests below, not by the tree scan. */
const SELF = path.relative(root, __filename).split(path.sep).join('/');
/**
 * Folders the scan skips: .git, and each line of .gitignore that names no pattern (node_modules, dist, .gen,
 * .tmp/, …): a name at any depth, or a path from the root when it holds a `/` (docs/api/).
 */
const IGNORED_DIRS: ((rel: string, name: string) => boolean)[] = [
  (_rel, name) => name === '.git',
  ...fs
    .readFileSync(path.join(root, '.gitignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !/[*?[\]!]/.test(l))
    .map((l) => l.replace(/\/$/, ''))
    .map((p) => (p.includes('/') ? (rel: string) => rel === p.replace(/^\//, '') : (_rel: string, name: string) => name === p)),
];

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly text: string;
}

const show = (f: Finding) => `${f.file}:${f.line}: ${f.rule}: ${f.text}`;

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

function finding(file: string, text: string, offset: number, rule: string): Finding {
  const line = lineAt(text, offset);
  return { file, line, rule, text: text.split('\n')[line - 1].trim().slice(0, 160) };
}

// ---------------------------------------------------------------- TypeScript / JavaScript

const CHILD_PROCESS = new Set(['child_process', 'node:child_process']);
/** Run their first argument through /bin/sh. */
const SHELL_RUNNERS = new Set(['exec', 'execSync']);
/** Take a program and an argv array. */
const ARGV_RUNNERS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync']);

/** The option that makes a program read its next argument as code, by program name; undefined: none. */
function codeFlag(program: string): RegExp | undefined {
  const name = program.split('/').pop()!;
  if (/^(?:ba|da|k|z|a)?sh$/.test(name)) return /^-[A-Za-z]*c[A-Za-z]*$/;
  if (/^(?:su|runuser)$/.test(name)) return /^(?:-c|--command)$/;
  if (/^node(?:js)?$/.test(name)) return /^(?:-e|--eval|-p|--print)$/;
  if (/^python[0-9.]*$/.test(name)) return /^-[A-Za-z]*c$/;
  if (/^(?:perl|ruby)$/.test(name)) return /^-[A-Za-z]*e$/;
  return undefined;
}

const isRequireOf = (node: ts.Node, modules: Set<string>): boolean =>
  ts.isCallExpression(node) &&
  ts.isIdentifier(node.expression) &&
  node.expression.text === 'require' &&
  node.arguments.length === 1 &&
  ts.isStringLiteral(node.arguments[0]) &&
  modules.has(node.arguments[0].text);

function scanTypeScript(file: string, text: string): Finding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const found: Finding[] = [];
  const at = (node: ts.Node, rule: string) => found.push(finding(file, text, node.getStart(sf), rule));

  // What this file calls child_process's functions and module by.
  const named = new Map<string, string>(); // local name -> exported name
  const namespaces = new Set<string>();
  // `const X = '...'`: an identifier as literal as the string it names, unless the file
  // also declares X otherwise (another scope's variable or parameter of that name).
  const literalConsts = new Map<string, string>();
  const otherNames = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && CHILD_PROCESS.has(node.moduleSpecifier.text)) {
      const clause = node.importClause;
      if (clause?.name) namespaces.add(clause.name.text);
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) namespaces.add(clause.namedBindings.name.text);
      if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const el of clause.namedBindings.elements) named.set(el.name.text, (el.propertyName ?? el.name).text);
      }
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression) &&
      CHILD_PROCESS.has(node.moduleReference.expression.text)
    ) {
      namespaces.add(node.name.text);
    } else if (ts.isVariableDeclaration(node) && node.initializer) {
      if (isRequireOf(node.initializer, CHILD_PROCESS)) {
        if (ts.isIdentifier(node.name)) namespaces.add(node.name.text);
        if (ts.isObjectBindingPattern(node.name)) {
          for (const el of node.name.elements) {
            if (ts.isIdentifier(el.name)) named.set(el.name.text, (el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName : el.name).text);
          }
        }
      } else if (
        ts.isIdentifier(node.name) &&
        node.parent.flags & ts.NodeFlags.Const &&
        (ts.isStringLiteral(node.initializer) || ts.isNoSubstitutionTemplateLiteral(node.initializer)) &&
        (literalConsts.get(node.name.text) ?? node.initializer.text) === node.initializer.text
      ) {
        literalConsts.set(node.name.text, node.initializer.text);
      } else if (ts.isIdentifier(node.name)) {
        otherNames.add(node.name.text);
      }
    } else if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name)) {
      otherNames.add(node.name.text);
    }
    ts.forEachChild(node, collect);
  };
  collect(sf);

  const literal = (node: ts.Node | undefined): string | undefined => {
    if (!node) return undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isIdentifier(node) && !otherNames.has(node.text)) return literalConsts.get(node.text);
    return undefined;
  };
  /** The name of the child_process function a call invokes, if it does. */
  const method = (callee: ts.Expression): string | undefined => {
    if (ts.isIdentifier(callee)) return named.get(callee.text);
    if (ts.isPropertyAccessExpression(callee)) {
      const object = callee.expression;
      if ((ts.isIdentifier(object) && namespaces.has(object.text)) || isRequireOf(object, CHILD_PROCESS)) return callee.name.text;
    }
    return undefined;
  };
  /** A program argument as a name: a literal, or node for process.execPath. */
  const program = (node: ts.Node | undefined): string | undefined => {
    if (node && ts.isPropertyAccessExpression(node) && node.getText(sf) === 'process.execPath') return 'node';
    return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const m = method(node.expression);
      if (m && SHELL_RUNNERS.has(m) && literal(node.arguments[0]) === undefined) {
        at(node, `${m}() of a command line that is not a literal: use execFile/spawn with an argv array`);
      }
      if (m && ARGV_RUNNERS.has(m)) {
        const argv = node.arguments[1];
        const words = [node.arguments[0], ...(argv && ts.isArrayLiteralExpression(argv) ? argv.elements : [])];
        let flag: RegExp | undefined;
        words.forEach((word, i) => {
          const name = program(word);
          const value = literal(word);
          if (flag && value !== undefined && flag.test(value) && i + 1 < words.length && literal(words[i + 1]) === undefined) {
            at(words[i + 1], `${m}() of code built from a value after ${value}: pass the value as a further argument or in the environment`);
          }
          if (name !== undefined && codeFlag(name)) flag = codeFlag(name);
        });
      }
    }
    if (
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      node.name.text === 'shell' &&
      !(ts.isPropertyAssignment(node) && node.initializer.kind === ts.SyntaxKind.FalseKeyword)
    ) {
      at(node, 'shell option: the command line goes through /bin/sh; pass an argv array without it');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

// ---------------------------------------------------------------- shell

/**
 * The script with comments, the insides of single quotes and here-document bodies
 * blanked (newlines kept, so offsets and lines stay put). Double-quoted text is kept:
 * it is where expansions hide. Also returns the here-documents found.
 */
function maskShell(text: string): { masked: string; heredocs: { offset: number; command: string; quoted: boolean; body: string }[] } {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const heredocs: { offset: number; command: string; quoted: boolean; body: string }[] = [];
  const pending: { delimiter: string; strip: boolean; offset: number; command: string; quoted: boolean }[] = [];
  // Contexts: code (depth counts open parentheses; `)` at depth 0 closes a `$(`), double quotes, `${…}`.
  type Context = { kind: 'code'; depth: number; root: boolean } | { kind: 'dq' } | { kind: 'brace'; inDq: boolean };
  const stack: Context[] = [{ kind: 'code', depth: 0, root: true }];
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '\n') {
      lineStart = i + 1;
      if (top.kind !== 'dq' && pending.length) {
        // Here-document bodies start on the next line and end at their delimiter's line.
        let j = i + 1;
        for (const doc of pending.splice(0)) {
          const from = j;
          for (;;) {
            const end = text.indexOf('\n', j);
            const line = text.slice(j, end === -1 ? text.length : end);
            const next = end === -1 ? text.length : end + 1;
            if ((doc.strip ? line.replace(/^\t+/, '') : line) === doc.delimiter || end === -1) {
              heredocs.push({ offset: doc.offset, command: doc.command, quoted: doc.quoted, body: text.slice(from, j) });
              blank(from, next - 1);
              j = next;
              break;
            }
            j = next;
          }
        }
        i = j - 1;
        lineStart = j;
      }
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (top.kind === 'dq') {
      if (c === '"') stack.pop();
      else if (c === '$' && text[i + 1] === '(') {
        stack.push({ kind: 'code', depth: 0, root: false });
        i++;
      } else if (c === '$' && text[i + 1] === '{') {
        stack.push({ kind: 'brace', inDq: true });
        i++;
      }
      continue;
    }
    if (c === '"') {
      stack.push({ kind: 'dq' });
      continue;
    }
    if (c === '$' && text[i + 1] === '(') {
      stack.push({ kind: 'code', depth: 0, root: false });
      i++;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      stack.push({ kind: 'brace', inDq: false });
      i++;
      continue;
    }
    if (top.kind === 'brace') {
      if (c === '}') stack.pop();
      else if (c === "'" && !top.inDq) i = skipSingle(i);
      continue;
    }
    // Code.
    if (c === "'") {
      i = skipSingle(i);
      continue;
    }
    if (c === '#' && (i === 0 || /[\s;&|()]/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      blank(i, end === -1 ? text.length : end);
      i = (end === -1 ? text.length : end) - 1;
      continue;
    }
    if (c === '(') top.depth++;
    else if (c === ')') {
      if (top.depth > 0) top.depth--;
      else if (!top.root) stack.pop();
    } else if (c === '<' && text[i + 1] === '<' && text[i + 2] === '<') {
      i += 2; // a here-string: a word, no body
    } else if (c === '<' && text[i + 1] === '<') {
      const m = /^<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(text.slice(i));
      if (m) {
        pending.push({ delimiter: m[3], strip: m[1] === '-', offset: i, command: text.slice(lineStart, i), quoted: m[2] !== '' });
        i += m[0].length - 1;
      }
    }
  }
  return { masked: out.join(''), heredocs };

  /** Blanks a single-quoted string opened at i ($'…' takes backslash escapes); returns the closing quote's index. */
  function skipSingle(i: number): number {
    const ansi = text[i - 1] === '$';
    let j = i + 1;
    while (j < text.length && text[j] !== "'") j += ansi && text[j] === '\\' ? 2 : 1;
    blank(i + 1, j);
    return j;
  }
}

/** Whether shell text expands anything: an unescaped $ (not at the end) or a backquote. */
const expands = (s: string) => /(^|[^\\])(\\\\)*(\$[A-Za-z_{(0-9@*#?!$-]|`)/.test(s);

/** A double-quoted word at the start of s, or undefined. */
function doubleQuoted(s: string): string | undefined {
  const m = /^"((?:[^"\\]|\\[\s\S])*)"/.exec(s);
  return m ? m[1] : undefined;
}

/** Command words that take a program as their next argument, and the option that marks it. */
const PROGRAM_TAKERS: { rule: string; re: RegExp }[] = [
  // su first: `su user -s /bin/sh -c "…"` is reported once, as su's.
  {
    rule: 'su -c with an expansion in its command: run the program as the user with setpriv and an argv instead',
    re: /(?:^|[^\w.-])(?:su|runuser)\s(?:[^\n;&|#]*?\s)?(?:-c|--command)\s+(?=["$`])/g,
  },
  {
    rule: 'sh -c with an expansion in its program: pass values as "$1"… after the program',
    re: /(?:^|[^\w.-])(?:ba|da|k|z|a)?sh\s+(?:--?[A-Za-z][\w-]*\s+)*?-[A-Za-z]*c[A-Za-z]*\s+(?=["$`])/g,
  },
  {
    rule: 'interpreter program with an expansion in it: pass values as arguments or in the environment',
    re: /(?:^|[^\w.-])(?:node|nodejs|python[0-9.]*|perl|ruby)\s+(?:--?[A-Za-z][\w-]*\s+)*?(?:-e|--eval|-p|--print|-c)\s+(?=["$`])/g,
  },
];
const INTERPRETERS = /(?:^|[\s;&|(])(?:(?:ba|da|k|z|a)?sh|node|nodejs|python[0-9.]*|perl|ruby)(?:\s+-\S*)*\s*$/;

/** A variable that holds a secret, by its name (any case): a password, a secret, a token. */
const SECRET_EXPANSION = /\$\{?((?:[A-Za-z_][A-Za-z0-9_]*?)?(?:pass|password|secret|token))\b/gi;
/** Commands the shell runs itself: their arguments are in no process's command line. */
const BUILTINS = new Set(['echo', 'printf', 'test', '[', '[[', 'local', 'export', 'declare', 'readonly', ':', 'read', 'return']);
/** Words that open a command without being one. */
const RESERVED = new Set(['if', 'then', 'elif', 'else', 'while', 'until', 'do', '!', 'time']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * The command that the expansion at `offset` of masked shell code is an argument of; undefined when it is in an
 * assignment before any command (`NAME=$X program` puts it in the program's environment, `NAME=$X` in the shell's)
 * or goes to a command's stdin (`<<< "$X"`).
 */
function commandOf(masked: string, offset: number): string | undefined {
  // Read from the top, since a double-quoted string may span lines. Each `$(` opens a command of its own, in or out of
  // double quotes, and its `)` returns to the enclosing one. A command starts after a separator, a line's end or a
  // `$(`; a word after a blank (a backslash-newline is one).
  type Frame = { start: number; word: number; dq: boolean };
  const frames: Frame[] = [{ start: 0, word: 0, dq: false }];
  for (let i = 0; i < offset; i++) {
    const f = frames[frames.length - 1];
    const c = masked[i];
    if (c === '\\') {
      i++;
      if (masked[i] === '\n' && !f.dq) f.word = i + 1;
    } else if (c === '$' && masked[i + 1] === '(' && masked[i + 2] !== '(') {
      i++;
      frames.push({ start: i + 1, word: i + 1, dq: false });
    } else if (c === '"') f.dq = !f.dq;
    else if (f.dq) continue;
    else if (c === ')' && frames.length > 1) frames.pop();
    else if (/[\n;&|(`]/.test(c) || (c === '{' && masked[i - 1] !== '$')) f.start = f.word = i + 1;
    else if (/\s/.test(c)) f.word = i + 1;
  }
  const { start, word } = frames[frames.length - 1];
  const words = masked
    .slice(start, word)
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '' && w !== '\\');
  const command = words.find((w) => !ASSIGNMENT.test(w) && !RESERVED.has(w));
  if (command === undefined) return ASSIGNMENT.test(masked.slice(word, offset)) ? undefined : masked.slice(word, offset) || '(the expansion itself)';
  return words[words.length - 1] === '<<<' ? undefined : command;
}

function scanShell(file: string, text: string): Finding[] {
  const { masked, heredocs } = maskShell(text);
  const found: Finding[] = [];
  for (const m of masked.matchAll(SECRET_EXPANSION)) {
    const command = commandOf(masked, m.index!);
    if (command !== undefined && !BUILTINS.has(command)) {
      found.push(
        finding(
          file,
          text,
          m.index!,
          `secret on a command line (${m[1]}, an argument of ${command}): every user of the machine can read the process list; pass it in the environment (NAME=$${m[1]} ${command} …) or on stdin`,
        ),
      );
    }
  }
  for (const m of masked.matchAll(/(?:^|[;&|({!`]|\$\(|\b(?:then|do|else|command|builtin|exec))[ \t]*eval(?=\s|$)/gm)) {
    found.push(
      finding(file, text, m.index! + m[0].lastIndexOf('eval'), 'eval: the shell parses the value again; run the command with its words quoted instead'),
    );
  }
  for (const { rule, re } of PROGRAM_TAKERS) {
    for (const m of masked.matchAll(re)) {
      const rest = masked.slice(m.index! + m[0].length);
      const quoted = doubleQuoted(rest);
      if (quoted === undefined ? /^[$`]/.test(rest) : expands(quoted)) {
        found.push(finding(file, text, m.index! + m[0].length - m[0].trimStart().length, rule));
      }
    }
  }
  for (const doc of heredocs) {
    if (!doc.quoted && INTERPRETERS.test(doc.command.trim()) && expands(doc.body)) {
      found.push(
        finding(file, text, doc.offset, 'here-document program with expansions: quote its delimiter and pass values as arguments or in the environment'),
      );
    }
  }
  // One finding a line (the first rule's).
  return found.filter((f, i) => found.findIndex((g) => g.line === f.line) === i);
}

// ---------------------------------------------------------------- Python

function scanPython(file: string, text: string): Finding[] {
  const code = text.replace(/#[^\n]*/g, (c) => ' '.repeat(c.length));
  const found: Finding[] = [];
  for (const m of code.matchAll(/\bshell\s*=\s*True\b/g)) found.push(finding(file, text, m.index!, 'shell=True: pass an argv list'));
  for (const m of code.matchAll(/\bos\.(?:system|popen)\s*\((?!\s*(['"])[^'"\n]*\1\s*\))/g)) {
    found.push(finding(file, text, m.index!, 'os.system/os.popen of a command that is not a literal: use subprocess with an argv list'));
  }
  return found;
}

// ---------------------------------------------------------------- the tree

type Kind = 'ts' | 'shell' | 'python';

function kindOf(file: string): Kind | undefined {
  if (/\.(?:[cm]?[jt]s|tsx)$/.test(file)) return 'ts';
  if (/\.(?:sh|bash)$/.test(file) || file === '.ci/run') return 'shell';
  if (file.endsWith('.py')) return 'python';
  if (!path.basename(file).includes('.')) {
    const head = fs.readFileSync(path.join(root, file), 'utf8').slice(0, 100);
    if (/^#!.*\b(?:ba|da|k|z)?sh\b/.test(head)) return 'shell';
  }
  return undefined;
}

/**
 * The project's files, as git sees them but without git (a unit test needs node alone): a walk that skips
 * .git and the folders .gitignore ignores.
 */
function projectFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) return IGNORED_DIRS.some((ignored) => ignored(rel, e.name)) ? [] : walk(rel);
      return e.isFile() ? [rel] : [];
    });
  return walk('');
}

/**
 * Findings that are the point of their code, each with its reason: the file, and a piece
 * of the flagged line (so that another line of the file is still checked).
 */
const ALLOWED: { file: string; line: string; why: string }[] = [
  {
    file: 'test/support/provisioner-shell.ts',
    line: "spawnSync('/bin/sh', ['-c', asTerraformEvaluates(local.command)]",
    why: "runs the synthesized provisioner commands through /bin/sh, as Terraform's local-exec does, to prove how a shell parses them",
  },
];
const allowed = (f: Finding) => ALLOWED.some((a) => a.file === f.file && f.text.includes(a.line));

const SCANNERS: Record<Kind, (file: string, text: string) => Finding[]> = { ts: scanTypeScript, shell: scanShell, python: scanPython };

describe('no value reaches a shell unparsed', () => {
  const files = projectFiles()
    .map((file) => ({ file, kind: kindOf(file) }))
    .filter((f): f is { file: string; kind: Kind } => f.kind !== undefined);

  test("the scan sees the project's scripts", () => {
    const names = files.map((f) => f.file);
    for (const expected of [
      'devcloud/lib/process.sh',
      'devcloud/up.sh',
      'scripts/toolchain.sh',
      '.ci/run',
      'scripts/pr-diff.ts',
      'bench/run.ts',
      'bin/magnum-teardown.ts',
      'main.ts',
      'test/support/postgres.ts',
      'devcloud/python/register.py',
    ]) {
      expect(names).toContain(expected);
    }
    expect(files.filter((f) => f.kind === 'shell').length).toBeGreaterThanOrEqual(15);
  });

  let findings: Finding[] = [];
  beforeAll(() => {
    findings = files.filter((f) => f.file !== SELF).flatMap(({ file, kind }) => SCANNERS[kind](file, fs.readFileSync(path.join(root, file), 'utf8')));
  });

  test('no file builds a shell command line, or a program for a shell or interpreter, from a value', () => {
    expect(findings.filter((f) => !allowed(f)).map(show)).toEqual([]);
  });

  test('each allowed exception is still there (else it goes from the list)', () => {
    expect(ALLOWED.filter((a) => !findings.some((f) => a.file === f.file && f.text.includes(a.line))).map((a) => a.file)).toEqual([]);
  });
});

// ---------------------------------------------------------------- the scanners themselves

/** Each banned shape, the line it is on, and a part of its rule's name. */
const BAD_TS: [string, string, number, string][] = [
  ['execSync of a template literal', "import { execSync } from 'child_process';\nexecSync(`tar -xf ${file}`);", 2, 'execSync()'],
  ['exec of a concatenation', "import { exec } from 'child_process';\nexec('rm -rf ' + dir, () => {});", 2, 'exec()'],
  ['execSync of a variable', "import { execSync } from 'child_process';\nconst cmd = `ls ${dir}`;\nexecSync(cmd);", 3, 'execSync()'],
  ['an aliased import', "import { execSync as run } from 'node:child_process';\nrun(`ls ${dir}`);", 2, 'execSync()'],
  ['a namespace import', "import * as cp from 'child_process';\ncp.execSync(`ls ${dir}`, { stdio: 'pipe' });", 2, 'execSync()'],
  ['require()d and destructured', "const { exec } = require('child_process');\nexec(`ls ${dir}`);", 2, 'exec()'],
  ['require() inline', "require('child_process').execSync('ls ' + dir);", 1, 'execSync()'],
  ['a multi-line call', "import { execSync } from 'child_process';\nexecSync(\n  `terraform -chdir=${dir} init`,\n  { stdio: 'pipe' },\n);", 2, 'execSync()'],
  ['shell: true', "import { spawnSync } from 'child_process';\nspawnSync('terraform', ['init'], {\n  cwd: dir,\n  shell: true,\n});", 4, 'shell option'],
  ['a shell as a string', "import { spawn } from 'child_process';\nspawn(cmd, { shell: '/bin/bash' });", 2, 'shell option'],
  ['options kept aside', "const options = { stdio: 'inherit', shell: true };", 1, 'shell option'],
  ["spawnSync('bash', ['-c', template])", "import { spawnSync } from 'child_process';\nspawnSync('bash', ['-c', `command -v ${tool}`]);", 2, 'after -c'],
  ["spawn('sh', ['-c', concatenation])", "import { spawn } from 'child_process';\nspawn('/bin/sh', ['-c', 'echo ' + name]);", 2, 'after -c'],
  ["execFileSync('bash', ['-ec', variable])", "import { execFileSync } from 'child_process';\nexecFileSync('bash', ['-ec', script]);", 2, 'after -ec'],
  [
    'a shell behind setpriv',
    "import { execFileSync } from 'child_process';\nexecFileSync('setpriv', ['--reuid=postgres', 'bash', '-c', `psql ${db}`]);",
    2,
    'after -c',
  ],
  ['su -c', "import { execFileSync } from 'child_process';\nexecFileSync('su', ['postgres', '-c', `initdb ${dir}`]);", 2, 'after -c'],
  [
    'node -e with a value in the program',
    "import { spawnSync } from 'child_process';\nspawnSync(process.execPath, ['-e', `require(${JSON.stringify(m)})`]);",
    2,
    'after -e',
  ],
  ['python3 -c with a value in the program', "import { spawnSync } from 'child_process';\nspawnSync('python3', ['-c', 'print(' + n + ')']);", 2, 'after -c'],
  ['a spread after -c', "import { spawnSync } from 'child_process';\nspawnSync('bash', ['-c', ...rest]);", 2, 'after -c'],
  [
    'a name that is literal in one scope only',
    "import { spawnSync } from 'child_process';\nconst script = 'true';\nfunction f(script: string) {\n  spawnSync('bash', ['-c', script]);\n}",
    4,
    'after -c',
  ],
];

const GOOD_TS: [string, string][] = [
  [
    'argv arrays',
    "import { execFileSync, spawnSync } from 'child_process';\nexecFileSync(terraform, ['init', `-chdir=${dir}`]);\nspawnSync('npm', ['run', 'cdktf', '--', ...args]);",
  ],
  ['exec of a literal', "import { execSync } from 'child_process';\nexecSync('git rev-parse HEAD');\nexecSync(`git status`);"],
  ['a literal program, values as arguments', "import { spawnSync } from 'child_process';\nspawnSync('bash', ['-c', 'command -v \"$1\"', 'bash', tool]);"],
  [
    'node -e of a const literal, values as arguments',
    "import { spawnSync } from 'child_process';\nconst SCRIPT = `for (const m of process.argv.slice(1)) require(m);`;\nspawnSync(process.execPath, ['-e', SCRIPT, '--', ...modules]);",
  ],
  [
    'a local literal program',
    "import { spawnSync } from 'child_process';\ntest('x', () => {\n  const program = `require(process.argv[2])`;\n  spawnSync(process.execPath, ['-e', program, lib]);\n});",
  ],
  ['a script file run by bash', "import { spawnSync } from 'child_process';\nspawnSync('bash', [path.join(root, 'scripts', 'toolchain.sh'), dir]);"],
  ['RegExp.exec is no child_process', "const m = re.exec(`${req.method} ${req.path}`);\nconst n = /x/.exec('a' + b);"],
  ['an exec of its own', 'function exec(s: string) { return s; }\nexec(`${a}`);'],
  ['shell: false', "import { spawn } from 'child_process';\nspawn('ls', ['-l'], { shell: false });"],
  ['a Terraform provisioner command is not a child_process call', "const p = { type: 'local-exec', command: `${command} --dry-run` };"],
  ['the words in comments and strings', "// execSync(`rm ${x}`) and { shell: true }\nconst s = \"spawnSync('bash', ['-c', `x ${y}`])\";"],
];

const BAD_SHELL: [string, string, number, string][] = [
  ['eval', 'set -e\neval "$cmd"', 2, 'eval'],
  ['eval after &&', 'x=1 && eval "echo $x"', 1, 'eval'],
  ['eval in a function body', 'f() {\n  local v\n  eval "v=\\$$1"\n}', 3, 'eval'],
  ['bash -c with a double-quoted expansion', 'timeout 2 bash -c ": < /dev/tcp/127.0.0.1/$1"', 1, 'sh -c'],
  ['sh -c with a command substitution', 'sh -c "ls $(dirname "$0")"', 1, 'sh -c'],
  ['sh -c with a backquote', 'sh -c "cd `pwd`"', 1, 'sh -c'],
  ['bash -ec with an expansion, over lines', 'bash -ec "\n  cd $dir\n  make\n"', 1, 'sh -c'],
  ['bash -c of an unquoted expansion', 'bash -c $program', 1, 'sh -c'],
  ['bash -c behind setpriv', 'setpriv --reuid=x --init-groups bash -c "echo ${name}"', 1, 'sh -c'],
  ['su -c', 'su postgres -c "psql -c \'create database $db\'"', 1, 'su -c'],
  ['su - user -c', 'su - keystone -s /bin/sh -c "keystone-manage $cmd"', 1, 'su -c'],
  ['node -e with an expansion', 'node -e "require(\'$module\')"', 1, 'interpreter'],
  ['python3 -c with an expansion', '/usr/bin/python3 -c "print(\'$x\')"', 1, 'interpreter'],
  ['a here-document program to bash', 'bash <<EOF\nrm -rf $dir\nEOF', 1, 'here-document'],
  ['a here-document program to python', 'python3 - <<PY\nprint("$name")\nPY', 1, 'here-document'],
  ['a password in mysql -e', 'mysql -uroot -e "CREATE USER x IDENTIFIED BY \'$DB_PASS\'; GRANT ALL ON x.* TO x;"', 1, 'secret on a command line'],
  [
    'a password as an option, on a continued line',
    'keystone-manage bootstrap --bootstrap-username admin \\\n  --bootstrap-password "${ADMIN_PASS}"',
    2,
    'secret on a command line',
  ],
  ['a token after a command substitution', 'x=$(date) && curl -H "X-Auth-Token: $OS_TOKEN" "$url"', 1, 'secret on a command line'],
  ['a lower-case token as an option', 'kubectl config set-credentials admin --token="$token"', 1, 'secret on a command line'],
  ['a password inside a command substitution in quotes', 'x="$(mysql -uroot -p"$DB_PASS" -e "select 1")"', 1, 'secret on a command line'],
  ['NAME=secret as an argument, not an assignment', 'curl -d password=$ADMIN_PASS "$url"', 1, 'secret on a command line'],
  ['a password through env', 'env OS_PASSWORD=$ADMIN_PASS openstack token issue', 1, 'secret on a command line'],
];

const GOOD_SHELL: [string, string][] = [
  ['a literal program, values as arguments', 'timeout 2 bash -c \': < "/dev/tcp/127.0.0.1/$1"\' answers "$1"'],
  ['a literal JavaScript program', "node -e '\n  console.log(`${passed} passed, $1`);\n'"],
  ['a literal python program', 'start x nova /usr/bin/python3 -c \'import sys; sys.argv=["a", "$b"]\''],
  ['bash running a script file', 'bash "$DEVCLOUD_DIR/down.sh" "$@"'],
  ['double quotes without expansions', 'bash -c "echo hello"\nsh -c "echo \\$HOME"'],
  ['the words in comments', '# eval "$x" and bash -c "$y"\necho hi # su x -c "$z"'],
  ['the words in single quotes', 'echo \'eval $x; bash -c "$y"\''],
  ['the words in a here-document for a file', 'cat > "$f" <<CNF\neval $x\nbash -c "$y"\nCNF\necho done'],
  ['a quoted here-document program', 'bash <<\'EOF\'\necho "$HOME"\nEOF'],
  ['evaluate and other words', 'evaluate "$x"; echo retrieval; x=eval'],
  ['case patterns and subshells', 'case $1 in\n  a) (cd "$d" && make) ;;\n  *) echo "$(basename "$(pwd)")" ;;\nesac\nbash -c "echo fine"'],
  ['a password in the environment of a program', 'OS_BOOTSTRAP_PASSWORD=$ADMIN_PASS keystone-manage bootstrap \\\n  --bootstrap-username admin'],
  [
    'passwords in a here-document, for a file or on stdin',
    'cat > "$f" <<CNF\npassword = $SERVICE_PASS\nCNF\nmysql -uroot <<SQL\nALTER USER x IDENTIFIED BY \'$DB_PASS\';\nSQL',
  ],
  ['a password tested after a keyword, or on a here-string', 'if [ -n "$OS_TOKEN" ]; then cat <<< "$DB_PASS" > f; fi\nwhile ! test -z "$X_SECRET"; do :; done'],
  ['braces and substitutions earlier on the line', 'echo ${x} "$DB_PASS"; echo $(date) "$ADMIN_PASS"'],
  ['a password given to builtins', '[[ $DB_PASS =~ ^[a-z]+$ ]] || die "bad"\nf() { echo "mysql://u:$DB_PASS@h/d"; }\nx="a;b" && printf \'%s\' "$MY_TOKEN"'],
];

const BAD_PYTHON: [string, string, number, string][] = [
  ['shell=True', 'import subprocess\nsubprocess.run(f"ls {d}", shell=True)', 2, 'shell=True'],
  ['os.system of a formatted string', 'import os\nos.system("rm -rf %s" % d)', 2, 'os.system'],
];
const GOOD_PYTHON: [string, string][] = [
  ['argv lists', 'import subprocess\nsubprocess.run(["ls", d], check=True)\n# shell=True is banned'],
  ['os.system of a literal', 'import os\nos.system("true")'],
];

describe.each([
  ['TypeScript', scanTypeScript, 'x.ts', BAD_TS, GOOD_TS],
  ['shell', scanShell, 'x.sh', BAD_SHELL, GOOD_SHELL],
  ['Python', scanPython, 'x.py', BAD_PYTHON, GOOD_PYTHON],
] as const)('the %s scanner', (_, scan, name, bad, good) => {
  test.each(bad)('finds %s', (_label, snippet, line, rule) => {
    const found = scan(name, snippet);
    expect(found.map((f) => [f.line, f.rule.includes(rule)])).toEqual([[line, true]]);
    expect(show(found[0])).toMatch(new RegExp(`^${name}:${line}: `));
  });

  test.each(good)('passes %s', (_label, snippet) => {
    expect(scan(name, snippet).map(show)).toEqual([]);
  });

  // Planted, all together, at the end of each real file of its kind: no file leaves the
  // scanner in a state (an open quote, a here-document) that would hide what follows.
  test('finds each shape planted at the end of every project file of its kind', () => {
    const kind = ({ 'x.ts': 'ts', 'x.sh': 'shell', 'x.py': 'python' } as const)[name];
    const real = projectFiles().filter((f) => f !== SELF && kindOf(f) === kind);
    expect(real.length).toBeGreaterThan(0);
    const missed: string[] = [];
    for (const file of real) {
      let text = fs.readFileSync(path.join(root, file), 'utf8').replace(/\n?$/, '\n');
      const before = text.split('\n').length - 1;
      const expected: number[] = [];
      for (const [, snippet, line] of bad) {
        expected.push(text.split('\n').length - 1 + line);
        text += `${snippet}\n`;
      }
      const found = scan(file, text)
        .filter((f) => f.line > before)
        .map((f) => f.line)
        .sort((a, b) => a - b);
      if (JSON.stringify(found) !== JSON.stringify(expected)) missed.push(`${file}: expected lines ${expected}, found ${found}`);
    }
    expect(missed).toEqual([]);
  });
});

describe('shellQuote', () => {
  test('leaves a plain word as it is, so the command reads the same', () => {
    expect(shellQuote('/work/main/dist/bin/magnum-teardown.js')).toBe('/work/main/dist/bin/magnum-teardown.js');
    expect(shellQuote('-k')).toBe('-k');
  });

  test('single-quotes anything else, each quote inside closed, escaped and reopened', () => {
    expect(shellQuote('/my clone/dist/x.js')).toBe("'/my clone/dist/x.js'");
    expect(shellQuote('it\'s $(rm -rf ~) `x` "*"')).toBe("'it'\\''s $(rm -rf ~) `x` \"*\"'");
    expect(shellQuote('')).toBe("''");
  });
});
