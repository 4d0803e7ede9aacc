import Foundation
import Testing
@testable import Jinja

// The Jinja2 conformance suite: every case in Fixtures/conformance.json was rendered by the real
// Jinja2 3.1.6 (Tests/JinjaTests/Conformance/generate.py); Regen must produce the same output, or
// fail with the same kind of error on the same line.

/// One case of the fixture, decoded into engine values.
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        case output(String)
        case error(ExpectedError)
        /// The fixture could not be read; the case exists only to report that.
        case unreadableFixture(String)
    }

    struct ExpectedError: Sendable {
        /// Jinja2's exception type name, e.g. `UndefinedError`.
        var type: String
        var message: String
        var line: Int?
        var template: String?
    }

    struct Options: Sendable {
        var undefined: UndefinedPolicy
        var autoescape: Bool
        var trimBlocks: Bool
        var lstripBlocks: Bool
        var keepTrailingNewline: Bool
    }

    var name: String
    var group: String
    var entry: String
    var templates: [String: String]
    var options: Options
    var context: [String: Value]
    var expectation: Expectation

    var testDescription: String { "\(group)/\(name)" }

    /// The templates as text, for failure messages.
    var sources: String {
        templates.keys.sorted().map { "--- \($0)\n\(templates[$0] ?? "")" }.joined(separator: "\n")
    }
}

/// How Jinja2's exception types map onto `TemplateError.Kind`: the one place that says so.
enum JinjaErrorMapping {
    /// The kinds Regen may report for a Jinja2 exception, or nil when the type is not mapped.
    static func acceptedKinds(forJinjaType type: String, message: String) -> Set<TemplateError.Kind>? {
        switch type {
        case "TemplateSyntaxError":
            return [.syntax]
        case "TemplateAssertionError":
            // Unknown filters and tests, duplicate blocks: raised while compiling.
            return [.assertion, .syntax]
        case "TemplateRuntimeError":
            // Jinja2 defers an unknown filter or test inside an `if` to run time; a parser that
            // refuses it at once is as good.
            if message.hasPrefix("No filter named") || message.hasPrefix("No test named") {
                return [.runtime, .assertion]
            }
            return [.runtime]
        case "FilterArgumentError":
            return [.runtime, .value, .type]
        case "UndefinedError":
            return [.undefined]
        case "TypeError":
            return [.type]
        case "AttributeError":
            return [.type, .undefined]
        case "ValueError", "ZeroDivisionError", "OverflowError":
            return [.value]
        case "KeyError", "IndexError":
            return [.lookup]
        case "TemplateNotFound", "TemplatesNotFound":
            return [.notFound]
        case "RecursionError":
            return [.recursion]
        default:
            return nil
        }
    }
}

/// Cases where Regen deliberately differs from Jinja2, each documented in
/// docs/jinja-differences.md. They still run, as known issues, so a crash would still show.
/// Cases that meet a difference documented in docs/jinja-differences.md. They still run, as known
/// issues: if one starts to pass, the list should shrink.
enum KnownDifferences {
    static let reasons: [String: Comment] = [
        "print_range_object": "range() returns a list in Regen: `{{ range(3) }}` prints [0, 1, 2], not range(0, 3)",
        "print_dict_views": "dict.items()/keys()/values() return lists in Regen: they print without dict_items(...)",
    ]
}

enum ConformanceFixture {
    static let cases: [ConformanceCase] = load()

    static func load() -> [ConformanceCase] {
        do {
            guard let url = Bundle.module.url(forResource: "conformance", withExtension: "json",
                                              subdirectory: "Fixtures") else {
                throw FixtureError("Fixtures/conformance.json is not in the test bundle")
            }
            let data = try Data(contentsOf: url)
            guard let records = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
                throw FixtureError("the fixture is not a list of objects")
            }
            return try records.map(decodeCase)
        } catch {
            let options = ConformanceCase.Options(undefined: .strict, autoescape: false, trimBlocks: false,
                                                  lstripBlocks: false, keepTrailingNewline: true)
            return [ConformanceCase(name: "fixture", group: "load", entry: "", templates: [:], options: options,
                                    context: [:], expectation: .unreadableFixture("\(error)"))]
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func decodeCase(_ record: [String: Any]) throws -> ConformanceCase {
        guard let name = record["name"] as? String else { throw FixtureError("a case has no name") }
        func field<T>(_ key: String, as type: T.Type = T.self) throws -> T {
            guard let value = record[key] as? T else { throw FixtureError("case \(name): bad or missing '\(key)'") }
            return value
        }
        let rawOptions: [String: Any] = try field("options")
        func flag(_ key: String) throws -> Bool {
            guard let value = rawOptions[key] as? Bool else { throw FixtureError("case \(name): option '\(key)'") }
            return value
        }
        let options = ConformanceCase.Options(
            undefined: (rawOptions["undefined"] as? String) == "lenient" ? .lenient : .strict,
            autoescape: try flag("autoescape"), trimBlocks: try flag("trim_blocks"),
            lstripBlocks: try flag("lstrip_blocks"), keepTrailingNewline: try flag("keep_trailing_newline"))

        guard case .dict(let storage) = try decodeValue(record["context"] as Any) else {
            throw FixtureError("case \(name): the context is not a dict")
        }
        var context: [String: Value] = [:]
        for (key, value) in storage.snapshot.pairs {
            guard case .string(let key) = key else { throw FixtureError("case \(name): a context key is not a string") }
            context[key] = value
        }

        let expectation: ConformanceCase.Expectation
        if let output = record["output"] as? String {
            expectation = .output(output)
        } else if let error = record["error"] as? [String: Any], let type = error["type"] as? String {
            expectation = .error(.init(type: type, message: error["message"] as? String ?? "",
                                       line: error["line"] as? Int, template: error["template"] as? String))
        } else {
            throw FixtureError("case \(name): neither an output nor an error")
        }
        return ConformanceCase(name: name, group: try field("group"), entry: try field("entry"),
                               templates: try field("templates"), options: options, context: context,
                               expectation: expectation)
    }

    /// A tagged value (`{"int": 1}`, `{"dict": [[key, value], …]}`) as an engine value; the tags
    /// keep ints apart from floats and tuples from lists, and dict pairs keep their order.
    static func decodeValue(_ json: Any) throws -> Value {
        guard let tagged = json as? [String: Any], tagged.count == 1, let (tag, payload) = tagged.first else {
            throw FixtureError("not a tagged value: \(json)")
        }
        switch tag {
        case "none":
            return .none
        case "bool":
            guard let b = payload as? Bool else { break }
            return .bool(b)
        case "int":
            if let i = payload as? Int { return .int(i) }
            if let n = payload as? NSNumber { return .int(n.intValue) }
        case "float":
            // Floats are stored as Python's repr() so that they round-trip exactly.
            guard let text = payload as? String, let d = Double(text) else { break }
            return .float(d)
        case "str":
            guard let s = payload as? String else { break }
            return .string(s)
        case "markup":
            guard let s = payload as? String else { break }
            return .markup(s)
        case "list":
            guard let items = payload as? [Any] else { break }
            return .list(ListStorage(try items.map(decodeValue)))
        case "tuple":
            guard let items = payload as? [Any] else { break }
            return .tuple(try items.map(decodeValue))
        case "dict":
            guard let pairs = payload as? [[Any]] else { break }
            var dict = OrderedDict()
            for pair in pairs {
                guard pair.count == 2 else { throw FixtureError("a dict entry is not a pair") }
                try dict.set(decodeValue(pair[0]), decodeValue(pair[1]))
            }
            return .dict(DictStorage(dict))
        default:
            throw FixtureError("unknown tag '\(tag)'")
        }
        throw FixtureError("bad payload for tag '\(tag)': \(payload)")
    }
}

@Suite("Jinja2 conformance")
struct ConformanceTests {
    @Test("the fixture is readable and large enough")
    func fixtureLoads() throws {
        let cases = ConformanceFixture.cases
        if case .unreadableFixture(let reason) = cases.first?.expectation {
            Issue.record("cannot read the fixture: \(reason)")
            return
        }
        #expect(cases.count >= 350)
        #expect(Set(cases.map(\.name)).count == cases.count, "case names are unique")
        let errorCases = cases.filter { if case .error = $0.expectation { true } else { false } }
        #expect(errorCases.count >= 50)
        for name in KnownDifferences.reasons.keys {
            #expect(cases.contains { $0.name == name }, "the known difference '\(name)' names no case")
        }
    }

    @Test("the fixture's contexts keep ints, floats, tuples and dict order")
    func fixtureDecodesTypes() throws {
        func context(_ name: String) throws -> [String: Value] {
            try #require(ConformanceFixture.cases.first { $0.name == name }).context
        }
        let ints = try context("print_large_int")
        guard case .int(Int.max) = ints["n"], case .int(Int.min) = ints["m"] else {
            Issue.record("64-bit ints did not survive: \(ints)")
            return
        }
        let floats = try context("print_float_from_context")
        guard case .float(1e16) = floats["a"], case .float(3.0) = floats["e"] else {
            Issue.record("floats did not survive: \(floats)")
            return
        }
        let types = try context("context_types_print")
        guard case .tuple(let t) = types["t"], t.count == 2, case .int(3) = types["i"], case .float(3.0) = types["f"],
              case .some(.none) = types["n"], case .bool(false) = types["b"] else {
            Issue.record("types did not survive: \(types)")
            return
        }
        guard case .dict(let d) = try context("for_dict_items_order")["d"] else {
            Issue.record("no dict")
            return
        }
        let keys = d.snapshot.keys.map { if case .string(let s) = $0 { s } else { "?" } }
        #expect(keys == ["zeta", "alpha", "mid"])
        guard case .dict(let intKeyed) = try context("for_items_of_context_dict_int_keys")["d"],
              case .int(3) = intKeyed.snapshot.keys.first else {
            Issue.record("int dict keys did not survive")
            return
        }
        guard case .markup("<b>ok</b>") = try context("autoescape_markup_from_context")["m"] else {
            Issue.record("Markup did not survive")
            return
        }
    }

    @Test("renders as Jinja2 3.1.6 does", arguments: ConformanceFixture.cases)
    func conformance(_ testCase: ConformanceCase) {
        if let reason = KnownDifferences.reasons[testCase.name] {
            withKnownIssue(reason, isIntermittent: true) { check(testCase) }
        } else {
            check(testCase)
        }
    }

    private func check(_ testCase: ConformanceCase) {
        let expected: ConformanceCase.ExpectedError
        switch testCase.expectation {
        case .unreadableFixture(let reason):
            Issue.record("cannot read the fixture: \(reason)")
            return
        case .output(let output):
            do {
                let rendered = try render(testCase)
                #expect(rendered == output, "\(testCase.sources)")
            } catch {
                Issue.record("expected output \(output.debugDescription), got error: \(error)\n\(testCase.sources)")
            }
            return
        case .error(let error):
            expected = error
        }

        let thrown: TemplateError
        do {
            let rendered = try render(testCase)
            Issue.record("expected \(expected.type) (\(expected.message)), rendered \(rendered.debugDescription)\n\(testCase.sources)")
            return
        } catch let error as TemplateError {
            thrown = error
        } catch {
            Issue.record("expected \(expected.type), threw a \(type(of: error)) that is not a TemplateError: \(error)")
            return
        }

        guard let kinds = JinjaErrorMapping.acceptedKinds(forJinjaType: expected.type, message: expected.message) else {
            Issue.record("the Jinja2 exception type \(expected.type) is not mapped (JinjaErrorMapping)")
            return
        }
        #expect(kinds.contains(thrown.kind),
                "Jinja2 raised \(expected.type): \(expected.message); Regen threw .\(thrown.kind.rawValue): \(thrown)\n\(testCase.sources)")
        if let line = expected.line {
            #expect(thrown.location?.line == line,
                    "Jinja2 blamed line \(line) of \(expected.template ?? "?"); Regen: \(thrown)")
            let description = thrown.description
            if let template = expected.template {
                #expect(description.contains(template + ":"), "the error names its template: \(description)")
            }
            let hasCaret = description.split(separator: "\n").contains {
                $0.trimmingCharacters(in: .whitespaces) == "^"
            }
            #expect(hasCaret, "the error shows the line and a caret: \(description)")
        }
    }

    private func render(_ testCase: ConformanceCase) throws -> String {
        let options = EnvironmentOptions(
            syntax: SyntaxOptions(trimBlocks: testCase.options.trimBlocks,
                                  lstripBlocks: testCase.options.lstripBlocks,
                                  keepTrailingNewline: testCase.options.keepTrailingNewline),
            undefined: testCase.options.undefined,
            autoescape: testCase.options.autoescape ? .always : .never)
        let environment = Environment(loader: DictionaryLoader(testCase.templates), options: options)
        return try environment.render(testCase.entry, context: testCase.context)
    }
}
