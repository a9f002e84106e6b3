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

/** What a handler reaches. */
export interface Reach {
  calls: SdkCall[];
  /** Object-literal members reached, as `file:name` (e.g. `shared/adapters/coord-table.ts:putOwns`). */
  members: ReadonlySet<string>;
  /** `CONSTANT.property` reads in reached code (e.g. `LEDGER_INDEX.sweep`). */
  constants: ReadonlySet<string>;
}

interface Found {
  calls: Map<string, SdkCall>;
  members: Set<string>;
  constants: Set<string>;
}

type FunctionLike = ts.FunctionLikeDeclaration;

const CONSTANT = /^[A-Z][A-Z0-9_]+$/;

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
  private readonly members = new Map<string, ts.Node[]>();

  constructor(
    private readonly program: ts.Program,
    private readonly root: string,
  ) {
    this.checker = program.getTypeChecker();
    for (const file of program.getSourceFiles().filter(isProjectFile)) this.indexObjectLiterals(file);
  }

  /** Every SDK command reachable from the handler file (all code in it counts as reachable). */
  callsFrom(handlerFile: string): SdkCall[] {
    return this.reachFrom(handlerFile).calls;
  }

  /** What the handler file reaches: SDK commands, object-literal members (adapter methods) and constants read. */
  reachFrom(handlerFile: string): Reach {
    const source = this.program.getSourceFile(path.resolve(this.root, handlerFile));
    if (!source) throw new Error(`${handlerFile} is not part of the analysed program; is the handler path right?`);
    const starts: ts.Node[] = [source];
    source.forEachChild(function collect(node): void {
      if (ts.isFunctionLike(node)) starts.push(node);
      node.forEachChild(collect);
    });
    return this.reach(starts);
  }

  /** What one object-literal member (`file:name`, as in Reach.members) reaches when it is called. */
  reachFromMember(member: string): Reach {
    const nodes = this.members.get(member);
    if (!nodes) throw new Error(`No object-literal member ${member} in the analysed program.`);
    return this.reach(nodes.map(bodyOf));
  }

  /**
   * The members of what a function-valued member returns, e.g. health's `peer: (region) => PeerCoord`
   * → the coord-table methods PeerCoord exposes. Resolved through the declared return type.
   */
  membersReturnedBy(member: string): string[] {
    const names = new Set<string>();
    for (const node of (this.members.get(member) ?? []).map(bodyOf)) {
      if (!ts.isFunctionLike(node)) continue;
      // The type the deps interface declares (`peer: (region) => PeerCoord`), not the wider inferred one.
      const declared = ts.isExpression(node) ? this.checker.getContextualType(node) : undefined;
      const signature =
        declared?.getCallSignatures()[0] ?? this.checker.getSignatureFromDeclaration(node as ts.SignatureDeclaration);
      const returned = signature ? this.checker.getReturnTypeOfSignature(signature) : undefined;
      for (const property of returned?.getProperties() ?? [])
        for (const declaration of property.declarations ?? [])
          for (const body of this.bodiesOf(declaration).concat(declaration)) {
            const name = this.memberName(body);
            if (name) names.add(name);
          }
    }
    return [...names].sort();
  }

  private reach(starts: readonly ts.Node[]): Reach {
    const found: Found = { calls: new Map(), members: new Set(), constants: new Set() };
    const seen = new Set<ts.Node>();
    const queue: ts.Node[] = [...starts];
    const enqueue = (node: ts.Node): void => {
      if (!seen.has(node) && isProjectFile(node.getSourceFile())) queue.push(node);
    };
    for (let unit = queue.pop(); unit; unit = queue.pop()) {
      if (seen.has(unit)) continue;
      seen.add(unit);
      const member = this.memberName(unit);
      if (member) found.members.add(member);
      this.walk(unit, unit, found, enqueue);
    }
    return { calls: [...found.calls.values()], members: found.members, constants: found.constants };
  }

  /**
   * `file:name` when the unit is a member of an object literal (how the adapters expose their methods);
   * `file:CONST.name` for members of a constant table such as CONTROL_KEYS.
   */
  private memberName(unit: ts.Node): string | undefined {
    const member = ts.isArrowFunction(unit) || ts.isFunctionExpression(unit) ? unit.parent : unit;
    if (!member?.parent || !ts.isObjectLiteralExpression(member.parent)) return undefined;
    if (
      !ts.isPropertyAssignment(member) &&
      !ts.isMethodDeclaration(member) &&
      !ts.isShorthandPropertyAssignment(member)
    )
      return undefined;
    const holder = member.parent.parent;
    const table =
      ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) && CONSTANT.test(holder.name.text)
        ? `${holder.name.text}.`
        : '';
    return `${path.relative(this.root, member.getSourceFile().fileName)}:${table}${member.name.getText()}`;
  }

  private walk(node: ts.Node, unit: ts.Node, found: Found, enqueue: (n: ts.Node) => void): void {
    if (node !== unit && isNamedUnit(node)) return;
    if (ts.isNewExpression(node)) this.recordCommand(node, found.calls);
    if (ts.isCallExpression(node) || ts.isNewExpression(node))
      for (const target of this.targetsOf(node)) enqueue(target);
    // A function passed as a value (a callback handed to a library) may run: count it as reached.
    if (ts.isIdentifier(node) && !isCallee(node)) {
      const targets = this.functionsNamed(node);
      targets.forEach(enqueue);
      // `{ byOwner }` exposes a local function as a member: name it as one.
      const member = targets.length > 0 ? this.memberName(node.parent) : undefined;
      if (member) found.members.add(member);
    }
    // `LEDGER_INDEX.sweep`: which named constants reached code reads (an index it queries, a key it writes).
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && CONSTANT.test(node.expression.text))
      found.constants.add(`${node.expression.text}.${node.name.text}`);
    node.forEachChild((child) => this.walk(child, unit, found, enqueue));
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
    // `{ version }` names the local function `version`: follow the value, not the property.
    const symbol = ts.isShorthandPropertyAssignment(identifier.parent)
      ? this.checker.getShorthandAssignmentValueSymbol(identifier.parent)
      : this.checker.getSymbolAtLocation(identifier);
    const resolved = symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    return (resolved?.declarations ?? [])
      .filter((d) => isProjectFile(d.getSourceFile()) && (ts.isFunctionDeclaration(d) || ts.isVariableDeclaration(d)))
      .flatMap((d) => this.bodiesOf(d));
  }

  private bodiesOf(declaration: ts.Declaration): ts.Node[] {
    // `({ readActive }: Deps) => … readActive()`: the call lands where Deps' property is implemented.
    if (ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent)) {
      const name = (declaration.propertyName ?? declaration.name).getText();
      const property = this.checker.getTypeAtLocation(declaration.parent).getProperty(name);
      return (property?.declarations ?? [])
        .filter((d) => d !== declaration && isProjectFile(d.getSourceFile()))
        .flatMap((d) => this.bodiesOf(d));
    }
    if (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration)) {
      const init = declaration.initializer;
      return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? [init] : [];
    }
    if (ts.isShorthandPropertyAssignment(declaration)) {
      const value = this.checker.getShorthandAssignmentValueSymbol(declaration);
      return (value?.declarations ?? []).filter((d) => d !== declaration).flatMap((d) => this.bodiesOf(d));
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

  /** An object literal member, or for `...spread`, the members the spread object brings (declared elsewhere). */
  private membersOf(member: ts.ObjectLiteralElementLike): ts.Node[] {
    if (!ts.isSpreadAssignment(member)) return [member];
    return this.checker
      .getTypeAtLocation(member.expression)
      .getProperties()
      .flatMap((property) => property.declarations ?? [])
      .filter((declaration) => isProjectFile(declaration.getSourceFile()));
  }

  /** Records the members of every object literal whose contextual type is an interface or type literal. */
  private indexObjectLiterals(file: ts.SourceFile): void {
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node))
        for (const member of node.properties) {
          const name = this.memberName(member);
          if (name) this.members.set(name, [...(this.members.get(name) ?? []), member]);
        }
      if (ts.isObjectLiteralExpression(node)) {
        const type = this.checker.getContextualType(node);
        const owners = type
          ? (type.isUnionOrIntersection() ? type.types : [type]).map((t) => t.getSymbol() ?? t.aliasSymbol)
          : [];
        for (const owner of owners.filter((s): s is ts.Symbol => s !== undefined)) {
          const list = this.implementations.get(owner) ?? [];
          list.push(...node.properties.flatMap((member) => this.membersOf(member)));
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
    lib: ['lib.es2022.d.ts'],
    types: [],
    allowJs: false,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  host.getSourceFile = (fileName, ...rest) =>
    fileName.includes('/node_modules/') && !fileName.startsWith(libDir) ? undefined : getSourceFile(fileName, ...rest);
  const program = ts.createProgram({ rootNames: handlerFiles.map((f) => path.resolve(root, f)), options, host });
  return new SdkCallGraph(program, root);
};
