// The root entry point is curated: at most 40 names, each with a doc comment a reader sees in an
// editor. Read with the TypeScript compiler, as a user's editor reads the package.
import { join } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { REPO } from '../helpers/tools.js';

it('the root export has at most 40 names, each documented', () => {
  const entry = join(REPO, 'src/index.ts');
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error('src/index.ts did not load');
  const exported = checker.getExportsOfModule(moduleSymbol);
  const undocumented = exported
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === '';
    })
    .map((symbol) => symbol.name);
  expect(exported.length, exported.map((s) => s.name).join(', ')).toBeLessThanOrEqual(40);
  expect(undocumented).toEqual([]);
});
