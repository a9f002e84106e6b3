import path from 'node:path';
import ts from 'typescript';
import {
  bodyOf,
  CallResolver,
  CONSTANT,
  importedSdkPackage,
  isCallee,
  isNamedUnit,
  isProjectFile,
} from './call-resolver';

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

const TRANSACT_KINDS = new Set(['Put', 'Update', 'Delete', 'ConditionCheck']);

/**
 * Follows calls from a handler through the project's own code, resolving each call with the
 * type checker (interface methods dispatch to the object literals typed as that interface), and
 * collects every AWS SDK command constructed on the way. Adapter methods a function never calls
 * do not count, so a shared adapter does not widen every role that imports it.
 */
export class SdkCallGraph {
  private readonly resolver: CallResolver;

  constructor(
    private readonly program: ts.Program,
    private readonly root: string,
  ) {
    this.resolver = new CallResolver(program, root);
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
    const nodes = this.resolver.membersNamed(member);
    if (!nodes) throw new Error(`No object-literal member ${member} in the analysed program.`);
    return this.reach(nodes.map(bodyOf));
  }

  /**
   * The members of what a function-valued member returns, e.g. health's `peer: (region) => PeerCoord`
   * → the coord-table methods PeerCoord exposes. Resolved through the declared return type.
   */
  membersReturnedBy(member: string): string[] {
    const names = new Set<string>();
    for (const node of (this.resolver.membersNamed(member) ?? []).map(bodyOf)) {
      if (!ts.isFunctionLike(node)) continue;
      // The type the deps interface declares (`peer: (region) => PeerCoord`), not the wider inferred one.
      const declared = ts.isExpression(node) ? this.resolver.checker.getContextualType(node) : undefined;
      const signature =
        declared?.getCallSignatures()[0] ??
        this.resolver.checker.getSignatureFromDeclaration(node as ts.SignatureDeclaration);
      const returned = signature ? this.resolver.checker.getReturnTypeOfSignature(signature) : undefined;
      for (const property of returned?.getProperties() ?? [])
        for (const declaration of property.declarations ?? [])
          for (const body of this.resolver.bodiesOf(declaration).concat(declaration)) {
            const name = this.resolver.memberName(body);
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
      const member = this.resolver.memberName(unit);
      if (member) found.members.add(member);
      this.walk(unit, unit, found, enqueue);
    }
    return { calls: [...found.calls.values()], members: found.members, constants: found.constants };
  }

  private walk(node: ts.Node, unit: ts.Node, found: Found, enqueue: (n: ts.Node) => void): void {
    if (node !== unit && isNamedUnit(node)) return;
    if (ts.isNewExpression(node)) this.recordCommand(node, found.calls);
    if (ts.isCallExpression(node) || ts.isNewExpression(node))
      for (const target of this.resolver.targetsOf(node)) enqueue(target);
    // A function passed as a value (a callback handed to a library) may run: count it as reached.
    if (ts.isIdentifier(node) && !isCallee(node)) {
      const targets = this.resolver.functionsNamed(node);
      targets.forEach(enqueue);
      // `{ byOwner }` exposes a local function as a member: name it as one.
      const member = targets.length > 0 ? this.resolver.memberName(node.parent) : undefined;
      if (member) found.members.add(member);
    }
    // `LEDGER_INDEX.sweep`: which named constants reached code reads (an index it queries, a key it writes).
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && CONSTANT.test(node.expression.text))
      found.constants.add(`${node.expression.text}.${node.name.text}`);
    node.forEachChild((child) => this.walk(child, unit, found, enqueue));
  }

  private sdkPackageOf(expression: ts.Expression): string | undefined {
    const named = ts.isPropertyAccessExpression(expression) ? expression.expression : expression;
    return importedSdkPackage(this.resolver.checker.getSymbolAtLocation(named)?.declarations?.[0]);
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
      if (ts.isCallExpression(node)) for (const body of this.resolver.targetsOf(node)) body.forEachChild(collectKeys);
      node.forEachChild(collectKeys);
    };
    collectKeys(input);
    if (kinds.size === 0)
      throw new Error(
        `Cannot tell which item kinds ${input.getSourceFile().fileName} puts in a TransactWriteCommand; write the items as object literals (Put/Update/Delete/ConditionCheck).`,
      );
    return [...kinds].sort();
  }
}

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
