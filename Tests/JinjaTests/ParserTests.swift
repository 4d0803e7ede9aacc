import Foundation
import Testing
@testable import Jinja

// MARK: - Canonical form of the AST (the same text a Jinja2 AST printer gives, see the tests)

enum Canon {
    static func repr(_ value: Value) -> String {
        switch value {
        case .string(let s): return Value.reprString(s)
        case .float(let d): return Value.formatFloat(d)
        default: return value.pythonRepr
        }
    }

    static func args(_ a: Arguments) -> String {
        var parts = a.positional.map(expr)
        parts += a.keyword.map { "\($0.name)=\(expr($0.value))" }
        if let s = a.star { parts.append("*" + expr(s)) }
        if let s = a.doubleStar { parts.append("**" + expr(s)) }
        return parts.joined(separator: ", ")
    }

    static func opt(_ e: Expr?) -> String { e.map(expr) ?? "_" }

    static func expr(_ e: Expr) -> String {
        switch e {
        case .literal(let v): return repr(v)
        case .name(let n, _): return n
        case .attribute(let b, let a, _): return "attr(\(expr(b)), \(a))"
        case .item(let b, let k, _): return "item(\(expr(b)), \(expr(k)))"
        case .slice(let b, let start, let stop, let step, _):
            return "slice(\(expr(b)), \(opt(start)), \(opt(stop)), \(opt(step)))"
        case .list(let items, _): return "[" + items.map(expr).joined(separator: ", ") + "]"
        case .tuple(let items, _): return "tuple(" + items.map(expr).joined(separator: ", ") + ")"
        case .dict(let pairs, _):
            return "{" + pairs.map { "\(expr($0.key)): \(expr($0.value))" }.joined(separator: ", ") + "}"
        case .unary(let op, let x, _):
            let name = op == .not ? "not" : (op == .negate ? "neg" : "pos")
            return "\(name)(\(expr(x)))"
        case .binary(let op, let l, let r, _):
            let names: [BinaryOperator: String] = [.add: "add", .subtract: "sub", .multiply: "mul", .divide: "div",
                                                   .floorDivide: "floordiv", .modulo: "mod", .power: "pow"]
            return "\(names[op] ?? "?")(\(expr(l)), \(expr(r)))"
        case .compare(let first, let rest, _):
            return "compare(" + expr(first) + rest.map { " \($0.op.rawValue) \(expr($0.operand))" }.joined() + ")"
        case .and(let l, let r): return "and(\(expr(l)), \(expr(r)))"
        case .or(let l, let r): return "or(\(expr(l)), \(expr(r)))"
        case .concat(let items, _): return "concat(" + items.map(expr).joined(separator: ", ") + ")"
        case .conditional(let c, let t, let o, _): return "cond(\(expr(c)), \(expr(t)), \(opt(o)))"
        case .filter(let v, let name, let a, _): return "filter[\(name)](\(opt(v)); \(args(a)))"
        case .test(let v, let name, let a, let negated, _):
            let t = "test[\(name)](\(expr(v)); \(args(a)))"
            return negated ? "not(\(t))" : t
        case .call(let f, let a, _): return "call(\(expr(f)); \(args(a)))"
        }
    }

    static func target(_ t: AssignTarget) -> String {
        switch t {
        case .name(let n): return n
        case .attribute(let n, let a): return "\(n).\(a)"
        case .tuple(let items): return "(" + items.map(target).joined(separator: ", ") + ")"
        }
    }

    static func signature(_ parameters: [(name: String, defaultValue: Expr?)]) -> String {
        "(" + parameters.map { p in p.defaultValue.map { "\(p.name)=\(expr($0))" } ?? p.name }
            .joined(separator: ", ") + ")"
    }

    static func body(_ nodes: [Node]) -> String {
        "[" + nodes.map(node).joined(separator: ", ") + "]"
    }

    static func node(_ n: Node) -> String {
        switch n {
        case .text(let s): return "text(\(Value.reprString(s)))"
        case .output(let e, _): return "out(\(expr(e)))"
        case .conditional(let branches, let otherwise):
            var s = ""
            for (i, b) in branches.enumerated() {
                s += i == 0 ? "if(\(expr(b.condition)); \(body(b.body))" : "; elif \(expr(b.condition)); \(body(b.body))"
            }
            if let otherwise, !otherwise.isEmpty { s += "; else \(body(otherwise))" }
            return s + ")"
        case .forLoop(let f):
            var s = "for(\(target(f.target)) in \(expr(f.iterable))"
            if let c = f.condition { s += " if \(expr(c))" }
            if f.recursive { s += " recursive" }
            s += "; \(body(f.body))"
            if let o = f.otherwise, !o.isEmpty { s += "; else \(body(o))" }
            return s + ")"
        case .assign(let t, let e, _): return "set(\(target(t)) = \(expr(e)))"
        case .assignBlock(let t, let f, let b, _): return "setblock(\(target(t)) | \(opt(f)); \(body(b)))"
        case .block(let b):
            return "block(\(b.name)\(b.scoped ? " scoped" : "")\(b.required ? " required" : ""); \(body(b.body)))"
        case .extends(let e, _): return "extends(\(expr(e)))"
        case .include(let e, let ignore, let ctx, _):
            return "include(\(expr(e))\(ignore ? " ignore_missing" : "")\(ctx ? " with_context" : ""))"
        case .importAs(let e, let alias, let ctx, _):
            return "import(\(expr(e)) as \(alias)\(ctx ? " with_context" : ""))"
        case .fromImport(let e, let names, let ctx, _):
            let list = names.map { n in n.alias.map { "\(n.name) as \($0)" } ?? n.name }.joined(separator: ", ")
            return "from(\(expr(e)) import \(list)\(ctx ? " with_context" : ""))"
        case .macro(let m): return "macro(\(m.name)\(signature(m.parameters)); \(body(m.body)))"
        case .callBlock(let call, let caller, _):
            return "callblock(\(expr(call)); \(signature(caller.parameters)); \(body(caller.body)))"
        case .filterBlock(let f, let b, _): return "filterblock(\(expr(f)); \(body(b)))"
        case .with(let assignments, let b, _):
            let a = assignments.map { "\(target($0.target))=\(expr($0.value))" }.joined(separator: ", ")
            return "with(\(a); \(body(b)))"
        }
    }
}

/// Parses without the compile-time checks (like Jinja2's `Environment.parse`).
func parseOnly(_ text: String, _ options: SyntaxOptions = SyntaxOptions()) throws -> [Node] {
    let source = TemplateSource(name: "t", text: text)
    let lexed = Lexer.tokenize(source, options: options)
    var parser = Parser(source: source, lexed: lexed)
    return try parser.subparse(endTokens: nil)
}

@Suite struct DifferentialDump {
    @Test func dump() throws {
        guard let path = ProcessInfo.processInfo.environment["PARSER_DUMP"] else { return }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var out = ""
        for line in lines where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let text = obj["t"] as! String
            let o = obj["opts"] as? [String: Bool] ?? [:]
            let options = SyntaxOptions(trimBlocks: o["trim_blocks"] ?? false, lstripBlocks: o["lstrip_blocks"] ?? false,
                                        keepTrailingNewline: o["keep_trailing_newline"] ?? true)
            do {
                out += Canon.body(try parseOnly(text, options)) + "\n"
            } catch let e as TemplateError {
                out += "ERROR \(e.kind) \(e.location?.line ?? 0): \(e.message)\n"
            }
        }
        try out.write(toFile: path + ".swift.txt", atomically: false, encoding: .utf8)
    }
}
