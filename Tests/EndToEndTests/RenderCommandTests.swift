import Foundation
import Testing

/// `regen render` run as a user runs it. The expected outputs were produced by Jinja2 3.1.6 with
/// `Environment(loader=FileSystemLoader(DIR), undefined=StrictUndefined, keep_trailing_newline=True)`
/// on the same files and contexts.
@Suite struct RenderCommandTests {
    static func project() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("tpl/page.md.jinja", """
            {% extends "base.md.jinja" %}
            {% from "partials/macros.jinja" import item %}
            {% block body %}
            {% for k, v in data.items() %}{{ item(k, v) }}
            {% endfor %}
            Total: {{ data.values() | sum }} ({{ "%.1f" | format(ratio) }})
            {% endblock %}

            """)
        try sandbox.write("tpl/base.md.jinja", """
            # {{ title | title }}
            {% block body %}{% endblock %}
            -- {{ who | default("nobody") }}

            """)
        try sandbox.write("tpl/partials/macros.jinja", """
            {% macro item(name, value) %}- **{{ name }}**: {{ value }}{% endmacro %}

            """)
        try sandbox.write("ctx.json", #"{"title": "monthly report", "data": {"zeta": 3, "alpha": 1, "mid": 2}, "ratio": 0.25}"#)
        try sandbox.write("ctx.yaml", "who: \"Ana\"\nratio: 0.5\n")
        return sandbox
    }

    @Test func rendersWhatJinja2RendersKeepingTheContextsKeyOrder() throws {
        let sandbox = try Self.project()
        let result = try RegenProcess.run(["render", "tpl/page.md.jinja", "--context", "ctx.json"], in: sandbox.path)
        #expect(result.status == 0, "\(result.all)")
        #expect(result.output == "# Monthly Report\n\n- **zeta**: 3\n- **alpha**: 1\n- **mid**: 2\n\nTotal: 6 (0.2)\n\n-- nobody\n")
    }

    @Test func contextFilesMergeInOrderAndVarsComeLast() throws {
        let sandbox = try Self.project()
        let result = try RegenProcess.run(["render", "tpl/page.md.jinja", "--context", "ctx.json", "--context", "ctx.yaml",
                                           "--var", "title=override"], in: sandbox.path)
        #expect(result.status == 0, "\(result.all)")
        #expect(result.output == "# Override\n\n- **zeta**: 3\n- **alpha**: 1\n- **mid**: 2\n\nTotal: 6 (0.5)\n\n-- Ana\n")
    }

    @Test func anUndefinedVariableExitsOneWithThePlace() throws {
        let sandbox = try Self.project()
        let result = try RegenProcess.run(["render", "tpl/page.md.jinja"], in: sandbox.path)
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        // The place is the missing name itself, though the error arises in the filter that used it.
        #expect(result.errors.hasPrefix("tpl/base.md.jinja:1:6: error: 'title' is undefined\n"), "\(result.errors)")
        #expect(result.errors.contains("\n    # {{ title | title }}\n         ^"), "\(result.errors)")
    }

    @Test func lenientUndefinedPrintsNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.write("t.txt", "[{{ missing }}]\n")
        let result = try RegenProcess.run(["render", "t.txt", "--undefined", "lenient"], in: sandbox.path)
        #expect(result.status == 0, "\(result.all)")
        #expect(result.output == "[]\n")
    }

    @Test func aSyntaxErrorNamesTheFileLineAndColumn() throws {
        let sandbox = try Sandbox()
        try sandbox.write("bad.jinja", "ok\n{% for x in items %}\n{{ x }")
        let result = try RegenProcess.run(["render", "bad.jinja"], in: sandbox.path)
        #expect(result.status == 1)
        #expect(result.errors.hasPrefix("bad.jinja:3:"), "\(result.errors)")
        #expect(!result.crashed)
    }

    @Test(arguments: [
        (["render"], "missing TEMPLATE"),
        (["render", "a", "b"], "expected one TEMPLATE"),
        (["render", "t.txt", "--undefined", "sometimes"], "--undefined takes strict or lenient"),
        (["render", "t.txt", "--var", "novalue"], "--var takes KEY=VALUE"),
        (["render", "t.txt", "--bogus"], "unknown option '--bogus'"),
        (["render", "t.txt", "--templates", "elsewhere"], "is not inside the template folder"),
    ])
    func usageErrorsExitTwo(arguments: [String], message: String) throws {
        let sandbox = try Sandbox()
        try sandbox.write("t.txt", "x\n")
        let result = try RegenProcess.run(arguments, in: sandbox.path)
        #expect(result.status == 2, "\(result.all)")
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    @Test func aMissingTemplateOrContextFileIsAClearError() throws {
        let sandbox = try Sandbox()
        try sandbox.write("t.txt", "x\n")
        let missing = try RegenProcess.run(["render", "nope.jinja"], in: sandbox.path)
        #expect(missing.status == 1)
        #expect(missing.errors.contains("nope.jinja: error: Template file not found: nope.jinja"), "\(missing.errors)")
        try sandbox.write("broken.json", "{\"a\": 1,}")
        let broken = try RegenProcess.run(["render", "t.txt", "--context", "broken.json"], in: sandbox.path)
        #expect(broken.status == 2)
        #expect(broken.errors.hasPrefix("broken.json:1:9: error:"), "\(broken.errors)")
    }
}
