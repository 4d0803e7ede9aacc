import Dispatch
import Documents
import Jinja

/// What the renders of one build share: the project, one template environment (each template is
/// parsed once per build) and the data files read so far. (How many renders and programs run at
/// once is the executor's business: `Executor`.)
final class RenderSession: Sendable {
    let project: Project
    let environment: Environment
    let dataFiles: DataFiles

    init(project: Project) {
        self.project = project
        environment = Environment(loader: FileSystemLoader(root: project.templateRoot),
                                  options: project.settings.environmentOptions)
        dataFiles = DataFiles(project: project)
    }

    /// The content of one output of `config`. `extra` (from `regen preview --context`, a batch
    /// operation's `context`) is merged over everything else. `cancellation` stops a template
    /// render at its next check and kills a command's process group; without one, a command
    /// still ends after `batch.item_timeout_s`.
    func render(_ config: ContentConfig, target: ContentConfig.Target, extra: Document? = nil,
                cancellation: RenderCancellation? = nil) throws(Diagnostic) -> String {
        let context = try self.context(for: config, target: target, extra: extra)
        switch config.generator {
        case .jinja2: return try JinjaGenerator.render(config, context: context, in: self, cancellation: cancellation)
        case .demonstration: return try DemonstrationGenerator.render(config, context: context, in: self)
        case .templateFill: return try TemplateFillGenerator.render(config, context: context, in: self)
        case .command: return try CommandGenerator.render(config, context: context, in: self, cancellation: cancellation)
        }
    }

    /// The config's context, files read, the variant's merged over it, then `extra`; every
    /// required field checked.
    func context(for config: ContentConfig, target: ContentConfig.Target, extra: Document?) throws(Diagnostic) -> Document {
        var context = try dataFiles.resolve(config.context, in: config.source)
        if let variant = target.context {
            context = context.merged(with: try dataFiles.resolve(variant, in: config.source))
        }
        if let extra { context = context.merged(with: extra) }
        for field in config.requiredContext {
            switch context.lookup(field) {
            case nil, .null?:
                throw Diagnostic(file: config.file, "Missing required context field: '\(field)'")
            default:
                continue
            }
        }
        return context
    }

    /// The text of a template file, read through the environment's loader so that the same
    /// rules apply as for Jinja2 templates (nothing outside the template folder).
    func templateText(_ config: ContentConfig) throws(Diagnostic) -> String {
        guard let name = config.template else { return "" }
        do {
            guard let loader = environment.loader else { throw TemplateError(.notFound, "Template file not found: \(name)") }
            return try loader.load(name).text
        } catch {
            throw diagnostic(for: error, config: config)
        }
    }

    /// A template engine error in the words of DESIGN.md, placed where the user must look.
    func diagnostic(for error: any Error, config: ContentConfig) -> Diagnostic {
        guard let error = error as? TemplateError else { return Diagnostic(any: error, file: config.file) }
        guard let location = error.location else {
            // No place in a template: the config's own template is missing or unreadable.
            let mark = config.templateMark ?? config.idMark
            return config.source.error(at: mark, error.message)
        }
        let name = error.templateName ?? config.template ?? "<template>"
        let file = ProjectPath.join(project.settings.templates, name)
        let mark = Mark(line: location.line, column: location.column)
        let place = "\(name):\(location.line):\(location.column)"
        let message: String
        switch error.kind {
        case .notFound: message = error.message
        case .syntax, .assertion: message = "Syntax error in \(place): \(error.message)"
        default: message = "Render error in \(place): \(error.message)"
        }
        return Diagnostic(file: file, mark: mark, lineText: error.lineText, message)
    }
}
