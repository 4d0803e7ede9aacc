/// Which of a few names a piece of template code reads. Jinja2 decides at compile time whether a
/// macro takes `varargs`, `kwargs` and `caller` by looking for them in its body; so does Regen.
extension Node {
    static func references(_ nodes: [Node], among names: Set<String>) -> Set<String> {
        var found: Set<String> = []
        for node in nodes { node.collect(among: names, into: &found) }
        return found
    }

    private func collect(among names: Set<String>, into found: inout Set<String>) {
        func walk(_ expr: Expr?) { expr?.collect(among: names, into: &found) }
        func walk(_ nodes: [Node]) { for node in nodes { node.collect(among: names, into: &found) } }
        switch self {
        case .text: break
        case .output(let e, _), .extends(let e, _), .assign(_, let e, _):
            walk(e)
        case .include(let e, _, _, _), .importAs(let e, _, _, _), .fromImport(let e, _, _, _):
            walk(e)
        case .conditional(let branches, let otherwise):
            for branch in branches { walk(branch.condition); walk(branch.body) }
            walk(otherwise ?? [])
        case .forLoop(let loop):
            walk(loop.iterable); walk(loop.condition); walk(loop.body); walk(loop.otherwise ?? [])
        case .assignBlock(_, let filter, let body, _):
            walk(filter); walk(body)
        case .block:
            // Jinja2 does not look into blocks: they render in a context of their own.
            break
        case .macro(let definition):
            for parameter in definition.parameters { walk(parameter.defaultValue) }
            walk(definition.body)
        case .callBlock(let call, let caller, _):
            walk(call)
            for parameter in caller.parameters { walk(parameter.defaultValue) }
            walk(caller.body)
        case .filterBlock(let filter, let body, _), .autoescape(let filter, let body, _):
            walk(filter); walk(body)
        case .with(let assignments, let body, _):
            for assignment in assignments { walk(assignment.value) }
            walk(body)
        }
    }
}

extension Expr {
    fileprivate func collect(among names: Set<String>, into found: inout Set<String>) {
        func walk(_ expr: Expr?) { expr?.collect(among: names, into: &found) }
        func walk(_ arguments: Arguments) {
            for e in arguments.positional { walk(e) }
            for k in arguments.keyword { walk(k.value) }
            walk(arguments.star); walk(arguments.doubleStar)
        }
        switch self {
        case .literal: break
        case .name(let name, _):
            if names.contains(name) { found.insert(name) }
        case .attribute(let e, _, _), .unary(_, let e, _):
            walk(e)
        case .item(let a, let b, _), .binary(_, let a, let b, _), .and(let a, let b), .or(let a, let b):
            walk(a); walk(b)
        case .slice(let e, let start, let stop, let step, _):
            walk(e); walk(start); walk(stop); walk(step)
        case .list(let items, _), .tuple(let items, _), .concat(let items, _):
            for e in items { walk(e) }
        case .dict(let pairs, _):
            for pair in pairs { walk(pair.key); walk(pair.value) }
        case .compare(let first, let rest, _):
            walk(first)
            for r in rest { walk(r.operand) }
        case .conditional(let c, let t, let o, _):
            walk(c); walk(t); walk(o)
        case .filter(let input, _, let arguments, _):
            walk(input); walk(arguments)
        case .test(let operand, _, let arguments, _, _):
            walk(operand); walk(arguments)
        case .call(let callee, let arguments, _):
            walk(callee); walk(arguments)
        }
    }
}

extension Expr {
    /// Jinja2's filters that take no context, which its optimizer may fold over constants.
    private static let contextFreeFilters: Set<String> = [
        "abs", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
        "filesizeformat", "float", "forceescape", "format", "indent", "int", "items", "length", "lower",
        "pprint", "reverse", "round", "safe", "string", "striptags", "title", "trim", "upper", "urlencode",
        "wordcount",
    ]

    /// True when Jinja2's compile-time optimizer would turn the expression into a constant.
    var isFoldableConstant: Bool {
        switch self {
        case .literal: return true
        case .list(let items, _), .tuple(let items, _), .concat(let items, _):
            return items.allSatisfy(\.isFoldableConstant)
        case .dict(let pairs, _):
            return pairs.allSatisfy { $0.key.isFoldableConstant && $0.value.isFoldableConstant }
        case .unary(_, let operand, _):
            return operand.isFoldableConstant
        case .binary(_, let lhs, let rhs, _):
            return lhs.isFoldableConstant && rhs.isFoldableConstant
        case .filter(let input, let name, let arguments, _):
            guard let input, Expr.contextFreeFilters.contains(name), arguments.star == nil,
                  arguments.doubleStar == nil else { return false }
            return input.isFoldableConstant && arguments.positional.allSatisfy(\.isFoldableConstant)
                && arguments.keyword.allSatisfy { $0.value.isFoldableConstant }
        default:
            return false
        }
    }
}
