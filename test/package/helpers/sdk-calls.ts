import path from 'node:path';
import ts from 'typescript';

/** One AWS SDK command a function can send, and where it is constructed. */
export interface SdkCall {
  /** Class name without the `Command` suffix, e.g. `Put` (lib-dynamodb) or `PutItem` (client). */
  command: string;
  /** The @aws-sdk package the class comes from, e.g. `lib-dynamodb`. */
  sdkPackage: string;
  /** Repository-relative path of the file constructing it. */
  file: string;
  /** For TransactWrite: the item kinds in TransactItems (`Put`, `Update`, `Delete`, `ConditionCheck`). */
  transactItems?: string[];
  /** True when the input object names an IndexName (Query/Scan on a GSI). */
  usesIndex?: boolean;
}

type FunctionLike = ts.FunctionLikeDeclaration;

const TRANSACT_KINDS = new Set(['Put', 'Update', 'Delete', 'ConditionCheck']);

const isCallee = (node: ts.Node): boolean =>
  ((ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) && node.parent.expression === node) ||
  (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node && isCallee(node.parent)) ||
  ts.isVariableDeclaration(node.parent) ||
  ts.isImportSpecifier(node.parent) ||
  ts.isImportClause(node.parent);

const isProjectFile = (file: ts.SourceFile): boolean => !file.fileName.includes('/node_modules/');

/** Functions with their own identity are reached only when called; inline callbacks run with their parent. */
const isNamedUnit = (node: ts.Node): boolean =>
  ts.isFunctionDeclaration(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
    (ts.isVariableDeclaration(node.parent) ||
      ts.isPropertyAssignment(node.parent) ||
      ts.isPropertyDeclaration(node.parent)));

/** `@aws-sdk/<package>` when the expression names something imported from the AWS SDK. */
const importedSdkPackage = (declaration: ts.Declaration | undefined): string | undefined => {
  let node: ts.Node | undefined = declaration;
  while (node && !ts.isImportDeclaration(node)) node = node.parent;
  const specifier = node && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : '';
  return /^@aws-sdk\/(.+)$/.exec(specifier)?.[1];
};

/**
 * Follows calls from a handler through the project's own code, resolving each call with the
 * type checker (interface methods dispatch to the object literals typed as that interface), and
 * collects every AWS SDK command constructed on the way. Adapter methods a function never calls
 * do not count, so a shared adapter does not widen every role that imports it.
 */
export class SdkCallGraph {
  private readonly checker: ts.TypeChecker;
  private readonly implementations = new Map<ts.Symbol, ts.Node[]>();

  constructor(
    private readonly program: ts.Program,
    private readonly root: string,
  ) {
    this.checker = program.getTypeChecker();
    for (const file of program.getSourceFiles().filter(isProjectFile)) this.indexObjectLiterals(file);
  }

  /** Every SDK command reachable from the handler file (all code in it counts as reachable). */
  callsFrom(handlerFile: string): SdkCall[] {
    const source = this.program.getSourceFile(path.resolve(this.root, handlerFile));
    if (!source) throw new Error(`${handlerFile} is not part of the analysed program; is the handler path right?`);
    const calls = new Map<string, SdkCall>();
    const seen = new Set<ts.Node>();
    const queue: ts.Node[] = [source];
    const enqueue = (node: ts.Node): void => {
      if (!seen.has(node) && isProjectFile(node.getSourceFile())) queue.push(node);
    };
    source.forEachChild(function collect(node): void {
      if (ts.isFunctionLike(node)) enqueue(node);
      node.forEachChild(collect);
    });
    for (let unit = queue.pop(); unit; unit = queue.pop()) {
      if (seen.has(unit)) continue;
      seen.add(unit);
      this.walk(unit, unit, calls, enqueue);
    }
    return [...calls.values()];
  }

  private walk(node: ts.Node, unit: ts.Node, calls: Map<string, SdkCall>, enqueue: (n: ts.Node) => void): void {
    if (node !== unit && isNamedUnit(node)) return;
    if (ts.isNewExpression(node)) this.recordCommand(node, calls);
    if (ts.isCallExpression(node) || ts.isNewExpression(node))
      for (const target of this.targetsOf(node)) enqueue(target);
    // A function passed as a value (a callback handed to a library) may run: count it as reached.
    if (ts.isIdentifier(node) && !isCallee(node)) for (const target of this.functionsNamed(node)) enqueue(target);
    node.forEachChild((child) => this.walk(child, unit, calls, enqueue));
  }

  private sdkPackageOf(expression: ts.Expression): string | undefined {
    const named = ts.isPropertyAccessExpression(expression) ? expression.expression : expression;
    return importedSdkPackage(this.checker.getSymbolAtLocation(named)?.declarations?.[0]);
  }

  /**
   * Where a call can land. Resolved through the callee's symbol rather than overload resolution:
   * as precise for project code, and it never type-checks the SDK's generic `send`.
   */
  private targetsOf(call: ts.CallExpression | ts.NewExpression): ts.Node[] {
    const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression;
    const symbol = this.checker.getSymbolAtLocation(callee);
    const resolved = symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    return (resolved?.declarations ?? [])
      .filter((d) => isProjectFile(d.getSourceFile()))
      .flatMap((d) => this.bodiesOf(d));
  }

  private functionsNamed(identifier: ts.Identifier): ts.Node[] {
    const symbol = this.checker.getSymbolAtLocation(identifier);
    const resolved = symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    return (resolved?.declarations ?? [])
      .filter((d) => isProjectFile(d.getSourceFile()) && (ts.isFunctionDeclaration(d) || ts.isVariableDeclaration(d)))
      .flatMap((d) => this.bodiesOf(d));
  }

  private bodiesOf(declaration: ts.Declaration): ts.Node[] {
    if (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration)) {
      const init = declaration.initializer;
      return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? [init] : [];
    }
    if (ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) {
      const owner = this.checker.getTypeAtLocation(declaration.parent).getSymbol();
      const name = declaration.name.getText();
      return (owner ? (this.implementations.get(owner) ?? []) : [])
        .filter((impl) => (impl as ts.NamedDeclaration).name?.getText() === name)
        .map(bodyOf);
    }
    if (ts.isClassDeclaration(declaration)) return declaration.members.filter(ts.isConstructorDeclaration);
    return ts.isFunctionLike(declaration) ? [declaration] : [];
  }

  private recordCommand(node: ts.NewExpression, calls: Map<string, SdkCall>): void {
    const sdkPackage = this.sdkPackageOf(node.expression);
    const name = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : node.expression.getText();
    if (!sdkPackage || !name.endsWith('Command')) return;
    const file = path.relative(this.root, node.getSourceFile().fileName);
    const input = node.arguments?.[0];
    const call: SdkCall = { command: name.slice(0, -'Command'.length), sdkPackage, file };
    if (input && /\bIndexName\b/.test(input.getText())) call.usesIndex = true;
    if (call.command === 'TransactWrite' || call.command === 'TransactWriteItems')
      call.transactItems = input ? this.transactKinds(input) : [];
    const key = `${file}|${call.command}|${call.transactItems?.join(',') ?? ''}|${call.usesIndex ?? ''}`;
    calls.set(key, call);
  }

  /** The kinds of TransactItems entries: object literal keys, or the keys a helper returns. */
  private transactKinds(input: ts.Expression): string[] {
    const kinds = new Set<string>();
    const collectKeys = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && TRANSACT_KINDS.has(node.name.getText())) kinds.add(node.name.getText());
      if (ts.isCallExpression(node)) for (const body of this.targetsOf(node)) body.forEachChild(collectKeys);
      node.forEachChild(collectKeys);
    };
    collectKeys(input);
    if (kinds.size === 0)
      throw new Error(
        `Cannot tell which item kinds ${input.getSourceFile().fileName} puts in a TransactWriteCommand; write the items as object literals (Put/Update/Delete/ConditionCheck).`,
      );
    return [...kinds].sort();
  }

  /** Records the members of every object literal whose contextual type is an interface or type literal. */
  private indexObjectLiterals(file: ts.SourceFile): void {
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const type = this.checker.getContextualType(node);
        const owners = type
          ? (type.isUnionOrIntersection() ? type.types : [type]).map((t) => t.getSymbol() ?? t.aliasSymbol)
          : [];
        for (const owner of owners.filter((s): s is ts.Symbol => s !== undefined)) {
          const list = this.implementations.get(owner) ?? [];
          list.push(...node.properties);
          this.implementations.set(owner, list);
        }
      }
      node.forEachChild(visit);
    };
    visit(file);
  }
}

/** An object literal member's function: the method itself, or the function assigned to the property. */
const bodyOf = (member: ts.Node): ts.Node => {
  if (
    ts.isPropertyAssignment(member) &&
    (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))
  )
    return member.initializer as FunctionLike;
  return member;
};

/**
 * Builds the analysis program for the given handlers from the project's sources only: node_modules
 * stay unresolved (SDK classes are recognised by their import), which keeps this to a second or two.
 */
export const createSdkCallGraph = (root: string, handlerFiles: readonly string[]): SdkCallGraph => {
  const options: ts.CompilerOptions = {
    noEmit: true,
    noLib: true,
    types: [],
    allowJs: false,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, ...rest) =>
    fileName.includes('/node_modules/') ? undefined : getSourceFile(fileName, ...rest);
  const program = ts.createProgram({ rootNames: handlerFiles.map((f) => path.resolve(root, f)), options, host });
  return new SdkCallGraph(program, root);
};
