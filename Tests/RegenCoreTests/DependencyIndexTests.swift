import Foundation
import Testing
@testable import RegenCore

/// A project whose templates are layered: layout → section → partial → macro library.
private func layeredProject() throws -> TemporaryFolder {
    let folder = try TemporaryFolder()
    try folder.write("templates/lib/macros.jinja", "{% macro badge(x) %}[{{ x }}]{% endmacro %}")
    try folder.write("templates/partials/params.jinja", "{% import 'lib/macros.jinja' as m %}{{ m.badge(title) }}")
    try folder.write("templates/partials/footer.jinja", "{% from 'lib/macros.jinja' import badge %}-- {{ badge('end') }}")
    try folder.write("templates/sections/body.jinja", "{% include 'partials/params.jinja' %}")
    try folder.write("templates/layouts/base.jinja", "{% block main %}{% endblock %}{% include ['partials/footer.jinja'] %}")
    try folder.write("templates/api.jinja", "{% extends 'layouts/base.jinja' %}{% block main %}{% include 'sections/body.jinja' %}{% endblock %}")
    try folder.write("templates/plain.jinja", "{{ title }}")
    try folder.write("templates/note.txt", "{{ title }}")
    try folder.write("data/users.yaml", "name: users\n")
    try folder.write("configs/users.json", """
        {"template": "api.jinja", "context": {"title": "Users", "spec": {"source": "file", "path": "data/users.yaml"}}}
        """)
    try folder.write("configs/posts.json", "{\"template\": \"api.jinja\", \"context\": {\"title\": \"Posts\"}}")
    try folder.write("configs/plain.json", "{\"template\": \"plain.jinja\", \"context\": {\"title\": \"P\"}}")
    try folder.write("configs/note.json", "{\"generator\": \"template_fill\", \"template\": \"note.txt\", \"context\": {\"title\": \"N\"}}")
    return folder
}

@Suite struct DependencyIndexTests {
    @Test func aMacroLibraryAtTheBottomOfALayeredTreeReachesEveryConfigAboveIt() throws {
        let folder = try layeredProject()
        let index = DependencyIndex.build(project: try loadProject(folder))
        #expect(index.dependents(ofPath: "templates/lib/macros.jinja") == ["posts", "users"])
        #expect(index.dependents(ofPath: "templates/partials/params.jinja") == ["posts", "users"])
        #expect(index.dependents(ofPath: "templates/layouts/base.jinja") == ["posts", "users"])
        #expect(index.dependents(ofPath: "templates/plain.jinja") == ["plain"])
        #expect(index.dependents(ofPath: "templates/note.txt") == ["note"])
        #expect(index.dependents(ofPath: "data/users.yaml") == ["users"])
        #expect(index.dependents(ofPath: "configs/posts.json") == ["posts"])
        #expect(index.dependents(ofPath: "watch.yaml") == ["note", "plain", "posts", "users"])
        #expect(index.dependents(ofPath: "templates/unused.jinja") == [])
    }

    @Test func whyGivesTheShortestChainFromTheConfigDownToTheFile() throws {
        let folder = try layeredProject()
        let index = DependencyIndex.build(project: try loadProject(folder))
        let chains = index.why("templates/lib/macros.jinja")
        #expect(chains.map(\.id) == ["posts", "users"])
        // Two chains lead there (through the footer and through params); the footer's is shorter.
        #expect(chains[0].chain == ["api.jinja", "layouts/base.jinja", "partials/footer.jinja", "lib/macros.jinja"])
        #expect(index.why("data/users.yaml").map { [$0.id] + $0.chain } == [["users", "data/users.yaml"]])
    }

    @Test func aConfigsInputsAreItsFileItsWholeChainAndItsDataFiles() throws {
        let folder = try layeredProject()
        let index = DependencyIndex.build(project: try loadProject(folder))
        let inputs = try #require(index.inputs(ofConfig: "users"))
        #expect(Set(inputs.paths) == ["configs/users.json", "templates/api.jinja", "templates/layouts/base.jinja",
                                      "templates/sections/body.jinja", "templates/partials/params.jinja",
                                      "templates/partials/footer.jinja", "templates/lib/macros.jinja", "data/users.yaml"])
        // template_fill reads its file as text: what it seems to include is not read.
        #expect(index.inputs(ofConfig: "note")?.paths == ["configs/note.json", "templates/note.txt"])
    }

    @Test func aMissingTemplateIsRecordedAndCreatingItFindsItsConfigs() throws {
        let folder = try layeredProject()
        try folder.write("templates/partials/params.jinja", "{% include 'partials/later.jinja' ignore missing %}")
        var index = DependencyIndex.build(project: try loadProject(folder))
        #expect(index.dependents(ofPath: "templates/partials/later.jinja") == ["posts", "users"])
        try folder.write("templates/partials/later.jinja", "{% include 'partials/deeper.jinja' %}")
        #expect(index.update(changedPaths: ["templates/partials/later.jinja"]) == ["posts", "users"])
        #expect(index.dependents(ofPath: "templates/partials/deeper.jinja") == ["posts", "users"])
    }

    @Test func aNameComputedAtRenderTimeMakesTheConfigDependOnEveryTemplate() throws {
        let folder = try layeredProject()
        try folder.write("templates/plain.jinja", "{% include name ~ '.jinja' %}")
        let index = DependencyIndex.build(project: try loadProject(folder))
        #expect(index.dependents(ofPath: "templates/anything/new.jinja") == ["plain"])
        #expect(index.dependents(ofPath: "templates/lib/macros.jinja") == ["plain", "posts", "users"])
        #expect(index.inputs(ofConfig: "plain")?.paths.last == "templates/**")
        #expect(index.why("templates/x.jinja").first?.chain.last?.contains("named at render time") == true)
    }

    @Test func includeCyclesEndAndEveryTemplateInTheCycleReachesTheConfig() throws {
        let folder = try TemporaryFolder()
        try folder.write("templates/a.jinja", "{% if deep %}{% include 'b.jinja' %}{% endif %}")
        try folder.write("templates/b.jinja", "{% include 'c.jinja' %}")
        try folder.write("templates/c.jinja", "{% include 'a.jinja' %}{% include 'c.jinja' %}")
        try folder.write("configs/x.json", "{\"template\": \"a.jinja\"}")
        let index = DependencyIndex.build(project: try loadProject(folder))
        #expect(index.dependents(ofPath: "templates/c.jinja") == ["x"])
        #expect(index.inputs(ofConfig: "x")?.templates.count == 3)
    }

    @Test func aChangedTemplateIsReadAloneAndOnlyItsOwnEdgesChange() throws {
        let folder = try layeredProject()
        var index = DependencyIndex.build(project: try loadProject(folder))
        // The section stops including params and includes a new partial instead.
        try folder.write("templates/sections/body.jinja", "{% include 'partials/other.jinja' %}")
        try folder.write("templates/partials/other.jinja", "other")
        #expect(index.update(changedPaths: ["templates/sections/body.jinja"]) == ["posts", "users"])
        #expect(index.dependents(ofPath: "templates/partials/params.jinja") == [])
        #expect(index.dependents(ofPath: "templates/partials/other.jinja") == ["posts", "users"])
        // The macro library is still reached through the footer.
        #expect(index.dependents(ofPath: "templates/lib/macros.jinja") == ["posts", "users"])
    }

    @Test func aRenamedTemplateLeavesItsConfigsOnTheOldNameAndAChangedConfigMovesToTheNewOne() throws {
        let folder = try layeredProject()
        var index = DependencyIndex.build(project: try loadProject(folder))
        try FileManager.default.moveItem(atPath: folder.path + "/templates/plain.jinja", toPath: folder.path + "/templates/simple.jinja")
        #expect(index.update(changedPaths: ["templates/plain.jinja", "templates/simple.jinja"]) == ["plain"])
        try folder.write("configs/plain.json", "{\"id\": \"simple\", \"template\": \"simple.jinja\"}")
        #expect(index.update(changedPaths: ["configs/plain.json"]) == ["plain", "simple"])
        #expect(index.dependents(ofPath: "templates/simple.jinja") == ["simple"])
        #expect(index.dependents(ofPath: "templates/plain.jinja") == [])
        try FileManager.default.removeItem(atPath: folder.path + "/configs/plain.json")
        #expect(index.update(changedPaths: ["configs/plain.json"]) == ["simple"])
        #expect(index.dependents(ofPath: "templates/simple.jinja") == [])
    }

    @Test func aTemplateThatDoesNotParseNamesNothingUntilItIsFixed() throws {
        let folder = try layeredProject()
        try folder.write("templates/sections/body.jinja", "{% include 'partials/params.jinja' %}{% if %}")
        var index = DependencyIndex.build(project: try loadProject(folder))
        #expect(index.dependents(ofPath: "templates/sections/body.jinja") == ["posts", "users"])
        try folder.write("templates/sections/body.jinja", "{% include 'partials/params.jinja' %}")
        _ = index.update(changedPaths: ["templates/sections/body.jinja"])
        #expect(index.dependents(ofPath: "templates/partials/params.jinja") == ["posts", "users"])
    }
}
