import Foundation
import Yams

/// One test case: variables for the template, the language it is written in, and extra assertions.
public struct EvalCase: Sendable, Hashable, Codable {
    /// Unique within the suite.
    public var id: String
    /// The case's language; it runs only against prompts of the same primary language. nil: every prompt.
    public var language: String?
    /// Template variables.
    public var vars: [String: String]
    /// Assertions for this case in addition to the suite's defaults.
    public var assertions: [CriterionSpec]
    /// The guard decision this case expects (block, escalate, redact), when a guard should fire.
    public var expectGuard: String?
    /// Free tags (warning-sign, self-harm, ...).
    public var tags: [String]
    /// Where it is written.
    public var location: SourceLocation

    /// Creates a case.
    public init(
        id: String, language: String? = nil, vars: [String: String], assertions: [CriterionSpec] = [],
        expectGuard: String? = nil, tags: [String] = [], location: SourceLocation
    ) {
        self.id = id
        self.language = language
        self.vars = vars
        self.assertions = assertions
        self.expectGuard = expectGuard
        self.tags = tags
        self.location = location
    }

    /// The user's message, by convention the `user_message` variable.
    public var userMessage: String { vars["user_message"] ?? vars.values.sorted().first ?? "" }
}

/// How a suite picks candidate prompts: a reference, or a filter over the repository.
public enum PromptSelector: Sendable, Hashable, Codable {
    /// `id`, `id@version` or `id@label`.
    case reference(PromptReference)
    /// The latest version of every prompt matching all given fields.
    case filter(language: String?, persona: String?, tag: String?)
}

/// The gate's numbers.
public struct SuiteThresholds: Sendable, Hashable, Codable {
    /// Share of items that must pass (errors count as failures).
    public var passRate: Double
    /// Share of items that may fail with a provider error before the run is an infrastructure failure.
    public var maxErrorRatio: Double
    /// A drop larger than this against the baseline is a regression.
    public var tolerance: Double

    /// Creates thresholds.
    public init(passRate: Double = 0.8, maxErrorRatio: Double = 0.1, tolerance: Double = 0.05) {
        self.passRate = passRate
        self.maxErrorRatio = maxErrorRatio
        self.tolerance = tolerance
    }
}

/// An evaluation suite (`eval-suites/*.yaml`).
public struct SuiteSpec: Sendable, Hashable, Codable {
    /// The suite's name.
    public var name: String
    /// What it covers.
    public var description: String
    /// Candidate prompts.
    public var prompts: [PromptSelector]
    /// The label that is the baseline (e.g. production); nil for no comparison.
    public var baseline: String?
    /// Provider names.
    public var providers: [String]
    /// Repeats of each case.
    public var repeats: Int
    /// Rubric names.
    public var rubrics: [String]
    /// Assertions applied to every case.
    public var assertions: [CriterionSpec]
    /// The cases written in the suite (and those of its case files, unless they are streamed).
    public var cases: [EvalCase]
    /// Case files read lazily when the suite is evaluated (`load(..., streamCaseFiles: true)`); empty otherwise.
    public var caseFiles: [CaseFileReference] = []
    /// Gate thresholds.
    public var thresholds: SuiteThresholds
    /// The file.
    public var file: String

    /// Creates a suite.
    public init(
        name: String, description: String = "", prompts: [PromptSelector], baseline: String? = nil,
        providers: [String], repeats: Int = 1, rubrics: [String] = [], assertions: [CriterionSpec] = [],
        cases: [EvalCase], thresholds: SuiteThresholds = SuiteThresholds(), file: String
    ) {
        self.name = name
        self.description = description
        self.prompts = prompts
        self.baseline = baseline
        self.providers = providers
        self.repeats = repeats
        self.rubrics = rubrics
        self.assertions = assertions
        self.cases = cases
        self.thresholds = thresholds
        self.file = file
    }

    /// Reads a suite; case files (CSV, JSONL) are resolved relative to the suite's folder.
    /// With `streamCaseFiles`, CSV and JSONL files are only named in `caseFiles`, to be read one case at a time.
    public static func load(
        _ file: YAMLFile, baseDirectory: URL, diagnostics: DiagnosticCollector, streamCaseFiles: Bool = false
    ) throws -> SuiteSpec? {
        let root = try file.parse()
        let path = file.displayPath
        guard let reader = MappingReader(root, file: path, diagnostics: diagnostics, context: "suite") else {
            return nil
        }
        let name = reader.string("name", required: true) ?? ""
        let description = reader.string("description") ?? ""
        var prompts: [PromptSelector] = []
        for node in reader.sequence("prompts", required: true) ?? [] {
            if case .scalar(let scalar) = node {
                do {
                    prompts.append(.reference(try PromptReference(parsing: scalar.string)))
                } catch let error as PromptctlError {
                    diagnostics.error(
                        error.message, at: MappingReader.location(of: node, file: path), hint: error.remedy)
                }
            } else if let filter = MappingReader(node, file: path, diagnostics: diagnostics, context: "prompt filter") {
                let selector = PromptSelector.filter(
                    language: filter.string("language"), persona: filter.string("persona"), tag: filter.string("tag"))
                filter.rejectUnknownKeys()
                prompts.append(selector)
            }
        }
        let baseline = reader.string("baseline")
        let providers = reader.strings("providers") ?? []
        let repeats = reader.int("repeats", in: 1...1000) ?? 1
        let rubrics = reader.strings("rubrics") ?? []
        let assertions = (reader.sequence("assert") ?? []).compactMap {
            assertion($0, path: path, diagnostics: diagnostics)
        }
        var thresholds = SuiteThresholds()
        if let gate = reader.mapping("thresholds") {
            thresholds.passRate = gate.double("pass_rate", in: 0...1) ?? thresholds.passRate
            thresholds.maxErrorRatio = gate.double("max_error_ratio", in: 0...1) ?? thresholds.maxErrorRatio
            thresholds.tolerance = gate.double("tolerance", in: 0...1) ?? thresholds.tolerance
            gate.rejectUnknownKeys()
        }
        var cases: [EvalCase] = []
        var caseFiles: [CaseFileReference] = []
        for node in reader.sequence("cases", required: true) ?? [] {
            guard let item = MappingReader(node, file: path, diagnostics: diagnostics, context: "case") else {
                continue
            }
            if let fileName = item.string("file") {
                item.rejectUnknownKeys()
                if streamCaseFiles {
                    caseFiles.append(
                        CaseFileReference(
                            path: baseDirectory.appendingPathComponent(fileName).path, displayPath: fileName,
                            location: item.location))
                    continue
                }
                cases += CaseFileLoader.load(
                    baseDirectory.appendingPathComponent(fileName), displayPath: fileName, diagnostics: diagnostics,
                    at: item.location)
                continue
            }
            let id = item.string("id", required: true) ?? ""
            let language = item.string("language")
            var vars: [String: String] = [:]
            if let varsReader = item.mapping("vars") {
                for entry in varsReader.entries() { vars[entry.key] = ConfigValue(entry.value).text ?? "" }
            }
            let caseAssertions = (item.sequence("assert") ?? []).compactMap {
                assertion($0, path: path, diagnostics: diagnostics)
            }
            let expectGuard = item.string("expect_guard")
            if let expectGuard, !["block", "escalate", "redact", "allow"].contains(expectGuard) {
                diagnostics.error(
                    "expect_guard must be block, escalate, redact or allow", at: item.location(ofKey: "expect_guard"))
            }
            let tags = item.strings("tags") ?? []
            item.rejectUnknownKeys()
            cases.append(
                EvalCase(
                    id: id, language: language, vars: vars, assertions: caseAssertions, expectGuard: expectGuard,
                    tags: tags, location: item.location))
        }
        var seen: Set<String> = []
        for item in cases where !seen.insert(item.id).inserted {
            diagnostics.error("case id '\(item.id)' is used twice", at: item.location, hint: "case ids must be unique")
        }
        reader.rejectUnknownKeys()
        if prompts.isEmpty && reader.value("prompts") != nil {
            diagnostics.error("the suite selects no prompts", at: reader.location(ofKey: "prompts"))
        }
        var suite = SuiteSpec(
            name: name, description: description, prompts: prompts, baseline: baseline, providers: providers,
            repeats: repeats, rubrics: rubrics, assertions: assertions, cases: cases, thresholds: thresholds, file: path
        )
        suite.caseFiles = caseFiles
        return suite
    }

    static func assertion(_ node: Node, path: String, diagnostics: DiagnosticCollector) -> CriterionSpec? {
        guard let item = MappingReader(node, file: path, diagnostics: diagnostics, context: "assertion") else {
            return nil
        }
        let type = item.string("type", required: true) ?? ""
        let id = item.string("id") ?? type
        var parameters: [String: ConfigValue] = [:]
        for entry in item.entries() where !["id", "type", "threshold", "description"].contains(entry.key) {
            parameters[entry.key] = ConfigValue(entry.value)
        }
        return CriterionSpec(
            id: id, type: type, weight: 1, threshold: item.double("threshold", in: 0...1) ?? 1,
            description: item.string("description") ?? "", parameters: parameters, location: item.location)
    }
}

/// Reads cases from CSV (header row; `id`, `language`, `tags`, `expect_guard` columns, the rest are variables)
/// or JSONL (`{"id":..., "language":..., "vars": {...}}` per line).
public enum CaseFileLoader {
    /// Loads the file's cases; problems name the file and row.
    public static func load(
        _ url: URL, displayPath: String, diagnostics: DiagnosticCollector, at location: SourceLocation
    ) -> [EvalCase] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            diagnostics.error("case file \(displayPath) does not exist", at: location)
            return []
        }
        let text = TextLines.text(data)
        if url.pathExtension.lowercased() == "jsonl" {
            return jsonl(text, displayPath: displayPath, diagnostics: diagnostics)
        }
        if url.pathExtension.lowercased() == "csv" {
            return csv(text, displayPath: displayPath, diagnostics: diagnostics)
        }
        diagnostics.error("case files must be .csv or .jsonl, not \(displayPath)", at: location)
        return []
    }

    static func jsonl(_ text: String, displayPath: String, diagnostics: DiagnosticCollector) -> [EvalCase] {
        var cases: [EvalCase] = []
        for (index, line) in TextLines.lines(Data(text.utf8)).enumerated() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let location = SourceLocation(file: displayPath, line: index + 1, column: 1)
            if let evalCase = jsonlCase(line, location: location, diagnostics: diagnostics) { cases.append(evalCase) }
        }
        return cases
    }

    /// The case of one JSONL line, or nil (with a diagnostic) when it is not one.
    static func jsonlCase(_ line: String, location: SourceLocation, diagnostics: DiagnosticCollector) -> EvalCase? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any],
            let id = object["id"].map({ "\($0)" })
        else {
            diagnostics.error(
                "not a JSON object with an \"id\"", at: location, hint: "write {\"id\": \"...\", \"vars\": {...}}")
            return nil
        }
        var vars: [String: String] = [:]
        for (key, value) in object["vars"] as? [String: Any] ?? [:] { vars[key] = "\(value)" }
        return EvalCase(
            id: id, language: object["language"] as? String, vars: vars,
            expectGuard: object["expect_guard"] as? String, tags: object["tags"] as? [String] ?? [],
            location: location)
    }

    static func csv(_ text: String, displayPath: String, diagnostics: DiagnosticCollector) -> [EvalCase] {
        let rows = CSV.parse(text)
        guard let header = rows.first else { return [] }
        guard let idColumn = header.firstIndex(of: "id") else {
            diagnostics.error(
                "the CSV has no 'id' column", at: SourceLocation(file: displayPath, line: 1, column: 1),
                hint: "add an id column with a unique id per case")
            return []
        }
        var cases: [EvalCase] = []
        for (index, row) in rows.dropFirst().enumerated() where !(row.count == 1 && row[0].isEmpty) {
            let location = SourceLocation(file: displayPath, line: index + 2, column: 1)
            if let evalCase = csvCase(
                row, header: header, idColumn: idColumn, location: location, diagnostics: diagnostics)
            {
                cases.append(evalCase)
            }
        }
        return cases
    }

    /// The case of one CSV row under its header, or nil (with a diagnostic) when the row does not fit.
    static func csvCase(
        _ row: [String], header: [String], idColumn: Int, location: SourceLocation, diagnostics: DiagnosticCollector
    ) -> EvalCase? {
        guard row.count == header.count else {
            diagnostics.error("row has \(row.count) fields, the header has \(header.count)", at: location)
            return nil
        }
        var vars: [String: String] = [:]
        var language: String?
        var tags: [String] = []
        var expectGuard: String?
        for (column, name) in header.enumerated() where column != idColumn {
            switch name {
            case "language": language = row[column].isEmpty ? nil : row[column]
            case "tags": tags = row[column].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            case "expect_guard": expectGuard = row[column].isEmpty ? nil : row[column]
            default: vars[name] = row[column]
            }
        }
        return EvalCase(
            id: row[idColumn], language: language, vars: vars, expectGuard: expectGuard, tags: tags, location: location)
    }
}
