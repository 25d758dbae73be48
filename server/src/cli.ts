/**
 * `privatelink-lens`: the same engine as the language server, for CI and for anyone without VS Code.
 *   privatelink-lens check [paths...] [--format text|json|sarif] [--fail-on error|warning|info|none] [--config f]
 *   privatelink-lens graph [paths...] [--format json|dot|mermaid]
 * Exit codes: 0 nothing reached --fail-on, 1 something did, 2 usage or internal error.
 */
import { readFileSync, statSync, existsSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { Analyzer, normalizeSettings, DEFAULT_SETTINGS, type Settings, type AnalysisResult } from './engine';
import { discoverFiles, readTextFile, toEnginePath } from './workspace/files';
import { Excluder } from './workspace/glob';
import { toJsonReport, toSarif, toText, toDot, toMermaid } from './report';

const USAGE = `Usage:
  privatelink-lens check [paths...] [--format text|json|sarif] [--fail-on error|warning|info|none] [--config file]
  privatelink-lens graph [paths...] [--format json|dot|mermaid] [--config file]
  privatelink-lens --version | --help`;

interface Args {
  command: 'check' | 'graph';
  paths: string[];
  format: string;
  failOn: 'error' | 'warning' | 'info' | 'none';
  config?: string;
  quiet: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args | 'help' | 'version' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  if (argv.includes('--version')) return 'version';
  const [command, ...rest] = argv;
  if (command !== 'check' && command !== 'graph') throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  const args: Args = { command, paths: [], format: command === 'check' ? 'text' : 'json', failOn: 'error', quiet: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i];
      if (v === undefined || v === '') throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--format' || a.startsWith('--format=')) args.format = value();
    else if (a === '--fail-on' || a.startsWith('--fail-on=')) {
      const v = value();
      if (v !== 'error' && v !== 'warning' && v !== 'info' && v !== 'none') throw new UsageError(`--fail-on takes error, warning, info or none, not "${v}"`);
      args.failOn = v;
    } else if (a === '--config' || a.startsWith('--config=')) args.config = value();
    else if (a === '--quiet' || a === '-q') args.quiet = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else args.paths.push(a);
  }
  const formats = command === 'check' ? ['text', 'json', 'sarif'] : ['json', 'dot', 'mermaid'];
  if (!formats.includes(args.format)) throw new UsageError(`--format for ${command} takes ${formats.join(', ')}, not "${args.format}"`);
  if (args.paths.length === 0) args.paths.push('.');
  return args;
}

function loadSettings(file: string | undefined): Settings {
  if (!file) return DEFAULT_SETTINGS;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read --config ${file}: ${(e as Error).message}`);
  }
  // Accept both the plain shape and VS Code's settings.json keys (`privatelinkLens.links`).
  const obj = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const flat: Record<string, unknown> = { ...obj };
  for (const [k, v] of Object.entries(obj)) if (k.startsWith('privatelinkLens.')) flat[k.slice('privatelinkLens.'.length)] = v;
  return normalizeSettings(flat);
}

const RANK = { info: 1, warning: 2, error: 3 } as const;

export async function main(argv: string[]): Promise<number> {
  let args: Args | 'help' | 'version';
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`privatelink-lens: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const settings = loadSettings(args.config);
    const cwd = process.cwd();
    for (const p of args.paths) {
      if (!existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
    }
    const excluder = new Excluder(settings.exclude);
    const files: string[] = [];
    for (const p of args.paths) {
      const abs = toEnginePath(resolve(p));
      if (statSync(p).isDirectory()) files.push(...(await discoverFiles(abs, abs, excluder, (m) => process.stderr.write(`privatelink-lens: ${m}\n`))));
      else files.push(abs);
    }
    const analyzer = new Analyzer();
    const progress = !args.quiet && process.stderr.isTTY && files.length > 200;
    let n = 0;
    for (const f of files) {
      const r = await readTextFile(f);
      if (r.kind === 'tooLarge') process.stderr.write(`privatelink-lens: skipped ${f} (${r.bytes} bytes, larger than the limit)\n`);
      if (r.kind !== 'text') continue;
      analyzer.setFile(f, r.text);
      if (progress && ++n % 500 === 0) process.stderr.write(`\rread ${n}/${files.length} files`);
    }
    if (progress) process.stderr.write(`\rread ${files.length} files, analysing...\n`);
    const result: AnalysisResult = analyzer.analyze(settings);
    const rel = (f: string) => relative(cwd, f).replace(/\\/g, '/') || f;
    const textOf = (f: string) => analyzer.text(f) ?? '';
    let out: string;
    if (args.command === 'check') {
      out = args.format === 'json' ? JSON.stringify(toJsonReport(result, rel, textOf), null, 2) : args.format === 'sarif' ? JSON.stringify(toSarif(result, rel, textOf, VERSION), null, 2) : toText(result, rel, textOf);
    } else {
      out = args.format === 'dot' ? toDot(result) : args.format === 'mermaid' ? toMermaid(result) : JSON.stringify(toJsonReport(result, rel, textOf).paths, null, 2);
    }
    process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
    if (args.command === 'graph' || args.failOn === 'none') return 0;
    const threshold = RANK[args.failOn];
    return result.findings.some((f) => RANK[f.severity] >= threshold) ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`privatelink-lens: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`privatelink-lens: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

if (require.main === module) {
  // `privatelink-lens check | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`privatelink-lens: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
