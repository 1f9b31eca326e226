import Foundation
import PromptctlCore

/// One reason a run's gate failed, as a value: what failed, for which prompt, the threshold and the measured value.
///
/// The summary, the reports, `eval --ci` and `prompts promote` all read these values; the text in `message` is
/// only for people, so rewording it can never weaken a gate.
public enum GateFailure: Sendable, Hashable, Codable {
    /// Items planned but without a result (an interrupted run): the run as a whole is incomplete.
    case missingResults(missing: Int, planned: Int)
    /// More provider errors than the suite allows: the run as a whole is unreliable.
    case providerErrors(errors: Int, items: Int, measured: Double, allowed: Double)
    /// A candidate's pass rate is under the suite's threshold.
    case passRate(prompt: String, measured: Double, threshold: Double, errors: Int)
    /// A candidate's mean score on a rubric is under the rubric's threshold.
    case rubricMean(prompt: String, rubric: String, measured: Double, threshold: Double)
    /// A candidate dropped against its baseline beyond the tolerance.
    case regression(Regression)

    /// The prompt version (`id@version`) it is about, or nil when it concerns the whole run.
    public var prompt: String? {
        switch self {
        case .missingResults, .providerErrors: nil
        case .passRate(let prompt, _, _, _), .rubricMean(let prompt, _, _, _): prompt
        case .regression(let regression): regression.candidate
        }
    }

    /// Whether it stands in the way of `prompt`: a run-wide failure stands in the way of every prompt in it.
    public func concerns(_ promptKey: String) -> Bool {
        prompt.map { $0 == promptKey } ?? true
    }

    /// The exit status this failure alone gives the run.
    public var exitStatus: ExitStatus {
        switch self {
        case .providerErrors: .providerOrInfrastructure
        default: .gateFailed
        }
    }

    /// A sentence for people (reports, the terminal).
    public var message: String {
        switch self {
        case .missingResults(let missing, let planned):
            "\(missing) of \(planned) items have no result (interrupted run)"
        case .providerErrors(let errors, let items, let measured, let allowed):
            "provider errors on \(errors) of \(items) items (\(Self.percent(measured)) > allowed \(Self.percent(allowed)))"
        case .passRate(let prompt, let measured, let threshold, let errors):
            "\(prompt): pass rate \(Self.percent(measured)) < \(Self.percent(threshold)) (\(errors) errors counted as failures)"
        case .rubricMean(let prompt, let rubric, let measured, let threshold):
            "\(prompt): \(rubric) mean \(DecimalText.fixed(measured, 2)) < \(threshold)"
        case .regression(let regression):
            "\(regression.candidate) regressed on \(regression.metric): \(DecimalText.fixed(regression.before, 2)) → "
                + "\(DecimalText.fixed(regression.after, 2)) vs \(regression.baseline)"
        }
    }

    static func percent(_ value: Double) -> String { DecimalText.fixed(value * 100, 1) + "%" }
}
