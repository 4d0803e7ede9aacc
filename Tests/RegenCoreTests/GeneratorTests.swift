import Documents
import Foundation
import Jinja
import Testing
@testable import RegenCore

@Suite struct GeneratorTests {
    @Test func templateFillSubstitutesDottedPathsAndLeavesTheRest() throws {
        let folder = try TemporaryFolder()
        try folder.write("templates/note.txt", "Hi {{ name }}, v{{spec.version}} {{ spec.items }} {{ spec.items.1 }} {{ a + b }}\n")
        try folder.write("data/spec.json", "{\"version\": 2.0, \"items\": [1, \"two\"], \"ok\": true}")
        try folder.write("configs/note.json", """
            {"generator": "template_fill", "template": "note.txt",
             "context": {"name": "Ada", "spec": {"source": "file", "path": "data/spec.json"}}}
            """)
        let project = try loadProject(folder)
        #expect(try render(project, "note").get() == "Hi Ada, v2.0 [1, 'two'] two {{ a + b }}\n")
    }

    @Test func templateFillRefusesAnUndefinedNameWhenStrict() throws {
        let folder = try TemporaryFolder()
        try folder.write("templates/note.txt", "line one\n  {{ missing.name }}\n")
        try folder.write("configs/note.json", "{\"generator\": \"template_fill\", \"template\": \"note.txt\"}")
        var project = try loadProject(folder)
        let error = try #require(render(project, "note").failure)
        #expect(error.message == "Render error in note.txt:2:3: 'missing.name' is undefined")
        #expect(error.file == "templates/note.txt")
        #expect(error.lineText == "  {{ missing.name }}")
        var lenient = project.settings
        lenient.undefined = .lenient
        project = try loadProject(folder, settings: lenient)
        #expect(try render(project, "note").get() == "line one\n  \n")
    }

    @Test func demonstrationFillsElementsFromTheContextAsChoraComposeDoes() throws {
        let folder = try TemporaryFolder()
        try folder.write("configs/onboarding.json", """
            {"type": "content", "id": "onboarding", "metadata": {"output_format": "markdown"},
             "elements": [{"name": "welcome", "example_output": "# Welcome, {{ who }}!"},
                          {"name": "tasks", "example_output": "- {{ task }}\\\\n- {{ unknown }}"}],
             "generation": {"patterns": [{"type": "demonstration",
               "template": "{{welcome}}\\\\n\\\\n{{ body }}\\\\n{{ tasks }}\\\\t{{ who }}",
               "variables": [{"name": "body", "source": "elements.1.example_output"}],
               "generation_config": {"context": {"who": "Ada", "task": "Read the guide"}}}]}}
            """)
        let project = try loadProject(folder)
        let text = try render(project, "onboarding").get()
        #expect(text == "# Welcome, Ada!\n\n- Read the guide\n- {{ unknown }}\n- Read the guide\n- {{ unknown }}\tAda")
        #expect(project.config(id: "onboarding")?.targets.first?.output == "onboarding.md")
    }

    @Test func demonstrationWithoutPatternJoinsTheElements() throws {
        let folder = try TemporaryFolder()
        try folder.write("configs/d.json", """
            {"generator": "demonstration", "context": {"n": 3},
             "elements": [{"name": "a", "example_output": "A{{ n }}"}, {"name": "b", "example_output": "B"}]}
            """)
        #expect(try render(try loadProject(folder), "d").get() == "A3\n\nB")
    }

    @Test func variantsMergeTheirContextOverTheConfigs() throws {
        let folder = try TemporaryFolder()
        try folder.write("templates/t.txt", "{{ team.name }}/{{ team.lead }}/{{ period }}")
        try folder.write("configs/r.json", """
            {"generator": "template_fill", "template": "t.txt",
             "context": {"period": "Oct", "team": {"name": "?", "lead": "Grace"}},
             "variants": [{"context": {"team": {"name": "Eng"}}, "output": "eng.txt"}]}
            """)
        let project = try loadProject(folder)
        let config = try #require(project.config(id: "r"))
        #expect(try RenderSession(project: project).render(config, target: config.targets[0]) == "Eng/Grace/Oct")
    }

    @Test func theItemErrorsSayWhatDesignMDSays() throws {
        let folder = try TemporaryFolder()
        try folder.write("configs/missing.json", "{\"template\": \"missing.jinja\"}")
        try folder.write("configs/fill.json", "{\"generator\": \"template_fill\", \"template\": \"missing.jinja\"}")
        try folder.write("templates/t.txt", "{{ title }}")
        try folder.write("configs/required.json", "{\"generator\": \"template_fill\", \"template\": \"t.txt\", \"required_context\": [\"title\"]}")
        try folder.write("configs/data.json", "{\"generator\": \"template_fill\", \"template\": \"t.txt\", \"context\": {\"x\": {\"source\": \"file\", \"path\": \"data/none.json\"}}}")
        let project = try loadProject(folder)
        #expect(render(project, "missing").failure?.message == "Template file not found: missing.jinja")
        #expect(render(project, "missing").failure?.mark == Mark(line: 1, column: 14))
        #expect(render(project, "fill").failure?.message == "Template file not found: missing.jinja")
        #expect(render(project, "required").failure?.message == "Missing required context field: 'title'")
        #expect(render(project, "data").failure?.message == "Data file not found: data/none.json")
    }

    @Test func templateErrorsAreSyntaxOrRenderErrorsWithTheirPlace() throws {
        let folder = try TemporaryFolder()
        try folder.write("configs/api.json", "{\"template\": \"api.md.jinja\"}")
        let project = try loadProject(folder)
        let session = RenderSession(project: project)
        let config = try #require(project.config(id: "api"))
        let syntax = TemplateError(.syntax, "unexpected '}'", templateName: "api.md.jinja",
                                   location: SourceLocation(line: 12, column: 5), lineText: "{{ x }")
        let diagnostic = session.diagnostic(for: syntax, config: config)
        #expect(diagnostic.message == "Syntax error in api.md.jinja:12:5: unexpected '}'")
        #expect(diagnostic.description.hasPrefix("templates/api.md.jinja:12:5: error: Syntax error in api.md.jinja:12:5:"))
        let undefined = TemplateError(.undefined, "'title' is undefined", templateName: "partials/x.jinja",
                                      location: SourceLocation(line: 2, column: 4))
        #expect(session.diagnostic(for: undefined, config: config).message
                == "Render error in partials/x.jinja:2:4: 'title' is undefined")
    }

    @Test func aSyntaxErrorInARealTemplateIsReported() throws {
        // Needs the template parser (lands with the engine's merge).
        let folder = try TemporaryFolder()
        try folder.write("templates/api.md.jinja", String(repeating: "line\n", count: 11) + "    {% if %}\n")
        try folder.write("configs/api.json", "{\"template\": \"api.md.jinja\"}")
        let error = try #require(render(try loadProject(folder), "api").failure)
        #expect(error.message.hasPrefix("Syntax error in api.md.jinja:12:"))
        #expect(error.file == "templates/api.md.jinja")
    }

    @Test func dataFilesLinkedFromOutsideAreRefused() throws {
        let outside = try TemporaryFolder()
        try outside.write("secret.json", "{\"password\": \"x\"}")
        let folder = try TemporaryFolder()
        try folder.write("templates/t.txt", "{{ d }}")
        try folder.write("configs/c.json", "{\"generator\": \"template_fill\", \"template\": \"t.txt\", \"context\": {\"d\": {\"source\": \"file\", \"path\": \"data/link.json\"}}}")
        try FileManager.default.createDirectory(atPath: folder.path + "/data", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/data/link.json", withDestinationPath: outside.path + "/secret.json")
        #expect(render(try loadProject(folder), "c").failure?.message == "the data file data/link.json is a link that leads outside the project")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
