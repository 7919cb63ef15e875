import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * The import rules of ARCHITECTURE.md, checked on every .ts/.tsx file. Each
 * rule is a function from one file's imports to "file → import (why)" lines,
 * tried first on small made-up files (so a broken rule cannot pass silently)
 * and then on the whole repository, which must yield none. Server tests are
 * outside the layer rules: an integration test assembles the whole app, with
 * the sandbox playing WeChat.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const scannedFolders = ['server', 'common', 'console', 'cli', 'test', 'bench', 'scripts'];

interface ImportRef {
  specifier: string;
  /** Repository path the relative import points at (extension added when the file exists); null for packages. */
  target: string | null;
  /** Package name (`drizzle-orm`, `@fastify/swagger`, `node:fs`) for non-relative imports. */
  packageName: string | null;
  typeOnly: boolean;
  /** Imported value bindings (`*` for a namespace, `default` for a default import). */
  names: string[];
}

interface SourceInfo {
  path: string;
  imports: ImportRef[];
}

function packageOf(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function resolveRelative(from: string, specifier: string): string {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    const full = posix.join(root, candidate);
    if (existsSync(full) && statSync(full).isFile()) return candidate;
  }
  return base;
}

function importsOf(path: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: ImportRef[] = [];
  const add = (specifier: string, typeOnly: boolean, names: string[]) => {
    const relative = specifier.startsWith('.');
    found.push({
      specifier,
      target: relative ? resolveRelative(path, specifier) : null,
      packageName: relative ? null : packageOf(specifier),
      typeOnly,
      names,
    });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const names: string[] = [];
      let allTypes = clause?.isTypeOnly ?? false;
      if (clause?.name) names.push('default');
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
      if (bindings && ts.isNamedImports(bindings)) {
        // Type-only elements vanish at runtime, so only value bindings count as names.
        for (const element of bindings.elements) if (!element.isTypeOnly) names.push((element.propertyName ?? element.name).text);
        if (!clause?.name && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)) allTypes = true;
      }
      add(node.moduleSpecifier.text, allTypes, names);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const names = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements.map((e) => (e.propertyName ?? e.name).text) : ['*'];
      add(node.moduleSpecifier.text, node.isTypeOnly, names);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument.text, false, ['*']);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true, ['*']);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) add(expression.text, node.isTypeOnly, ['*']);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function walk(folder: string): string[] {
  const full = posix.join(root, folder);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function sourceOf(path: string, text: string): SourceInfo {
  return { path, imports: importsOf(path, text) };
}

const repository: SourceInfo[] = scannedFolders.flatMap(walk).map((path) => sourceOf(path, readFileSync(posix.join(root, path), 'utf8')));

// ---- classification -------------------------------------------------------

const builtins = new Set(builtinModules);
const testTooling = ['vitest', 'fast-check', 'happy-dom', 'playwright-core', '@testing-library/react', '@testing-library/user-event', '@testing-library/dom'];

const isTest = (path: string) => /\.test\.tsx?$/.test(path) || path.startsWith('test/');
const isSchema = (path: string) => /\.schema(\.tsx?)?$/.test(path);
const isRepository = (path: string) => /\.repository\.tsx?$/.test(path);
const isTables = (path: string) => /\.tables\.tsx?$/.test(path);
const isBuiltin = (name: string) => name.startsWith('node:') || builtins.has(name);
const under = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
const inAny = (path: string, folders: string[]) => folders.some((folder) => under(path, folder));

function line(file: SourceInfo, ref: ImportRef, why: string): string {
  return `${file.path} → ${ref.specifier} (${why})`;
}

/** Relative imports of `file` must land in one of `folders` (tests may also use test/support). */
function confineRelative(file: SourceInfo, folders: string[], why: string): string[] {
  const allowed = isTest(file.path) ? [...folders, 'test'] : folders;
  return file.imports.filter((ref) => ref.target !== null && !inAny(ref.target, allowed)).map((ref) => line(file, ref, why));
}

/** Packages other than `packages` (tests may also use test tooling). */
function confinePackages(file: SourceInfo, packages: string[], why: string, allowBuiltins: boolean): string[] {
  const allowed = isTest(file.path) ? [...packages, ...testTooling] : packages;
  return file.imports
    .filter((ref) => ref.packageName !== null && !allowed.includes(ref.packageName) && !(allowBuiltins && isBuiltin(ref.packageName)))
    .map((ref) => line(file, ref, why));
}

/** `server/modules/<area>/<feature>` for feature files, `server/modules/<area>` for an area's own files. */
function moduleOf(path: string): string | null {
  const parts = path.split('/');
  if (parts[0] !== 'server' || parts[1] !== 'modules' || parts.length < 4) return null;
  return parts.length === 4 ? parts.slice(0, 3).join('/') : parts.slice(0, 4).join('/');
}

/** A directory import (`../menus`) names the module folder itself. */
function moduleOfTarget(target: string): string | null {
  return moduleOf(/\.[a-z]+$/.test(target) ? target : `${target}/index.ts`);
}

// ---- the rules ------------------------------------------------------------

const drizzleTableNames = ['sql', 'relations'];

const rules: Record<string, { scope: (path: string) => boolean; check: (file: SourceInfo) => string[] }> = {
  '1. common/ imports only zod': {
    scope: (path) => under(path, 'common'),
    check: (file) => [...confineRelative(file, ['common'], 'common stays inside common/'), ...confinePackages(file, ['zod'], 'common imports only zod', false)],
  },
  '2. server/platform/ imports only common/ (and npm packages)': {
    scope: (path) => !isTest(path) && under(path, 'server/platform'),
    check: (file) => confineRelative(file, ['server/platform', 'common'], 'platform imports only common/'),
  },
  '3. server/wechat/ never imports modules/ or sandbox/': {
    scope: (path) => !isTest(path) && under(path, 'server/wechat'),
    check: (file) => confineRelative(file, ['server/wechat', 'server/platform', 'common'], 'wechat imports platform/ and common/ only'),
  },
  '4. server/sandbox/ never imports modules/': {
    scope: (path) => !isTest(path) && under(path, 'server/sandbox'),
    check: (file) => confineRelative(file, ['server/sandbox', 'server/wechat', 'server/platform', 'common'], 'sandbox imports wechat/, platform/ and common/ only'),
  },
  '5. a module imports another module only through its index.ts': {
    scope: (path) => !isTest(path) && under(path, 'server/modules'),
    check: (file) => {
      const own = moduleOf(file.path);
      const outside = confineRelative(file, ['server/modules', 'server/platform', 'server/wechat', 'common'], 'modules never import sandbox/ or the app');
      const crossing = file.imports
        .filter((ref) => ref.target !== null && under(ref.target, 'server/modules'))
        .filter((ref) => {
          const target = ref.target ?? '';
          const theirs = moduleOfTarget(target);
          if (theirs === null || theirs === own) return false;
          // Schemas are every module's public contract; table definitions are shared facts that
          // other tables reference (foreign keys) and other repositories join.
          if (isSchema(target) || ((isTables(file.path) || isRepository(file.path)) && isTables(target))) return false;
          return ![theirs, `${theirs}/index`, `${theirs}/index.ts`].includes(target);
        })
        .map((ref) => line(file, ref, `import ${moduleOfTarget(ref.target ?? '') ?? ''}/index.ts instead`));
      return [...outside, ...crossing];
    },
  },
  '6. only repositories and platform/db touch Drizzle': {
    scope: (path) => !isTest(path) && !under(path, 'bench'),
    check: (file) =>
      file.imports
        .filter((ref) => ref.packageName === 'drizzle-orm' && !ref.typeOnly)
        .filter((ref) => {
          if (isRepository(file.path) || under(file.path, 'server/platform/db')) return false;
          if (!isTables(file.path)) return true;
          if (ref.specifier === 'drizzle-orm/pg-core') return false;
          return !(ref.specifier === 'drizzle-orm' && ref.names.every((name) => drizzleTableNames.includes(name)));
        })
        .map((ref) =>
          line(file, ref, isTables(file.path) ? `table files use drizzle-orm/pg-core and ${drizzleTableNames.join('/')} only` : 'queries belong in a *.repository.ts'),
        ),
  },
  '7a. *.schema.ts imports only zod and common/': {
    scope: isSchema,
    check: (file) => [
      ...file.imports.filter((ref) => ref.target !== null && !under(ref.target, 'common') && !isSchema(ref.target)).map((ref) => line(file, ref, 'schemas import common/ and other schemas only')),
      ...confinePackages(file, ['zod'], 'schemas import only zod', false),
    ],
  },
  '7b. the console imports from server/ only *.schema.ts': {
    scope: (path) => under(path, 'console'),
    check: (file) => [
      ...file.imports.filter((ref) => ref.target !== null && under(ref.target, 'server') && !isSchema(ref.target)).map((ref) => line(file, ref, 'the console may import *.schema.ts only')),
      ...confineRelative(file, ['console', 'common', 'server'], 'the console imports console/, common/ and schemas only'),
    ],
  },
  '8. cli/ imports only common/, *.schema.ts and its own files': {
    scope: (path) => under(path, 'cli'),
    check: (file) => [
      ...file.imports
        .filter((ref) => ref.target !== null && !inAny(ref.target, isTest(file.path) ? ['cli', 'common', 'test'] : ['cli', 'common']) && !isSchema(ref.target))
        .map((ref) => line(file, ref, 'the CLI talks HTTP; it imports common/ and schemas only')),
      ...confinePackages(file, ['zod'], 'the CLI uses node: built-ins and zod only', true),
    ],
  },
};

function violations(rule: string, files: SourceInfo[]): string[] {
  const { scope, check } = rules[rule]!;
  return files.filter((file) => scope(file.path)).flatMap(check);
}

// ---- tests ----------------------------------------------------------------

const fixtures: Record<string, { bad: [string, string]; good: [string, string] }> = {
  '1. common/ imports only zod': {
    bad: ['common/x.ts', "import { pino } from 'pino';\nimport { y } from '../server/platform/clock';"],
    good: ['common/x.ts', "import { z } from 'zod';\nimport { text } from './text';"],
  },
  '2. server/platform/ imports only common/ (and npm packages)': {
    bad: ['server/platform/x.ts', "import { users } from '../modules/system/users';"],
    good: ['server/platform/x.ts', "import Fastify from 'fastify';\nimport { AppError } from '../../common/errors';"],
  },
  '3. server/wechat/ never imports modules/ or sandbox/': {
    bad: ['server/wechat/core/x.ts', "import { world } from '../../sandbox/world';"],
    good: ['server/wechat/core/x.ts', "import { AppError } from '../../../common/errors';\nimport type { Cache } from '../../platform/cache/cache';"],
  },
  '4. server/sandbox/ never imports modules/': {
    bad: ['server/sandbox/x.ts', "export { menus } from '../modules/official-account/menus';"],
    good: ['server/sandbox/x.ts', "import { sign } from '../wechat/core/signature';"],
  },
  '5. a module imports another module only through its index.ts': {
    bad: ['server/modules/a/b/b.service.ts', "import { repo } from '../c/c.repository';\nimport { s } from '../../../sandbox/world';\nimport { t } from '../c/c.tables';\nimport { app } from '../../../app';"],
    good: ['server/modules/a/b/b.service.ts', "import { c } from '../c';\nimport { r } from './b.repository';\nimport { d } from '../../x/d/index';\nimport type { C } from '../c/c.schema';"],
  },
  '6. only repositories and platform/db touch Drizzle': {
    bad: ['server/modules/a/b/b.service.ts', "import { eq } from 'drizzle-orm';\nconst m = await import('drizzle-orm/pg-core');"],
    good: ['server/modules/a/b/b.tables.ts', "import { sql, type SQL } from 'drizzle-orm';\nimport { pgTable } from 'drizzle-orm/pg-core';"],
  },
  '7a. *.schema.ts imports only zod and common/': {
    bad: ['server/modules/a/b/b.schema.ts', "import { x } from './b.service';\nimport dayjs from 'dayjs';"],
    good: ['server/modules/a/b/b.schema.ts', "import { z } from 'zod';\nimport { text } from '../../../../common/text';\nimport { c } from '../c/c.schema';"],
  },
  '7b. the console imports from server/ only *.schema.ts': {
    bad: ['console/features/a/b.api.ts', "import { createBService } from '../../../server/modules/a/b/b.service';"],
    good: ['console/features/a/b.api.ts', "import type { B } from '../../../server/modules/a/b/b.schema';\nimport { api } from '../../app/api-client';"],
  },
  '8. cli/ imports only common/, *.schema.ts and its own files': {
    bad: ['cli/x.ts', "import { openDatabase } from '../server/platform/db/client';\nimport { Command } from 'commander';"],
    good: ['cli/x.ts', "import { parseArgs } from 'node:util';\nimport type { User } from '../server/modules/system/users/users.schema';\nimport { table } from './table';"],
  },
};

describe('import rules (ARCHITECTURE.md)', () => {
  for (const rule of Object.keys(rules)) {
    describe(`${rule}`, () => {
      const fixture = fixtures[rule]!;
      it('flags a file that breaks it', () => {
        const found = violations(rule, [sourceOf(...fixture.bad)]);
        expect(found.length).toBeGreaterThanOrEqual(fixture.bad[1].split('\n').length);
      });
      it('accepts a file that follows it', () => {
        expect(violations(rule, [sourceOf(...fixture.good)])).toEqual([]);
      });
      it('holds for every file in the repository', () => {
        const found = violations(rule, repository);
        expect(found, `offending file → import:\n${found.join('\n')}`).toEqual([]);
      });
    });
  }

  it('sees the imports of the repository (the scan is not empty)', () => {
    expect(repository.length).toBeGreaterThan(20);
    const app = repository.find((file) => file.path === 'server/app.ts');
    expect(app?.imports.some((ref) => ref.target === 'server/platform/http/create-server.ts')).toBe(true);
  });
});

describe('feature folders (ARCHITECTURE.md module pattern)', () => {
  function featureFolders(): string[] {
    const modules = posix.join(root, 'server/modules');
    if (!existsSync(modules)) return [];
    return readdirSync(modules, { withFileTypes: true })
      .filter((area) => area.isDirectory())
      .flatMap((area) =>
        readdirSync(posix.join(modules, area.name), { withFileTypes: true })
          .filter((feature) => feature.isDirectory())
          .map((feature) => `server/modules/${area.name}/${feature.name}`),
      );
  }

  function missingFiles(folder: string, files: string[]): string[] {
    if (!files.some((name) => name.endsWith('.routes.ts'))) return [];
    const feature = posix.basename(folder);
    const required = ['index.ts', `${feature}.schema.ts`, `${feature}.service.ts`];
    const missing = required.filter((name) => !files.includes(name));
    if (!files.some((name) => name.endsWith('.int.test.ts'))) missing.push('*.int.test.ts');
    return missing.map((name) => `${folder}/ lacks ${name}`);
  }

  it('flags a feature with routes but without its schema, service, index or HTTP test', () => {
    expect(missingFiles('server/modules/a/menus', ['menus.routes.ts', 'menus.repository.ts'])).toEqual([
      'server/modules/a/menus/ lacks index.ts',
      'server/modules/a/menus/ lacks menus.schema.ts',
      'server/modules/a/menus/ lacks menus.service.ts',
      'server/modules/a/menus/ lacks *.int.test.ts',
    ]);
    expect(missingFiles('server/modules/a/policy', ['policy.ts', 'policy.test.ts'])).toEqual([]);
  });

  it('every feature that serves routes has index.ts, <feature>.schema.ts, <feature>.service.ts and an *.int.test.ts', () => {
    const found = featureFolders().flatMap((folder) => missingFiles(folder, readdirSync(posix.join(root, folder))));
    expect(found, found.join('\n')).toEqual([]);
  });
});
