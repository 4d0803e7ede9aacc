import Foundation
import Testing
@testable import Jinja

// MARK: - A canonical text for the AST
//
// The expected strings in these tests came from Jinja2 3.1.6 itself: a small Python printer walked
// `Environment(keep_trailing_newline=True).parse(source)` and wrote each node in the same notation
// as `Canon` below (`out(…)`, `if(…)`, `filter[name](value; args)`, Python reprs for constants,
// adjacent template data merged). Jinja2's `Not(Test(…))` prints as `not(test[…])`, like a negated
// test here.

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
        case .autoescape(let e, let b, _): return "autoescape(\(expr(e)); \(body(b)))"
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
    let parser = Parser(source: source, lexed: lexed)
    return try parser.subparse(endTokens: nil)
}

/// Parses with the compile-time checks, knowing a few filters and tests.
func parseChecked(_ text: String, name: String = "page.md", _ options: SyntaxOptions = SyntaxOptions()) throws -> Template {
    try Parser.parse(TemplateSource(name: name, text: text), options: options,
                     filters: ["upper", "lower", "trim", "default", "join", "abs", "e", "length", "f", "g"],
                     tests: ["defined", "none", "divisibleby", "odd", "sameas", "t"])
}

/// The canonical text of the single `{{ … }}` in `text`.
func outputExpression(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
    let nodes = try parseOnly(text)
    guard nodes.count == 1, case .output(let expr, _) = nodes[0] else {
        Issue.record("expected one output node, got \(Canon.body(nodes))", sourceLocation: sourceLocation)
        return ""
    }
    return Canon.expr(expr)
}

/// The error `body` throws, or nil.
func templateError(_ body: () throws -> Any) -> TemplateError? {
    do {
        _ = try body()
        return nil
    } catch let error as TemplateError {
        return error
    } catch {
        Issue.record("not a TemplateError: \(error)")
        return nil
    }
}

@Suite struct ParserTests {
    // MARK: Expressions, checked against Jinja2's own parse trees

    static let expressions: [(String, String)] = [
        ("1", "1"),
        ("1.5", "1.5"),
        ("1e3", "1000.0"),
        ("1_000", "1000"),
        ("0b101", "5"),
        ("0o17", "15"),
        ("0xFF", "255"),
        ("1_0.5", "10.5"),
        ("1E-2", "0.01"),
        ("'a' \"b\" 'c'", "'abc'"),
        ("'\\n\\t\\\\\\'\\\"'", "'\\n\\t\\\\\\'\"'"),
        ("'\\x41\\u00e9\\U0001F600'", "'Aé😀'"),
        ("'\\101\\0'", "'A\\x00'"),
        ("'\\d\\é'", "'\\\\d\\\\xe9'"),
        ("true", "True"),
        ("True", "True"),
        ("false", "False"),
        ("none", "None"),
        ("None", "None"),
        ("x.y", "attr(x, y)"),
        ("x.0", "item(x, 0)"),
        ("x.1.2", "item(item(x, 1), 2)"),
        ("x[0]", "item(x, 0)"),
        ("x[1:2]", "slice(x, 1, 2, _)"),
        ("x[:]", "slice(x, _, _, _)"),
        ("x[::2]", "slice(x, _, _, 2)"),
        ("x[1:]", "slice(x, 1, _, _)"),
        ("x[a, b]", "item(x, tuple(a, b))"),
        ("x[]", "item(x, tuple())"),
        ("f()", "call(f; )"),
        ("f(1, a=2, *c, **d)", "call(f; 1, a=2, *c, **d)"),
        ("f(1,)", "call(f; 1)"),
        ("f(a)(b)", "call(call(f; a); b)"),
        ("x.y(1).z[2]", "item(attr(call(attr(x, y); 1), z), 2)"),
        ("[]", "[]"),
        ("[1, 2,]", "[1, 2]"),
        ("()", "tuple()"),
        ("(1,)", "tuple(1)"),
        ("(1, 2)", "tuple(1, 2)"),
        ("(1)", "1"),
        ("{}", "{}"),
        ("{'a': 1, 'b': [2]}", "{'a': 1, 'b': [2]}"),
        ("1 + 2 * 3", "add(1, mul(2, 3))"),
        ("1 - 2 - 3", "sub(sub(1, 2), 3)"),
        ("2 ** 3 ** 2", "pow(pow(2, 3), 2)"),
        ("-2 ** 2", "pow(neg(2), 2)"),
        ("- -x", "neg(neg(x))"),
        ("-x.y", "neg(attr(x, y))"),
        ("-1|abs", "filter[abs](neg(1); )"),
        ("not a and b or c", "or(and(not(a), b), c)"),
        ("a or b and c", "or(a, and(b, c))"),
        ("not not a", "not(not(a))"),
        ("a ~ b ~ c", "concat(a, b, c)"),
        ("a + b ~ c * d", "add(a, concat(b, mul(c, d)))"),
        ("a // b % c / d", "div(mod(floordiv(a, b), c), d)"),
        ("a < b <= c == d != e > f >= g", "compare(a < b <= c == d != e > f >= g)"),
        ("a in b", "compare(a in b)"),
        ("a not in b", "compare(a not in b)"),
        ("not a in b", "not(compare(a in b))"),
        ("a if b", "cond(b, a, _)"),
        ("a if b else c", "cond(b, a, c)"),
        ("a if b else c if d else e", "cond(b, a, cond(d, c, e))"),
        ("x|f(1)|g(a=2)", "filter[g](filter[f](x; 1); a=2)"),
        ("x|a.b", "filter[a.b](x; )"),
        ("x|f(1)(2)", "call(filter[f](x; 1); 2)"),
        ("x is defined", "test[defined](x; )"),
        ("x is not none", "not(test[none](x; ))"),
        ("x is divisibleby 3", "test[divisibleby](x; 3)"),
        ("x is divisibleby(3)", "test[divisibleby](x; 3)"),
        ("x is sameas false", "test[sameas](x; False)"),
        ("x is defined and y", "and(test[defined](x; ), y)"),
        ("x is f [1][0]", "test[f](x; item([1], 0))"),
        ("a + b is odd", "add(a, test[odd](b; ))"),
        ("not x is y", "not(test[y](x; ))"),
        ("x|f is t", "test[t](filter[f](x; ); )"),
        ("x is t|f", "filter[f](test[t](x; ); )"),
        ("a, b", "tuple(a, b)"),
        ("a, b,", "tuple(a, b)"),
        ("-x|f", "filter[f](neg(x); )"),
        ("x.__class__", "attr(x, __class__)"),
        ("a|f if b|g else c|h", "cond(filter[g](b; ), filter[f](a; ), filter[h](c; ))"),
        ("a is t -1", "sub(test[t](a; ), 1)")
    ]

    @Test(arguments: ParserTests.expressions)
    func expressionMatchesJinja2(source: String, expected: String) throws {
        #expect(try outputExpression("{{ \(source) }}") == expected)
    }

    // MARK: Precedence, spelled out

    @Test func precedenceFollowsJinja2() throws {
        // `*` binds tighter than `~`, which binds tighter than `+`.
        #expect(try outputExpression("{{ a + b * c }}") == "add(a, mul(b, c))")
        #expect(try outputExpression("{{ a + b ~ c * d }}") == "add(a, concat(b, mul(c, d)))")
        // Filters apply to the unary expression before them: `-1|abs` is `(-1)|abs`.
        #expect(try outputExpression("{{ -1|abs }}") == "filter[abs](neg(1); )")
        #expect(try outputExpression("{{ -x.y }}") == "neg(attr(x, y))")
        // Tests bind tighter than arithmetic and comparisons; `not` is looser than both.
        #expect(try outputExpression("{{ a + b is odd }}") == "add(a, test[odd](b; ))")
        #expect(try outputExpression("{{ not a == b }}") == "not(compare(a == b))")
        #expect(try outputExpression("{{ x is not none }}") == "not(test[none](x; ))")
        // `and` before `or`; the conditional is loosest and nests in its else branch.
        #expect(try outputExpression("{{ a or b and c }}") == "or(a, and(b, c))")
        #expect(try outputExpression("{{ a if b else c if d else e }}") == "cond(b, a, cond(d, c, e))")
        // Comparisons chain, Python style; `**` is left associative as in Jinja2.
        #expect(try outputExpression("{{ 1 < x <= 3 }}") == "compare(1 < x <= 3)")
        #expect(try outputExpression("{{ 2 ** 3 ** 2 }}") == "pow(pow(2, 3), 2)")
        // Test arguments without parentheses.
        #expect(try outputExpression("{{ x is divisibleby 3 }}") == "test[divisibleby](x; 3)")
        #expect(try outputExpression("{{ x is sameas false }}") == "test[sameas](x; False)")
        // Calls after filters, dotted filter names, `.0` as an item.
        #expect(try outputExpression("{{ x|f(1)(2) }}") == "call(filter[f](x; 1); 2)")
        #expect(try outputExpression("{{ x|a.b }}") == "filter[a.b](x; )")
        #expect(try outputExpression("{{ x.0 }}") == "item(x, 0)")
    }

    @Test func literalValuesKeepTheirTypes() throws {
        let nodes = try parseOnly("{{ 1_000 }}{{ 0x1F }}{{ 1.5e3 }}{{ 'a' }}{{ true }}{{ None }}")
        let values: [Value] = nodes.compactMap {
            if case .output(.literal(let v), _) = $0 { return v }
            return nil
        }
        #expect(values.count == 6)
        guard values.count == 6 else { return }
        if case .int(let i) = values[0] { #expect(i == 1000) } else { Issue.record("1_000 is not an int") }
        if case .int(let i) = values[1] { #expect(i == 31) } else { Issue.record("0x1F is not an int") }
        if case .float(let d) = values[2] { #expect(d == 1500) } else { Issue.record("1.5e3 is not a float") }
        if case .string(let s) = values[3] { #expect(s == "a") } else { Issue.record("'a' is not a string") }
        if case .bool(let b) = values[4] { #expect(b) } else { Issue.record("true is not a bool") }
        if case .none = values[5] {} else { Issue.record("None is not none") }
    }

    @Test func bareTuplesWhereJinja2AllowsThem() throws {
        #expect(Canon.body(try parseOnly("{% set a, b = 1, 2 %}")) == "[set((a, b) = tuple(1, 2))]")
        #expect(Canon.body(try parseOnly("{% for k, v in d|items %}{% endfor %}")) == "[for((k, v) in filter[items](d; ); [])]")
        #expect(try outputExpression("{{ (1,) }}") == "tuple(1)")
        #expect(try outputExpression("{{ 1, 2 }}") == "tuple(1, 2)")
    }

    // MARK: Statements, checked against Jinja2's own parse trees

    static let statements: [(String, String)] = [
        ("{% if a %}x{% endif %}", "[if(a; [text('x')])]"),
        ("{% if a %}x{% elif b %}y{% elif c %}z{% else %}w{% endif %}", "[if(a; [text('x')]; elif b; [text('y')]; elif c; [text('z')]; else [text('w')])]"),
        ("{% if a: %}x{% endif %}", "[if(a; [text('x')])]"),
        ("{% for x in y %}{{ x }}{% endfor %}", "[for(x in y; [out(x)])]"),
        ("{% for k, v in d.items() %}{% else %}e{% endfor %}", "[for((k, v) in call(attr(d, items); ); []; else [text('e')])]"),
        ("{% for x in y if x > 1 recursive %}{% endfor %}", "[for(x in y if compare(x > 1) recursive; [])]"),
        ("{% for (a, b), c in z %}{% endfor %}", "[for(((a, b), c) in z; [])]"),
        ("{% for x in 1, 2 %}{% endfor %}", "[for(x in tuple(1, 2); [])]"),
        ("{% set a = 1 %}", "[set(a = 1)]"),
        ("{% set a, b = 1, 2 %}", "[set((a, b) = tuple(1, 2))]"),
        ("{% set ns.x = 1 %}", "[set(ns.x = 1)]"),
        ("{% set (a, b) = c %}", "[set((a, b) = c)]"),
        ("{% set a = b if c %}", "[set(a = cond(c, b, _))]"),
        ("{% set x %}a{{ b }}{% endset %}", "[setblock(x | _; [text('a'), out(b)])]"),
        ("{% set x | upper | trim %}a{% endset %}", "[setblock(x | filter[trim](filter[upper](_; ); ); [text('a')])]"),
        ("{% set ns.a, b = 1, 2 %}", "[set((ns.a, b) = tuple(1, 2))]"),
        ("{% set a = 1, %}", "[set(a = tuple(1))]"),
        ("{% block a %}x{% endblock %}", "[block(a; [text('x')])]"),
        ("{% block a scoped %}{% endblock a %}", "[block(a scoped; [])]"),
        ("{% block a scoped required %}  {# c #} {% endblock %}", "[block(a scoped required; [text('   ')])]"),
        ("{% block a %}{% block b %}{% endblock %}{% endblock %}", "[block(a; [block(b; [])])]"),
        ("{% extends \"base.html\" %}", "[extends('base.html')]"),
        ("{% extends layout %}", "[extends(layout)]"),
        ("{% include \"a\" %}", "[include('a' with_context)]"),
        ("{% include \"a\" ignore missing %}", "[include('a' ignore_missing with_context)]"),
        ("{% include \"a\" without context %}", "[include('a')]"),
        ("{% include \"a\" ignore missing with context %}", "[include('a' ignore_missing with_context)]"),
        ("{% include [\"a\", \"b\"] %}", "[include(['a', 'b'] with_context)]"),
        ("{% import \"m\" as m %}", "[import('m' as m)]"),
        ("{% import \"m\" as m with context %}", "[import('m' as m with_context)]"),
        ("{% from \"m\" import a %}", "[from('m' import a)]"),
        ("{% from \"m\" import a, b as c with context %}", "[from('m' import a, b as c with_context)]"),
        ("{% from \"m\" import a without context %}", "[from('m' import a)]"),
        ("{% from \"m\" import with context %}", "[from('m' import  with_context)]"),
        ("{% macro m(a, b=1, c=\"x\") %}{{ a }}{% endmacro %}", "[macro(m(a, b=1, c='x'); [out(a)])]"),
        ("{% macro m() %}{% endmacro %}", "[macro(m(); [])]"),
        ("{% call m(1) %}x{% endcall %}", "[callblock(call(m; 1); (); [text('x')])]"),
        ("{% call(a, b=2) m(1) %}{{ a }}{% endcall %}", "[callblock(call(m; 1); (a, b=2); [out(a)])]"),
        ("{% call m()() %}{% endcall %}", "[callblock(call(call(m; ); ); (); [])]"),
        ("{% filter upper %}x{% endfilter %}", "[filterblock(filter[upper](_; ); [text('x')])]"),
        ("{% filter f(1)|g %}x{% endfilter %}", "[filterblock(filter[g](filter[f](_; 1); ); [text('x')])]"),
        ("{% filter a.b %}{% endfilter %}", "[filterblock(filter[a.b](_; ); [])]"),
        ("{% with a = 1, b = 2 %}{{ a }}{% endwith %}", "[with(a=1, b=2; [out(a)])]"),
        ("{% with %}x{% endwith %}", "[with(; [text('x')])]"),
        ("{% print a, b %}", "[out(a), out(b)]"),
        ("a{{ b }}c", "[text('a'), out(b), text('c')]"),
        ("{% raw %}{{ x }}{% endraw %}", "[text('{{ x }}')]"),
        ("{% raw %}a{% raw %}b{% endraw %}", "[text('a{% raw %}b')]"),
        ("{{ {\"a\":{\"b\":1}}}}", "[out({'a': {'b': 1}})]"),
        ("{% set x = {\"a\":{\"b\":1}}%}", "[set(x = {'a': {'b': 1}})]"),
        ("{{-1}}", "[out(1)]"),
        ("{{+1}}", "[out(1)]")
    ]

    @Test(arguments: ParserTests.statements)
    func statementMatchesJinja2(source: String, expected: String) throws {
        #expect(Canon.body(try parseOnly(source)) == expected)
    }

    @Test func statementDetailsTheCanonicalFormDoesNotShow() throws {
        // `else` that is present but empty stays distinguishable from no `else`.
        let nodes = try parseOnly("{% for x in y %}{% else %}{% endfor %}{% if a %}{% endif %}")
        guard case .forLoop(let loop) = nodes[0], case .conditional(let branches, let otherwise) = nodes[1] else {
            Issue.record("unexpected nodes \(Canon.body(nodes))")
            return
        }
        #expect(loop.otherwise?.isEmpty == true)
        #expect(branches.count == 1)
        #expect(otherwise == nil)

        // A call block's caller is a macro named `caller` with the call's signature.
        let call = try parseOnly("{% call(user, n=1) list_users(users) %}{{ user }}{% endcall %}")
        guard case .callBlock(let expr, let caller, _) = call[0] else {
            Issue.record("not a call block")
            return
        }
        #expect(Canon.expr(expr) == "call(list_users; users)")
        #expect(caller.name == "caller")
        #expect(caller.parameters.map(\.name) == ["user", "n"])

        // A filter block's filter chain has no value at its innermost end.
        let filter = try parseOnly("{% filter trim|upper %}x{% endfilter %}")
        guard case .filterBlock(.filter(.filter(nil, "trim", _, _)?, "upper", _, _), _, _) = filter[0] else {
            Issue.record("unexpected filter block \(Canon.body(filter))")
            return
        }
    }

    // MARK: Blocks and references

    @Test func autoescapeBlocksParse() throws {
        let nodes = try parseOnly("{% autoescape false %}{{ x }}{% endautoescape %}")
        #expect(nodes.map(Canon.node) == ["autoescape(False; [out(x)])"])
    }

    @Test func blocksAreCollectedAtAnyDepth() throws {
        let template = try parseChecked("""
            {% extends "base.html" %}
            {% block content %}{% block inner scoped %}x{% endblock %}{% endblock content %}
            {% if x %}{% block sidebar required %}  {% endblock %}{% endif %}
            {% macro m() %}{% block in_macro %}{% endblock %}{% endmacro %}
            """)
        #expect(Set(template.blocks.keys) == ["content", "inner", "sidebar", "in_macro"])
        #expect(template.blocks["inner"]?.scoped == true)
        #expect(template.blocks["sidebar"]?.required == true)
        #expect(template.blocks["content"]?.location == Jinja.SourceLocation(line: 2, column: 4))
    }

    @Test func referencesRecordStaticListAndDynamicNames() throws {
        let template = try parseChecked("""
            {% extends "layouts/base.html" %}
            {% include "a.md" %}{% include ["b.md", "c.md"] ignore missing %}
            {% import "macros.j2" as m %}{% from "forms.j2" import field as f with context %}
            {% if x %}{% include page ~ ".md" %}{% endif %}
            {% include ["d.md", other] %}
            """)
        let summary = template.references.map { "\($0.kind.rawValue) \($0.names) \($0.isDynamic)" }
        #expect(summary == [
            "extends [\"layouts/base.html\"] false",
            "include [\"a.md\"] false",
            "include [\"b.md\", \"c.md\"] false",
            "import [\"macros.j2\"] false",
            "import [\"forms.j2\"] false",
            "include [] true",
            "include [\"d.md\"] true",
        ])
        #expect(template.references.map(\.location.line) == [1, 2, 2, 3, 3, 4, 5])
        #expect(template.references[5].location.column == 14)
        #expect(template.hasDynamicReferences)
    }

    @Test func aLayoutVariableIsADynamicExtends() throws {
        let template = try parseChecked("{% extends layout %}")
        #expect(template.references.count == 1)
        #expect(template.references.first?.kind == .extends)
        #expect(template.references.first?.names == [])
        #expect(template.references.first?.isDynamic == true)
        #expect(try parseChecked("{% include 'x' %}").hasDynamicReferences == false)
    }

    // MARK: Locations

    @Test func nodesPointAtTheirSource() throws {
        let nodes = try parseOnly("ab\n  {{ user.name|upper }}\n{% for x in xs %}{{ x is odd }}{% endfor %}")
        guard case .output(let expr, let outputLocation) = nodes[1],
              case .filter(.attribute(.name(_, let nameLocation), _, let dotLocation)?, _, _, let filterLocation) = expr,
              case .forLoop(let loop) = nodes[3],
              case .output(.test(_, _, _, _, let testLocation), _) = loop.body[0]
        else {
            Issue.record("unexpected nodes \(Canon.body(nodes))")
            return
        }
        #expect(outputLocation == Jinja.SourceLocation(line: 2, column: 6))
        #expect(nameLocation == Jinja.SourceLocation(line: 2, column: 6))
        #expect(dotLocation == Jinja.SourceLocation(line: 2, column: 10))
        #expect(filterLocation == Jinja.SourceLocation(line: 2, column: 16))
        #expect(loop.location == Jinja.SourceLocation(line: 3, column: 4))
        #expect(testLocation == Jinja.SourceLocation(line: 3, column: 26))
    }

    // MARK: Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var source: String
        var kind: TemplateError.Kind
        var message: String
        var line: Int
        var column: Int
        var lineText: String
        var testDescription: String { message }
    }

    static let errors: [ErrorCase] = [
        ErrorCase(source: "{% for x in y %}\n{{ x }}\n", kind: .syntax,
                  message: "Unexpected end of template. Jinja was looking for the following tags: 'endfor' or 'else'."
                      + " The innermost block that needs to be closed is 'for'.",
                  line: 2, column: 8, lineText: "{{ x }}"),
        ErrorCase(source: "{% if a %}\n  {% endfor %}\n{% endif %}", kind: .syntax,
                  message: "Encountered unknown tag 'endfor'. Jinja was looking for the following tags:"
                      + " 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
                  line: 2, column: 6, lineText: "  {% endfor %}"),
        ErrorCase(source: "{% for x in y %}{% if a %}{% endfor %}", kind: .syntax,
                  message: "Encountered unknown tag 'endfor'. You probably made a nesting mistake. Jinja is expecting"
                      + " this tag, but currently looking for 'elif' or 'else' or 'endif'. The innermost block that"
                      + " needs to be closed is 'if'.",
                  line: 1, column: 30, lineText: "{% for x in y %}{% if a %}{% endfor %}"),
        ErrorCase(source: "{% for x in y %}{% break %}{% endfor %}", kind: .syntax,
                  message: "Encountered unknown tag 'break'. Jinja was looking for the following tags: 'endfor' or"
                      + " 'else'. The innermost block that needs to be closed is 'for'.",
                  line: 1, column: 20, lineText: "{% for x in y %}{% break %}{% endfor %}"),
        ErrorCase(source: "{% do x.append(1) %}", kind: .syntax, message: "Encountered unknown tag 'do'.",
                  line: 1, column: 4, lineText: "{% do x.append(1) %}"),
        ErrorCase(source: "{{ x y }}", kind: .syntax, message: "expected token 'end of print statement', got 'y'",
                  line: 1, column: 6, lineText: "{{ x y }}"),
        ErrorCase(source: "Hello {{ name }", kind: .syntax, message: "unexpected '}'",
                  line: 1, column: 15, lineText: "Hello {{ name }"),
        ErrorCase(source: "{{ (1, 2 }}", kind: .syntax, message: "unexpected '}', expected ')'",
                  line: 1, column: 10, lineText: "{{ (1, 2 }}"),
        ErrorCase(source: "{{ 'unterminated }}", kind: .syntax, message: "unexpected char \"'\" at 3",
                  line: 1, column: 4, lineText: "{{ 'unterminated }}"),
        ErrorCase(source: "{{ ü€ }}", kind: .syntax, message: "unexpected char '€' at 4",
                  line: 1, column: 5, lineText: "{{ ü€ }}"),
        ErrorCase(source: "{# never closed\nmore", kind: .syntax, message: "Missing end of comment tag",
                  line: 1, column: 1, lineText: "{# never closed"),
        ErrorCase(source: "x\n{% raw %}\nabc", kind: .syntax, message: "Missing end of raw directive",
                  line: 2, column: 1, lineText: "{% raw %}"),
        ErrorCase(source: "{{ user.name|nosuch }}", kind: .assertion, message: "No filter named 'nosuch'.",
                  line: 1, column: 14, lineText: "{{ user.name|nosuch }}"),
        ErrorCase(source: "{{ x is nosuchtest }}", kind: .assertion, message: "No test named 'nosuchtest'.",
                  line: 1, column: 9, lineText: "{{ x is nosuchtest }}"),
        ErrorCase(source: "{% block a %}{% endblock %}\n{% block a %}{% endblock %}", kind: .assertion,
                  message: "block 'a' defined twice", line: 2, column: 4, lineText: "{% block a %}{% endblock %}"),
        ErrorCase(source: "{% macro m(a=1, b) %}{% endmacro %}", kind: .syntax,
                  message: "non-default argument follows default argument",
                  line: 1, column: 17, lineText: "{% macro m(a=1, b) %}{% endmacro %}"),
        ErrorCase(source: "{% from 'forms.html' import _hidden %}", kind: .assertion,
                  message: "names starting with an underline can not be imported",
                  line: 1, column: 29, lineText: "{% from 'forms.html' import _hidden %}"),
        ErrorCase(source: "{% block a required %}text{% endblock %}", kind: .syntax,
                  message: "Required blocks can only contain comments or whitespace",
                  line: 1, column: 4, lineText: "{% block a required %}text{% endblock %}"),
        ErrorCase(source: "{% block main-content %}{% endblock %}", kind: .syntax,
                  message: "Block names in Jinja have to be valid Python identifiers and may not contain hyphens,"
                      + " use an underscore instead.",
                  line: 1, column: 14, lineText: "{% block main-content %}{% endblock %}"),
        ErrorCase(source: "{{ f(a=1, 2) }}", kind: .syntax, message: "invalid syntax for function call expression",
                  line: 1, column: 5, lineText: "{{ f(a=1, 2) }}"),
        ErrorCase(source: "{% set 1 = 2 %}", kind: .syntax, message: "can't assign to 'const'",
                  line: 1, column: 8, lineText: "{% set 1 = 2 %}"),
        ErrorCase(source: "{% call m %}{% endcall %}", kind: .syntax, message: "expected call",
                  line: 1, column: 4, lineText: "{% call m %}{% endcall %}"),
        ErrorCase(source: "{{ x.'a' }}", kind: .syntax, message: "expected name or number",
                  line: 1, column: 6, lineText: "{{ x.'a' }}"),
        ErrorCase(source: "{% include %}", kind: .syntax, message: "unexpected 'end of statement block'",
                  line: 1, column: 12, lineText: "{% include %}"),
        ErrorCase(source: "{% %}", kind: .syntax, message: "tag name expected",
                  line: 1, column: 4, lineText: "{% %}"),
        ErrorCase(source: "{{ }}", kind: .syntax, message: "Expected an expression, got 'end of print statement'",
                  line: 1, column: 4, lineText: "{{ }}"),
        ErrorCase(source: "{{ x is divisibleby is 3 }}", kind: .syntax, message: "You cannot chain multiple tests with is",
                  line: 1, column: 21, lineText: "{{ x is divisibleby is 3 }}"),
        ErrorCase(source: "{{ x", kind: .syntax, message: "unexpected end of template, expected 'end of print statement'.",
                  line: 1, column: 4, lineText: "{{ x"),
        ErrorCase(source: "{% for x in y %}{% extends 'base' %}{% endfor %}", kind: .assertion,
                  message: "cannot use extend from a non top-level scope",
                  line: 1, column: 20, lineText: "{% for x in y %}{% extends 'base' %}{% endfor %}"),
        ErrorCase(source: "{% for loop in items %}{% endfor %}", kind: .assertion,
                  message: "Can't assign to special loop variable in for-loop target",
                  line: 1, column: 4, lineText: "{% for loop in items %}{% endfor %}"),
        ErrorCase(source: "line one\r\n{{ a +* b }}\r\n", kind: .syntax, message: "unexpected '*'",
                  line: 2, column: 7, lineText: "{{ a +* b }}"),
        ErrorCase(source: "héllo wörld {{ x y }}", kind: .syntax, message: "expected token 'end of print statement', got 'y'",
                  line: 1, column: 18, lineText: "héllo wörld {{ x y }}"),
        ErrorCase(source: "{{ '\\x4' }}", kind: .syntax, message: "truncated \\xXX escape",
                  line: 1, column: 4, lineText: "{{ '\\x4' }}"),
        ErrorCase(source: "{% autoescape true %}x", kind: .syntax,
                  message: "Unexpected end of template. Jinja was looking for the following tags: 'endautoescape'. The innermost block that needs to be closed is 'autoescape'.",
                  line: 1, column: 22, lineText: "{% autoescape true %}x"),
    ]

    @Test(arguments: ParserTests.errors)
    func syntaxErrorsSayWhatAndWhere(_ c: ErrorCase) throws {
        let error = try #require(templateError { try parseChecked(c.source, name: "page.md") })
        #expect(error.kind == c.kind)
        #expect(error.message == c.message)
        #expect(error.templateName == "page.md")
        #expect(error.location == Jinja.SourceLocation(line: c.line, column: c.column))
        #expect(error.lineText == c.lineText)
    }

    @Test func errorDescriptionShowsTheLineAndACaret() throws {
        let error = try #require(templateError { try parseChecked("Title\n{{ user.name|nosuch }}", name: "page.md") })
        #expect(error.description == """
            page.md:2:14: error: No filter named 'nosuch'.
                {{ user.name|nosuch }}
                             ^
            """)
    }

    @Test func anEarlierSyntaxErrorWinsOverALaterLexerError() throws {
        // Jinja2 lexes lazily: the unknown tag is met before the unterminated comment.
        let error = try #require(templateError { try parseChecked("{% endfor %}{# never closed") })
        #expect(error.message == "Encountered unknown tag 'endfor'.")
    }

    // MARK: Compile-time checks

    @Test func unknownFiltersInsideIfAreLeftToTheRenderer() throws {
        // Jinja2 compiles these and fails only if the branch runs.
        _ = try parseChecked("{% if x %}{{ y|nosuch }}{% else %}{{ z|nosuch }}{% endif %}")
        _ = try parseChecked("{% if x|nosuch %}{% endif %}{{ (y|nosuch) if x }}")
        _ = try parseChecked("{% if x %}{% set y = z|nosuch %}{% include a|nosuch %}{% endif %}")
        // A loop, macro or block body inside the `if` is checked again.
        for source in ["{% if x %}{% for a in b %}{{ a|nosuch }}{% endfor %}{% endif %}",
                       "{% if x %}{% macro m() %}{{ a|nosuch }}{% endmacro %}{% endif %}",
                       "{% if x %}{% filter nosuch %}{% endfilter %}{% endif %}"] {
            let error = templateError { try parseChecked(source) }
            #expect(error?.message == "No filter named 'nosuch'.", "\(source)")
            #expect(error?.kind == .assertion)
        }
    }

    @Test func theOutermostUnknownFilterIsReportedFirst() throws {
        let error = try #require(templateError { try parseChecked("{{ x|nosuch2|nosuch1 }}") })
        #expect(error.message == "No filter named 'nosuch1'.")
        #expect(error.location?.column == 14)
    }

    @Test func extendsInsideIfIsAllowed() throws {
        let template = try parseChecked("{% if a %}{% extends 'a.html' %}{% else %}{% extends 'b.html' %}{% endif %}")
        #expect(template.references.flatMap(\.names) == ["a.html", "b.html"])
    }

    // MARK: Limits and robustness

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let depth = 10_000
        let sources = [
            "{{ " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + " }}",
            "{{ " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + " }}",
            "{{ " + String(repeating: "not ", count: depth) + "x }}",
            "{{ " + String(repeating: "-", count: depth) + "x }}",
            String(repeating: "{% if x %}", count: depth) + String(repeating: "{% endif %}", count: depth),
        ]
        for source in sources {
            let error = templateError { try parseChecked(source) }
            #expect(error?.message == "template nesting too deep (more than 200 levels)")
            #expect(error?.kind == .syntax)
        }
        let chain = "{{ x" + String(repeating: "|upper", count: 5_000) + " }}"
        #expect(templateError { try parseChecked(chain) }?.message
                == "expression too long (more than 1000 operators in one tag)")
    }

    @Test func reasonableNestingParses() throws {
        let parens = String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)
        #expect(try outputExpression("{{ \(parens) }}") == "1")
        let ifs = String(repeating: "{% if x %}", count: 150) + String(repeating: "{% endif %}", count: 150)
        #expect(try parseChecked(ifs).nodes.count == 1)
    }

    @Test func randomTextNeverCrashes() {
        let pieces = ["{{", "}}", "{%", "%}", "{#", "#}", "-", "+", "(", ")", "[", "]", "{", "}", "'", "\"", "\\",
                      "if", "endif", "for", "in", "endfor", "x", "1", ".", "|", "is", "not", ",", ":", "=", " ",
                      "\n", "\r", "é", "raw", "endraw", "block", "set", "macro", "call", "filter", "*", "**"]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<(1 + next() % 20) { text += pieces[next() % pieces.count] }
            do {
                _ = try parseChecked(text, SyntaxOptions(trimBlocks: next() % 2 == 0, lstripBlocks: next() % 2 == 0,
                                                          keepTrailingNewline: next() % 2 == 0))
            } catch let error as TemplateError {
                #expect(error.location != nil, "\(text)")
                #expect(error.lineText != nil, "\(text)")
            } catch {
                Issue.record("unexpected error \(error) for \(text)")
            }
        }
    }
}
