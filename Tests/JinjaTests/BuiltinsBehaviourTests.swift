@testable import Jinja
import Testing

/// Builtins whose results are random or stateful, which the generated Jinja2 cases cannot pin.
@Suite struct BuiltinsBehaviourTests {
    let h = Harness()

    @Test func cyclerAdvancesAndResets() throws {
        let c = try h.global("cycler", [.string("odd"), .string("even")])
        var seen: [String] = []
        for _ in 0..<3 { seen.append(try h.method(c, "next").pythonStr) }
        #expect(seen == ["odd", "even", "odd"])
        #expect(try h.state.attribute(of: c, "current").pythonStr == "even")
        _ = try h.method(c, "reset")
        #expect(try h.state.attribute(of: c, "current").pythonStr == "odd")
        #expect(Harness.describe { try h.global("cycler") } == "RuntimeError: at least one item has to be provided")
    }

    @Test func joinerIsEmptyOnlyTheFirstTime() throws {
        let j = try h.global("joiner", [.string("|")])
        let calls = try (0..<3).map { _ in try h.state.call(j, .empty).pythonStr }
        #expect(calls == ["", "|", "|"])
    }

    @Test func namespaceAttributesCanBeSet() throws {
        let value = try h.global("namespace", [], [("count", .int(0))])
        guard case .object(let object) = value, let ns = object as? Namespace else {
            Issue.record("namespace() did not give a Namespace")
            return
        }
        ns.set("count", .int(2))
        #expect(try h.state.attribute(of: value, "count").pythonRepr == "2")
        #expect(value.pythonStr == "<Namespace {'count': 2}>")
        #expect(Harness.describe { try h.state.attribute(of: value, "missing") }.hasPrefix("Undefined:"))
    }

    @Test func listMethodsMutateTheSharedList() throws {
        let list = Value.list([.int(1)])
        _ = try h.method(list, "append", [.int(2)])
        _ = try h.method(list, "extend", [.tuple([.int(3)])])
        #expect(list.pythonRepr == "[1, 2, 3]")
    }

    @Test func randomPicksAnElement() throws {
        let items: [Value] = [.int(1), .int(2), .int(3)]
        for _ in 0..<20 {
            let picked = try h.filter("random", .list(items))
            #expect(items.contains { $0.pythonEquals(picked) })
        }
        #expect(Harness.describe { try h.filter("random", .list([])) } == "Undefined:No random item, sequence was empty.")
    }

    @Test func lipsumMakesParagraphs() throws {
        let html = try h.global("lipsum", [.int(2)])
        #expect(html.isMarkup)
        #expect(PyString.count(html.pythonStr, "<p>") == 2)
        let plain = try h.global("lipsum", [.int(3), .bool(false), .int(5), .int(6)])
        let paragraphs = PyString.splitlines(plain.pythonStr).filter { !$0.isEmpty }
        #expect(paragraphs.count == 3)
        for p in paragraphs {
            #expect(p.hasSuffix("."))
            #expect(try h.filter("wordcount", .string(p)).pythonRepr == "5")
        }
    }

    @Test func rangeCountsAgainstTheIterationLimit() {
        let environment = Environment(options: EnvironmentOptions(limits: RenderLimits(maxLoopIterations: 100)))
        let state = RenderState(environment: environment, autoescape: false)
        #expect(throws: TemplateError.self) {
            try state.call(environment.globals["range"] ?? .none, CallArguments([.int(1_000_000)]))
        }
    }

    @Test func everyJinja2FilterAndTestIsRegistered() {
        let filters = ["abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e",
                       "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent",
                       "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint",
                       "random", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select",
                       "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "tojson", "trim",
                       "truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr"]
        let tests = ["boolean", "callable", "defined", "divisibleby", "eq", "equalto", "==", "escaped", "even",
                     "false", "filter", "float", "ge", ">=", "gt", "greaterthan", ">", "in", "integer", "iterable",
                     "le", "<=", "lower", "lt", "lessthan", "<", "mapping", "ne", "!=", "none", "number", "odd",
                     "sameas", "sequence", "string", "test", "true", "undefined", "upper"]
        #expect(Set(filters).subtracting(Builtins.filters.keys).isEmpty)
        #expect(Set(tests).subtracting(Builtins.tests.keys).isEmpty)
        #expect(Set(["range", "dict", "namespace", "cycler", "joiner", "lipsum"]).subtracting(Builtins.globals.keys).isEmpty)
    }
}
