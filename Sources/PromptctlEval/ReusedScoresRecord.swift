import Foundation
import PromptctlCore
import PromptctlGuards

extension ReusedScores {
    /// Names the record's format; a new layout takes a new last byte.
    static let magic: StaticString = "psr1"

    /// The scores as a binary record.
    var record: Data {
        var writer = BinaryRecordWriter(magic: Self.magic)
        writer.string(answerSHA256)
        writer.bool(guardDecision != nil)
        if let guardDecision {
            writer.string(guardDecision.action.rawValue)
            writer.count(guardDecision.findings.count)
            for finding in guardDecision.findings {
                writer.string(finding.guardName)
                writer.string(finding.category)
                writer.double(finding.severity)
                writer.string(finding.action.rawValue)
                writer.string(finding.match)
                writer.bool(finding.range != nil)
                if let range = finding.range {
                    writer.count(range.count)
                    for offset in range { writer.int(offset) }
                }
                writer.string(finding.reason)
                writer.string(finding.message)
            }
            writer.string(guardDecision.releasedText)
            writer.bool(guardDecision.needsReview)
            writer.count(guardDecision.unavailable.count)
            for name in guardDecision.unavailable { writer.string(name) }
        }
        writer.count(rubrics.count)
        for rubric in rubrics {
            writer.string(rubric.rubric)
            writer.double(rubric.score)
            writer.double(rubric.threshold)
            writer.bool(rubric.passed)
            Self.write(rubric.criteria, to: &writer)
        }
        Self.write(assertions, to: &writer)
        return writer.data
    }

    /// Reads a record; nil when the payload is of another format, cut short, or has bytes left over.
    init?(record: Data) {
        do {
            var reader = try BinaryRecordReader(record, magic: Self.magic)
            let answerSHA256 = try reader.string()
            var guardDecision: GuardDecision?
            if try reader.bool() {
                let action = try Self.action(&reader)
                var findings: [GuardFinding] = []
                for _ in 0..<(try reader.count()) {
                    let guardName = try reader.string()
                    let category = try reader.string()
                    let severity = try reader.double()
                    let findingAction = try Self.action(&reader)
                    let match = try reader.optionalString()
                    var range: [Int]?
                    if try reader.bool() {
                        range = try (0..<reader.count()).map { _ in try reader.int() }
                    }
                    findings.append(
                        GuardFinding(
                            guardName: guardName, category: category, severity: severity, action: findingAction,
                            match: match, range: range, reason: try reader.string(),
                            message: try reader.optionalString()))
                }
                let releasedText = try reader.string()
                let needsReview = try reader.bool()
                let unavailable = try (0..<reader.count()).map { _ in try reader.string() }
                guardDecision = GuardDecision(
                    action: action, findings: findings, releasedText: releasedText, needsReview: needsReview,
                    unavailable: unavailable)
            }
            var rubrics: [RubricResult] = []
            for _ in 0..<(try reader.count()) {
                rubrics.append(
                    RubricResult(
                        rubric: try reader.string(), score: try reader.optionalDouble(), threshold: try reader.double(),
                        passed: try reader.bool(), criteria: try Self.criteria(&reader)))
            }
            let assertions = try Self.criteria(&reader)
            guard reader.isAtEnd else { return nil }
            self.init(
                answerSHA256: answerSHA256, guardDecision: guardDecision, rubrics: rubrics, assertions: assertions)
        } catch {
            return nil
        }
    }

    private static func write(_ criteria: [CriterionResult], to writer: inout BinaryRecordWriter) {
        writer.count(criteria.count)
        for criterion in criteria {
            writer.string(criterion.id)
            writer.string(criterion.type)
            writer.double(criterion.weight)
            writer.double(criterion.threshold)
            writer.double(criterion.outcome.score)
            writer.string(criterion.outcome.reason)
            writer.bool(criterion.outcome.skipped)
            writer.string(criterion.outcome.error)
            writer.bool(criterion.passed)
        }
    }

    private static func criteria(_ reader: inout BinaryRecordReader) throws -> [CriterionResult] {
        try (0..<reader.count()).map { _ in
            CriterionResult(
                id: try reader.string(), type: try reader.string(), weight: try reader.double(),
                threshold: try reader.optionalDouble(),
                outcome: CriterionOutcome(
                    score: try reader.optionalDouble(), reason: try reader.string(), skipped: try reader.bool(),
                    error: try reader.optionalString()),
                passed: try reader.bool())
        }
    }

    private static func action(_ reader: inout BinaryRecordReader) throws -> GuardAction {
        guard let action = GuardAction(rawValue: try reader.string()) else { throw BinaryRecordReader.Malformed() }
        return action
    }
}
