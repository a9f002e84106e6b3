import path from 'node:path';
import ts from 'typescript';

/** `CONTROL_KEYS`, `LEDGER_INDEX`: a constant table whose property reads the analysis records. */
export const CONSTANT = /^[A-Z][A-Z0-9_]+$/;

/** True when the identifier is what is called (or declared or imported), not a value passed along. */
export const isCallee = (node: ts.Node): boolean =>
  ((ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) && node.parent.expression === node) ||
  (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node && isCallee(node.parent)) ||
  ts.isVariableDeclaration(node.parent) ||
  ts.isImportSpecifier(node.parent) ||
  ts.isImportClause(node.parent);

/** The project's own sources, not the SDK or other packages. */
export const isProjectFile = (file: ts.SourceFile): boolean => !file.fileName.includes('/node_modules/');

/** Functions with their own identity are reached only when called; inline callbacks run with their parent. */
export const isNamedUnit = (node: ts.Node): boolean =>
  ts.isFunctionDeclaration(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
    (ts.isVariableDeclaration(node.parent) ||
      ts.isPropertyAssignment(node.parent) ||
      ts.isPropertyDeclaration(node.parent)));

/** `@aws-sdk/<package>` when the expression names something imported from the AWS SDK. */
export const importedSdkPackage = (declaration: ts.Declaration | undefined): string | undefined => {
  let node: ts.Node | undefined = declaration;
  while (node && !ts.isImportDeclaration(node)) node = node.parent;
  const specifier = node && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : '';
  return /^@aws-sdk\/(.+)$/.exec(specifier)?.[1];
};

/** An object literal member's function: the method itself, or the function assigned to the property. */
export const bodyOf = (member: ts.Node): ts.Node => {
  if (
    ts.isPropertyAssignment(member) &&
    (ts.isArrowFunction(member.initializer) || ts.isFunctionExpression(member.initializer))
  )
    return member.initializer as ts.FunctionLikeDeclaration;
  return member;
};

/**
 * Resolves where the project's calls land with the type checker: interface methods dispatch to the
 * object literals typed as that interface (spread members included), destructured deps to their
 * declared properties, shorthand members to the local functions they name.
 */
export class CallResolver {
  readonly checker: ts.TypeChecker;
  private readonly implementations = new Map<ts.Symbol, ts.Node[]>();
  private readonly members = new Map<string, ts.Node[]>();

  constructor(
    program: ts.Program,
    private readonly root: string,
  ) {
    this.checker = program.getTypeChecker();
    for (const file of program.getSourceFiles().filter(isProjectFile)) this.indexObjectLiterals(file);
  }

  /** The object-literal members named `file:name`. */
  membersNamed(name: string): ts.Node[] | undefined {
    return this.members.get(name);
  }

  /**
   * Where a call can land. Resolved through the callee's symbol rather than overload resolution:
   * as precise for project code, and it never type-checks the SDK's generic `send`.
   */
  targetsOf(call: ts.CallExpression | ts.NewExpression): ts.Node[] {
    const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression;
    const symbol = this.checker.getSymbolAtLocation(callee);
    const resolved = symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    return (resolved?.declarations ?? [])
      .filter((d) => isProjectFile(d.getSourceFile()))
      .flatMap((d) => this.bodiesOf(d));
  }

  functionsNamed(identifier: ts.Identifier): ts.Node[] {
    // `{ version }` names the local function `version`: follow the value, not the property.
    const symbol = ts.isShorthandPropertyAssignment(identifier.parent)
      ? this.checker.getShorthandAssignmentValueSymbol(identifier.parent)
      : this.checker.getSymbolAtLocation(identifier);
    const resolved = symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    return (resolved?.declarations ?? [])
      .filter((d) => isProjectFile(d.getSourceFile()) && (ts.isFunctionDeclaration(d) || ts.isVariableDeclaration(d)))
      .flatMap((d) => this.bodiesOf(d));
  }

  bodiesOf(declaration: ts.Declaration): ts.Node[] {
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

  /**
   * `file:name` when the unit is a member of an object literal (how the adapters expose their methods);
   * `file:CONST.name` for members of a constant table such as CONTROL_KEYS.
   */
  memberName(unit: ts.Node): string | undefined {
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
