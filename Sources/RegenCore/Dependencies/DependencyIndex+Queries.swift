/// Reverse lookups: who depends on a file, and why.
extension DependencyIndex {
    /// The ids of the configs whose output can change when the file at `relative` (a path
    /// relative to the project root) changes, is created or is deleted; sorted.
    func dependents(ofPath relative: String) -> [String] {
        ids(dependentNumbers(ofPath: relative))
    }

    /// The ids of the configs that read template `name` (relative to the template root).
    func dependents(ofTemplate name: String) -> [String] {
        guard let name = Self.normalizedName(name) else { return [] }
        return ids(templateDependents(name))
    }

    var allConfigIDs: [String] { configs.compactMap { $0?.id }.sorted() }

    func dependentNumbers(ofPath relative: String) -> Set<Int> {
        if relative == Project.settingsFile {
            return Set(configs.indices.filter { configs[$0] != nil })
        }
        var found: Set<Int> = []
        if let number = configByFile[relative] { found.insert(number) }
        if let users = fileUsers[relative] { found.formUnion(users) }
        if let name = templateName(forPath: relative) { found.formUnion(templateDependents(name)) }
        return found
    }

    /// Configs reached by walking up from template `name` through its includers; those whose
    /// chain names a template at render time (any template may be the one).
    private func templateDependents(_ name: String) -> Set<Int> {
        var found: Set<Int> = []
        if let start = templateByName[name] {
            found.formUnion(templates[start].textUsers)
            walkUp(from: start) { number, _ in found.formUnion(templates[number].chainUsers) }
        }
        for dynamic in dynamicTemplates {
            walkUp(from: dynamic) { number, _ in found.formUnion(templates[number].chainUsers) }
        }
        return found
    }

    /// Breadth first from `start` to every template that includes, extends or imports it, at any
    /// depth; `visit` gets each template once with the one it was reached from (nil for
    /// `start`). Include cycles end because each template is visited once.
    func walkUp(from start: Int, _ visit: (Int, Int?) -> Void) {
        var seen: Set<Int> = [start]
        var queue = [start]
        var head = 0
        visit(start, nil)
        while head < queue.count {
            let current = queue[head]
            head += 1
            for parent in templates[current].parents where seen.insert(parent).inserted {
                visit(parent, current)
                queue.append(parent)
            }
        }
    }

    private func ids(_ numbers: Set<Int>) -> [String] {
        numbers.compactMap { configs[$0]?.id }.sorted()
    }

    // MARK: Why

    /// For each config that depends on the file at `relative`, the shortest chain that leads to
    /// it, as `regen deps --why` prints it: `endpoint-users ← api-endpoint.md.jinja ←
    /// partials/params.jinja`.
    func why(_ relative: String) -> [(id: String, chain: [String])] {
        var chains: [Int: [String]] = [:]
        if relative == Project.settingsFile {
            for number in configs.indices where configs[number] != nil { chains[number] = [relative] }
        }
        if let number = configByFile[relative] { chains[number] = [relative] }
        for number in fileUsers[relative] ?? [] where chains[number] == nil { chains[number] = [relative] }
        if let name = templateName(forPath: relative) {
            if let start = templateByName[name] {
                for user in templates[start].textUsers where chains[user] == nil { chains[user] = [name] }
                var next: [Int: Int] = [:]
                walkUp(from: start) { number, from in
                    if let from { next[number] = from }
                    for user in templates[number].chainUsers where chains[user] == nil {
                        chains[user] = path(from: number, through: next)
                    }
                }
            }
            for dynamic in dynamicTemplates.sorted() {
                var next: [Int: Int] = [:]
                walkUp(from: dynamic) { number, from in
                    if let from { next[number] = from }
                    for user in templates[number].chainUsers where chains[user] == nil {
                        chains[user] = path(from: number, through: next) + ["(a template named at render time: any of \(templateFolder)/)"]
                    }
                }
            }
        }
        return chains.compactMap { number, chain in configs[number].map { ($0.id, chain) } }.sorted { $0.id < $1.id }
    }

    /// Template names from `number` down to the start of a walk.
    private func path(from number: Int, through next: [Int: Int]) -> [String] {
        var names = [templates[number].name]
        var current = number
        while let child = next[current] {
            names.append(templates[child].name)
            current = child
        }
        return names
    }

    // MARK: What a config reads

    /// Everything a config reads, as paths relative to the project root.
    struct ConfigInputs: Sendable, Equatable {
        var configFile: String
        /// The template and, for jinja2, every template its chain can reach, with whether each
        /// exists.
        var templates: [(path: String, exists: Bool)]
        /// Templates in the chain whose include, extends or import name is computed at render
        /// time: the config then reads any file under the template root.
        var dynamicIn: [String]
        /// Data files and a command's program.
        var files: [String]
        var templateFolder: String

        static func == (a: ConfigInputs, b: ConfigInputs) -> Bool {
            a.configFile == b.configFile && a.templates.map(\.path) == b.templates.map(\.path)
                && a.templates.map(\.exists) == b.templates.map(\.exists) && a.dynamicIn == b.dynamicIn
                && a.files == b.files
        }

        /// Every path whose digest decides whether the config is out of date; `templates/**`
        /// stands for the whole template root.
        var paths: [String] {
            [configFile] + templates.map(\.path) + files + (dynamicIn.isEmpty ? [] : [templateFolder + FileTable.everything])
        }
    }

    func inputs(ofConfig id: String) -> ConfigInputs? {
        guard let number = configByID[id], let node = configs[number] else { return nil }
        var inputs = ConfigInputs(configFile: node.file, templates: [], dynamicIn: [], files: node.files,
                                  templateFolder: templateFolder)
        guard let template = node.template else { return inputs }
        var reached: [Int] = [template]
        if node.followsReferences {
            var seen: Set<Int> = [template]
            var head = 0
            while head < reached.count {
                let current = reached[head]
                head += 1
                for child in templates[current].children where seen.insert(child).inserted { reached.append(child) }
            }
        }
        for number in reached {
            let node = templates[number]
            inputs.templates.append((templatePath(node.name), node.status != .missing))
            if node.isDynamic, node.status == .parsed { inputs.dynamicIn.append(node.name) }
        }
        return inputs
    }
}
