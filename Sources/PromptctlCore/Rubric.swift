import Foundation
import Yams

/// One criterion of a rubric as written in YAML: its type and parameters, checked by the evaluation module.
public struct CriterionSpec: Sendable, Hashable, Codable {
    /// Unique within the rubric.
    public var id: String
    /// The criterion type (`contains`, `regex`, `clinical-rules`, `llm-judge`, ...).
    public var type: String
    /// Weight in the rubric's weighted mean.
    public var weight: Double
    /// The score this criterion must reach on its own, if any.
    public var threshold: Double?
    /// What it checks, for reports.
    public var description: String
    /// Type-specific parameters.
    public var parameters: [String: ConfigValue]
    /// Where it is written.
    public var location: SourceLocation

    /// Creates a spec.
    public init(
        id: String, type: String, weight: Double = 1, threshold: Double? = nil, description: String = "",
        parameters: [String: ConfigValue] = [:], location: SourceLocation
    ) {
        self.id = id
        self.type = type
        self.weight = weight
        self.threshold = threshold
        self.description = description
        self.parameters = parameters
        self.location = location
    }
}

/// A rubric: weighted criteria and a threshold on their weighted mean.
public struct RubricSpec: Sendable, Hashable, Codable {
    /// The rubric's name (file stem).
    public var name: String
    /// What it measures.
    public var description: String
    /// The weighted mean must reach this.
    public var threshold: Double
    /// The criteria.
    public var criteria: [CriterionSpec]
    /// The file.
    public var file: String

    /// Creates a rubric.
    public init(name: String, description: String = "", threshold: Double, criteria: [CriterionSpec], file: String) {
        self.name = name
        self.description = description
        self.threshold = threshold
        self.criteria = criteria
        self.file = file
    }

    static let commonKeys: Set<String> = ["id", "type", "weight", "threshold", "description"]

    /// Reads a rubric file.
    public static func load(_ file: YAMLFile, diagnostics: DiagnosticCollector) throws -> RubricSpec? {
        let root = try file.parse()
        guard let reader = MappingReader(root, file: file.displayPath, diagnostics: diagnostics, context: "rubric")
        else {
            return nil
        }
        let name = reader.string("name", required: true) ?? ""
        let description = reader.string("description") ?? ""
        let threshold = reader.double("threshold", required: true) ?? 0
        if !(0...1).contains(threshold) {
            diagnostics.error("threshold must be between 0 and 1", at: reader.location(ofKey: "threshold"))
        }
        var criteria: [CriterionSpec] = []
        for node in reader.sequence("criteria", required: true) ?? [] {
            guard let item = MappingReader(node, file: file.displayPath, diagnostics: diagnostics, context: "criterion")
            else { continue }
            let id = item.string("id", required: true) ?? ""
            let type = item.string("type", required: true) ?? ""
            let weight = item.double("weight") ?? 1
            let criterionThreshold = item.double("threshold", in: 0...1)
            let criterionDescription = item.string("description") ?? ""
            var parameters: [String: ConfigValue] = [:]
            for entry in item.entries() where !commonKeys.contains(entry.key) {
                parameters[entry.key] = ConfigValue(entry.value)
            }
            if weight < 0 { diagnostics.error("weight cannot be negative", at: item.location(ofKey: "weight")) }
            if criteria.contains(where: { $0.id == id }) {
                diagnostics.error("criterion id '\(id)' is used twice", at: item.location(ofKey: "id"))
            }
            criteria.append(
                CriterionSpec(
                    id: id, type: type, weight: weight, threshold: criterionThreshold,
                    description: criterionDescription,
                    parameters: parameters, location: item.location))
        }
        reader.rejectUnknownKeys()
        if criteria.isEmpty && reader.value("criteria") != nil {
            diagnostics.error("a rubric needs at least one criterion", at: reader.location(ofKey: "criteria"))
        }
        return RubricSpec(
            name: name, description: description, threshold: threshold, criteria: criteria, file: file.displayPath)
    }
}
