import Foundation
import PromptctlCore
import PromptctlPrivacy

/// The LGPD masking measured on a labelled set, as `promptctl review privacy-check` prints it.
public struct PrivacyCheckResult: Sendable, Codable {
    /// The file measured.
    public var file: String
    /// Messages read.
    public var cases: Int
    /// Name spans, masked whole, and the share.
    public var names: Int
    public var namesMasked: Int
    public var nameRecall: Double
    /// Identifiers, masked whole, and the share.
    public var identifiers: Int
    public var identifiersMasked: Int
    public var identifierRecall: Double
    /// Look-alike words, masked, and the share.
    public var keep: Int
    public var keepMasked: Int
    public var falseMaskRate: Double
    /// The thresholds and whether the set met them.
    public var minimumNameRecall: Double
    public var minimumIdentifierRecall: Double
    public var maximumFalseMaskRate: Double
    public var passed: Bool
    /// Every miss: what, which span, the masked message.
    public var misses: [Miss]

    /// One miss.
    public struct Miss: Sendable, Codable {
        public var id: String
        public var what: String
        public var text: String
        public var masked: String
    }
}

/// Measures the masking on a labelled JSONL set ({"id","lang","text","names","identifiers","keep"} per line).
public struct PrivacyCheckService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// Masks every message and compares with its labels; the defaults are the issue's development thresholds.
    public func check(
        _ path: String, minimumNameRecall: Double = 0.98, minimumIdentifierRecall: Double = 1.0,
        maximumFalseMaskRate: Double = 0.02
    ) throws -> PrivacyCheckResult {
        guard let data = FileManager.default.contents(atPath: workspace.absolute(path)) else {
            throw PromptctlError(.usage, "cannot read \(path)", remedy: "give a JSONL file of labelled messages")
        }
        let cases: [PrivacyCase]
        do {
            cases = try PrivacyMeasurement.cases(jsonl: data, file: path)
        } catch let error as PrivacyMeasurementError {
            throw PromptctlError(
                .usage, error.message,
                remedy: #"write one {"id","lang","text","names","identifiers","keep"} object per line"#)
        }
        let report = PrivacyMeasurement.measure(cases)
        return PrivacyCheckResult(
            file: path, cases: report.cases, names: report.names, namesMasked: report.namesMasked,
            nameRecall: report.nameRecall, identifiers: report.identifiers,
            identifiersMasked: report.identifiersMasked, identifierRecall: report.identifierRecall, keep: report.keep,
            keepMasked: report.keepMasked, falseMaskRate: report.falseMaskRate, minimumNameRecall: minimumNameRecall,
            minimumIdentifierRecall: minimumIdentifierRecall, maximumFalseMaskRate: maximumFalseMaskRate,
            passed: report.passes(
                nameRecall: minimumNameRecall, identifierRecall: minimumIdentifierRecall,
                falseMasks: maximumFalseMaskRate),
            misses: report.misses.map { .init(id: $0.id, what: $0.what, text: $0.text, masked: $0.masked) })
    }
}
