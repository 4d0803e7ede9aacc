/// The checks Jinja2's compiler makes before a template can render, as `TemplateAssertionError`s:
/// unknown filters and tests, `extends` below the top level, assigning to `loop` inside a loop.
///
/// Like Jinja2, an unknown filter or test inside an `{% if %}` (its conditions and bodies) or an
/// inline `… if … else …` is not an error here: the renderer reports it if that code runs
/// ("soft" frames). Bodies that get a frame of their own (for, macro, call, block, filter, set
/// and with blocks) are checked strictly again.
struct TemplateChecker {
    let filters: Set<String>
    let tests: Set<String>
    let parser: Parser

    init(filters: Set<String>, tests: Set<String>, parser: Parser) {
        self.filters = filters
        self.tests = tests
        self.parser = parser
    }

    mutating func check(_ nodes: [Node]) throws {
        try walk(nodes, soft: false, topLevel: true, inLoop: false)
    }

    private func fail(_ message: String, at location: SourceLocation) -> any Error {
        parser.error(message, at: location, kind: .assertion)
    }

    private func walk(_ nodes: [Node], soft: Bool, topLevel: Bool, inLoop: Bool) throws {
        for node in nodes {
            switch node {
            case .text:
                break
            case .output(let expr, _):
                try check(expr, soft: soft)
            case .conditional(let branches, let otherwise):
                for branch in branches {
                    try check(branch.condition, soft: true)
                    try walk(branch.body, soft: true, topLevel: topLevel, inLoop: inLoop)
                }
                if let otherwise {
                    try walk(otherwise, soft: true, topLevel: topLevel, inLoop: inLoop)
                }
            case .forLoop(let loop):
                if binds(loop.target, "loop") {
                    throw fail("Can't assign to special loop variable in for-loop target", at: loop.location)
                }
                try check(loop.iterable, soft: soft)
                if let condition = loop.condition { try check(condition, soft: false) }
                try walk(loop.body, soft: false, topLevel: false, inLoop: true)
                if let otherwise = loop.otherwise {
                    try walk(otherwise, soft: false, topLevel: false, inLoop: true)
                }
            case .assign(let target, let expr, let location):
                if inLoop, binds(target, "loop") {
                    throw fail("Can't assign to special loop variable in for-loop target", at: location)
                }
                try check(expr, soft: soft)
            case .assignBlock(let target, let filter, let body, let location):
                if inLoop, binds(target, "loop") {
                    throw fail("Can't assign to special loop variable in for-loop target", at: location)
                }
                if let filter { try check(filter, soft: false) }
                try walk(body, soft: false, topLevel: false, inLoop: inLoop)
            case .block(let block):
                try walk(block.body, soft: false, topLevel: false, inLoop: inLoop)
            case .extends(let expr, let location):
                if !topLevel {
                    throw fail("cannot use extend from a non top-level scope", at: location)
                }
                try check(expr, soft: soft)
            case .include(let expr, _, _, _), .importAs(let expr, _, _, _), .fromImport(let expr, _, _, _):
                try check(expr, soft: soft)
            case .macro(let macro):
                try checkDefinition(macro, inLoop: inLoop)
            case .callBlock(let call, let caller, _):
                try check(call, soft: soft)
                try checkDefinition(caller, inLoop: inLoop)
            case .filterBlock(let filter, let body, _):
                try check(filter, soft: false)
                try walk(body, soft: false, topLevel: false, inLoop: inLoop)
            case .autoescape(let enabled, let body, _):
                try check(enabled, soft: soft)
                try walk(body, soft: soft, topLevel: false, inLoop: inLoop)
            case .with(let assignments, let body, _):
                for assignment in assignments { try check(assignment.value, soft: soft) }
                try walk(body, soft: false, topLevel: false, inLoop: inLoop)
            }
        }
    }

    private func checkDefinition(_ macro: MacroDefinition, inLoop: Bool) throws {
        for parameter in macro.parameters {
            if let value = parameter.defaultValue { try check(value, soft: false) }
        }
        try walk(macro.body, soft: false, topLevel: false, inLoop: inLoop)
    }

    private func binds(_ target: AssignTarget, _ name: String) -> Bool {
        switch target {
        case .name(let n): return n == name
        case .tuple(let items): return items.contains { binds($0, name) }
        case .attribute: return false
        }
    }

    /// Walks an expression without recursion (chains of filters or operators can be long).
    private func check(_ root: Expr, soft rootSoft: Bool) throws {
        var stack: [(Expr, Bool)] = [(root, rootSoft)]
        while let (expr, soft) = stack.popLast() {
            // Children are pushed in reverse so that they are checked in source order.
            var children: [Expr] = []
            var childSoft = soft
            switch expr {
            case .literal, .name:
                break
            case .attribute(let base, _, _):
                children = [base]
            case .item(let base, let key, _):
                children = [base, key]
            case .slice(let base, let start, let stop, let step, _):
                children = [base] + [start, stop, step].compactMap { $0 }
            case .list(let items, _), .tuple(let items, _), .concat(let items, _):
                children = items
            case .dict(let pairs, _):
                children = pairs.flatMap { [$0.key, $0.value] }
            case .unary(_, let operand, _):
                children = [operand]
            case .binary(_, let left, let right, _), .and(let left, let right), .or(let left, let right):
                children = [left, right]
            case .compare(let first, let rest, _):
                children = [first] + rest.map(\.operand)
            case .conditional(let condition, let then, let otherwise, _):
                childSoft = true
                children = [then, condition] + (otherwise.map { [$0] } ?? [])
            case .filter(let value, let name, let arguments, let location):
                if !soft, !filters.contains(name) {
                    throw fail("No filter named '\(name)'.", at: location)
                }
                children = (value.map { [$0] } ?? []) + Self.expressions(in: arguments)
            case .test(let value, let name, let arguments, _, let location):
                if !soft, !tests.contains(name) {
                    throw fail("No test named '\(name)'.", at: location)
                }
                children = [value] + Self.expressions(in: arguments)
            case .call(let callee, let arguments, _):
                children = [callee] + Self.expressions(in: arguments)
            }
            for child in children.reversed() {
                stack.append((child, childSoft))
            }
        }
    }

    private static func expressions(in arguments: Arguments) -> [Expr] {
        var result = arguments.positional
        result += arguments.keyword.map(\.value)
        if let star = arguments.star { result.append(star) }
        if let doubleStar = arguments.doubleStar { result.append(doubleStar) }
        return result
    }
}
