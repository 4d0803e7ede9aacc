import Documents
import Testing
@testable import RegenCore

@Suite struct ContentConfigTests {
    @Test func aFullConfigIsRead() throws {
        let page = try config("""
            {"id": "endpoint-users", "generator": "jinja2", "template": "api-endpoint.md.jinja",
             "context": {"title": "Users", "spec": {"source": "file", "path": "data/users.yaml"}},
             "required_context": ["title", "spec"], "output": "api-docs/endpoint-users.md", "priority": "high",
             "variants": [{"context": {"language": "es"}, "output": "guides/user-guide-es.md"}]}
            """)
        #expect(page.id == "endpoint-users")
        #expect(page.generator == .jinja2)
        #expect(page.template == "api-endpoint.md.jinja")
        #expect(page.requiredContext == ["title", "spec"])
        #expect(page.priority == .high)
        #expect(page.targets.map(\.output) == ["api-docs/endpoint-users.md", "guides/user-guide-es.md"])
        #expect(page.targets.map(\.variant) == [nil, 0])
    }

    @Test func theIDDefaultsToTheFileStemAndTheOutputToTheTemplatesExtension() throws {
        let page = try config("{\"template\": \"pages/about.md.jinja\"}", file: "configs/site/about-us.yaml")
        #expect(page.id == "about-us")
        #expect(page.generator == .jinja2)
        #expect(page.targets.map(\.output) == ["about-us.md"])
    }

    @Test func aConfigWithOnlyVariantsWritesOnlyTheVariants() throws {
        let report = try config("""
            {"template": "r.md.jinja", "variants": [{"context": {"team": "a"}, "output": "a.md"},
                                                     {"context": {"team": "b"}, "output": "b.md"}]}
            """)
        #expect(report.targets.map(\.output) == ["a.md", "b.md"])
    }

    @Test func choraComposeConfigsAreReadAsTheyAre() throws {
        let chora = try config("""
            {"type": "content", "id": "readme-intro", "metadata": {"output_format": "markdown"},
             "elements": [{"name": "intro", "example_output": "Hello {{ who }}"}],
             "generation": {"patterns": [{"id": "p", "type": "demonstration", "template": "{{intro}}",
               "variables": [{"name": "intro", "source": "elements.intro.example_output"}],
               "generation_config": {"context": {"who": "world"}}}]}}
            """, file: "configs/chora/readme.json")
        #expect(chora.isChoraCompose)
        #expect(chora.id == "readme-intro")
        #expect(chora.generator == .demonstration)
        #expect(chora.inlineTemplate == "{{intro}}")
        #expect(chora.elements.map(\.name) == ["intro"])
        #expect(chora.context["who"]?.stringValue == "world")
        #expect(chora.targets.map(\.output) == ["readme-intro.md"])
        let jinja = try config("""
            {"type": "content", "id": "daily", "metadata": {"output_format": "html"},
             "generation": {"patterns": [{"type": "jinja2", "template": "daily.html.j2"}]}}
            """)
        #expect(jinja.template == "daily.html.j2")
        #expect(jinja.targets.map(\.output) == ["daily.html"])
    }

    @Test(arguments: [
        ("{\"id\": \"Bad_ID\"}", "'id' must match ^[a-z][a-z0-9-]*$ (lower-case letters, digits and '-'), not 'Bad_ID'"),
        ("{\"id\": 5}", "'id' must be a string, not an integer"),
        ("{\"generator\": \"jinja3\", \"template\": \"a\"}", "'generator' must be one of 'jinja2', 'demonstration', 'template_fill', 'command', not 'jinja3'; did you mean 'jinja2'?"),
        ("{\"generator\": \"template_fill\"}", "the template_fill generator needs a 'template'"),
        ("{\"template\": \"../secret.txt\"}", "'template' must name a file inside the template folder; '../secret.txt' leaves its folder ('..')"),
        ("{\"template\": \"/etc/passwd\"}", "'template' must name a file inside the template folder; '/etc/passwd' is an absolute path"),
        ("{\"template\": \"a\", \"output\": \"../../etc/x\"}", "'output' must stay inside the output folder; '../../etc/x' leaves its folder ('..')"),
        ("{\"template\": \"a\", \"output\": \"/tmp/x\"}", "'output' must stay inside the output folder; '/tmp/x' is an absolute path"),
        ("{\"template\": \"a\", \"output\": \"\"}", "'output' must stay inside the output folder; '' is not a usable path"),
        ("{\"template\": \"a\", \"output\": 42}", "'output' must be a string, not an integer"),
        ("{\"template\": \"a\", \"outptu\": \"x.md\"}", "unknown key 'outptu'; did you mean 'output'?"),
        ("{\"template\": \"a\", \"context\": [1]}", "'context' must be a mapping, not a list"),
        ("{\"template\": \"a\", \"context\": {\"d\": {\"source\": \"file\", \"path\": \"../outside.json\"}}}", "the data file path '../outside.json' leaves its folder ('..'); data files must be inside the project"),
        ("{\"template\": \"a\", \"context\": {\"d\": {\"source\": \"file\", \"path\": \"/etc/passwd\"}}}", "the data file path '/etc/passwd' is an absolute path; data files must be inside the project"),
        ("{\"template\": \"a\", \"context\": {\"d\": {\"source\": \"file\"}}}", "a file context value needs a 'path': {\"source\": \"file\", \"path\": \"data/x.yaml\"}"),
        ("{\"template\": \"a\", \"required_context\": \"title\"}", "'required_context' must be a list of strings, not a string"),
        ("{\"template\": \"a\", \"required_context\": [\"title\", 3]}", "'required_context[1]' must be a string, not an integer"),
        ("{\"template\": \"a\", \"priority\": \"urgent\"}", "'priority' must be one of 'high', 'medium', 'low', not 'urgent'"),
        ("{\"template\": \"a\", \"variants\": {\"output\": \"x\"}}", "'variants' must be a list, not a mapping"),
        ("{\"template\": \"a\", \"variants\": [{\"context\": {}}]}", "'variants[0]' needs its own 'output'"),
        ("{\"template\": \"a\", \"variants\": [{\"output\": \"../x.md\"}]}", "'variants[0].output' must stay inside the output folder; '../x.md' leaves its folder ('..')"),
        ("{\"template\": \"a\", \"variants\": [{\"output\": \"x.md\", \"contxt\": {}}]}", "unknown key 'contxt' in 'variants[0]'; did you mean 'context'?"),
        ("{\"generator\": \"command\"}", "the command generator needs a 'command': [\"prog\", \"arg\", ...]"),
        ("{\"generator\": \"command\", \"command\": []}", "'command' must name a program: [\"prog\", \"arg\", ...]"),
        ("{\"generator\": \"demonstration\"}", "the demonstration generator needs 'elements' with 'example_output'"),
        ("{\"type\": \"artifact\", \"id\": \"x\"}", "only Chora Compose content configs (\"type\": \"content\") can be built, not 'artifact'"),
        ("{\"type\": \"content\", \"id\": \"x\"}", "a Chora Compose config needs 'generation.patterns' with at least one pattern"),
        ("[1, 2]", "the top level must be a mapping, not a list"),
    ])
    func badFieldsAreErrorsThatNameThePlace(_ text: String, _ message: String) throws {
        let error = try #require(configError(text))
        #expect(error.message == message)
        #expect(error.file == "configs/page.json")
        #expect(error.mark != nil)
    }

    @Test func aFileNameThatIsNoIDNeedsAnID() throws {
        let error = try #require(configError("{\"template\": \"a\"}", file: "configs/My Page.json"))
        #expect(error.message == "the file name 'My Page' is not a valid id (^[a-z][a-z0-9-]*$); give the config an 'id'")
    }
}
