import Foundation
import Testing
@testable import Jinja

/// Renders `templates["main"]` (or `entry`) with an in-memory loader.
func render(_ templates: [String: String], entry: String = "main", context: [String: Value] = [:],
            options: EnvironmentOptions = EnvironmentOptions()) throws -> String {
    try Environment(loader: DictionaryLoader(templates), options: options).render(entry, context: context)
}

/// The error a render throws, or a test failure pointing at the caller.
func renderError(_ templates: [String: String], entry: String = "main", context: [String: Value] = [:],
                 options: EnvironmentOptions = EnvironmentOptions(),
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) -> TemplateError? {
    do {
        let output = try render(templates, entry: entry, context: context, options: options)
        Issue.record("expected an error, got \(output.debugDescription)", sourceLocation: sourceLocation)
        return nil
    } catch let error as TemplateError {
        return error
    } catch {
        Issue.record("expected a TemplateError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite struct RendererTests {
    @Test func scopingFollowsJinja2() throws {
        // A `set` inside a loop stays in the loop; a namespace carries values out.
        let output = try render(["main": """
            {% set x = 1 %}{% for i in [1, 2] %}{% set x = i * 10 %}{{ x }} {% endfor %}{{ x }}
            {% set ns = namespace(n=0) %}{% for i in [1, 2, 3] %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}
            """])
        #expect(output == "10 20 1\n6")
    }

    @Test func inheritanceThreeLevelsWithSuper() throws {
        let output = try render([
            "base": "<{% block a %}base{% endblock %}|{% block b %}B{% endblock %}>",
            "mid": "{% extends 'base' %}{% block a %}mid+{{ super() }}{% endblock %}",
            "main": "{% extends 'mid' %}{% set who = 'child' %}{% block a %}{{ who }}+{{ super() }}{% endblock %}",
        ])
        #expect(output == "<child+mid+base|B>")
    }

    @Test func macrosWithCallerVarargsAndKwargs() throws {
        let output = try render(["main": """
            {% macro box(title, width=10) %}[{{ title }}:{{ width }}:{{ varargs|join(',') }}:{{ kwargs|dictsort|join(';') }}:{{ caller() }}]{% endmacro %}
            {% call box('t', 3, 'x', 'y', k=1) %}body{% endcall %}
            """])
        #expect(output == "\n[t:3:x,y:('k', 1):body]")
    }

    @Test func includeSeesLoopVariablesAndImportExportsMacros() throws {
        let output = try render([
            "item": "{{ loop is defined }}={{ x }};",
            "lib": "{% macro twice(v) %}{{ v }}{{ v }}{% endmacro %}{% set version = 3 %}",
            "main": "{% import 'lib' as lib %}{% from 'lib' import twice %}{% for x in 'ab' %}{% include 'item' %}{% endfor %}{{ lib.twice('z') }}{{ twice(lib.version) }}",
        ])
        #expect(output == "False=a;False=b;zz33")
    }

    @Test func recursiveLoopRendersTheTree() throws {
        let tree: Value = .list([
            .dict([("name", .string("a")), ("children", .list([.dict([("name", .string("b")), ("children", .list([]))])]))]),
        ])
        let output = try render(["main": "{% for n in tree recursive %}{{ loop.depth }}{{ n.name }}({{ loop(n.children) }}){% endfor %}"],
                                context: ["tree": tree])
        #expect(output == "1a(2b())")
    }

    @Test func undefinedVariableErrorNamesThePlace() throws {
        let error = try #require(renderError(["main": "line one\n  {{ user.name }}\n"]))
        #expect(error.kind == .undefined)
        #expect(error.message == "'user' is undefined")
        #expect(error.templateName == "main")
        #expect(error.location == Jinja.SourceLocation(line: 2, column: 6))
        #expect(error.lineText == "  {{ user.name }}")
        #expect(error.description == "main:2:6: error: 'user' is undefined\n      {{ user.name }}\n         ^")
    }

    @Test func lenientUndefinedPrintsNothingButAttributeAccessFails() throws {
        let lenient = EnvironmentOptions(undefined: .lenient)
        #expect(try render(["main": "[{{ missing }}]{% for x in missing %}x{% endfor %}"], options: lenient) == "[]")
        let error = try #require(renderError(["main": "{{ missing.attr }}"], options: lenient))
        #expect(error.kind == .undefined)
        #expect(error.message == "'missing' is undefined")
    }

    @Test func errorsInsideIncludesPointAtTheIncludedTemplate() throws {
        let error = try #require(renderError(["main": "a\n{% include 'part' %}", "part": "x\ny {{ 1 + 'a' }}"]))
        #expect(error.templateName == "part")
        #expect(error.location?.line == 2)
        #expect(error.kind == .type)
    }

    @Test func includeCycleFailsCleanly() throws {
        let error = try #require(renderError(["main": "{% include 'other' %}", "other": "{% include 'main' %}"]))
        #expect(error.kind == .recursion)
    }

    @Test func runawayMacroRecursionFailsCleanly() throws {
        let error = try #require(renderError(["main": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"]))
        #expect(error.kind == .recursion)
        #expect(error.location != nil)
    }

    @Test func outputLimitStopsARender() throws {
        let options = EnvironmentOptions(limits: RenderLimits(maxOutputBytes: 1000))
        let error = try #require(renderError(["main": "{% for i in range(10000) %}xxxxxxxxxx{% endfor %}"], options: options))
        #expect(error.kind == .limit)
    }

    @Test func iterationLimitStopsARender() throws {
        let options = EnvironmentOptions(limits: RenderLimits(maxLoopIterations: 100))
        let error = try #require(renderError(["main": "{% for i in range(50) %}{% for j in range(50) %}{% endfor %}{% endfor %}"], options: options))
        #expect(error.kind == .limit)
    }

    @Test func missingTemplateSaysSo() throws {
        let error = try #require(renderError(["main": "{% include 'nope.jinja' %}"]))
        #expect(error.kind == .notFound)
        #expect(error.message == "Template file not found: nope.jinja")
        #expect(try render(["main": "a{% include 'nope' ignore missing %}b"]) == "ab")
        #expect(try render(["main": "{% include ['nope', 'yes'] %}", "yes": "found"]) == "found")
    }

    @Test func autoescapeEscapesButNotMarkupOrMacroOutput() throws {
        let options = EnvironmentOptions(autoescape: .always)
        let output = try render(["main": "{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}{{ s }}|{{ s|safe }}|{{ b(s) }}"],
                                context: ["s": .string("<i>&")], options: options)
        #expect(output == "&lt;i&gt;&amp;|<i>&|<b>&lt;i&gt;&amp;</b>")
    }

    @Test func parallelRendersOfOneEnvironmentAgree() async throws {
        let environment = Environment(loader: DictionaryLoader([
            "main": "{% for i in items %}{{ i * 2 }},{% endfor %}{{ items|sum }}",
        ]))
        let items: Value = .list((0..<100).map { .int($0) })
        let expected = try environment.render("main", context: ["items": items])
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 {
                group.addTask { try environment.render("main", context: ["items": items]) }
            }
            for try await output in group { #expect(output == expected) }
        }
    }
}

@Suite struct UndefinedPlaceTests {
    @Test func anUndefinedUsedInAnotherTemplateIsReportedWhereItWasMissing() throws {
        let error = try #require(renderError([
            "main": "{% from 'lib' import show %}\nline two\n{{ show(user.nickname) }}",
            "lib": "{% macro show(v) %}[{{ v | upper }}]{% endmacro %}",
        ], context: ["user": .dict([("name", .string("Ana"))])]))
        #expect(error.kind == .undefined)
        #expect(error.message == "'dict object' has no attribute 'nickname'")
        #expect(error.templateName == "main")
        #expect(error.location?.line == 3)
        #expect(error.lineText == "{{ show(user.nickname) }}")
    }
}
