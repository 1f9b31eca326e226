import Foundation
import PromptctlEval

/// Parts of the reports rendered while a run goes on, one result at a time, so that writing the reports at the
/// end only orders and joins them.
///
/// Why: the calls of a run spend most of their time waiting for the network, and the reports of thousands of
/// results take a noticeable time to render once the last answer is in. A candidate with a baseline is rendered
/// when both answers are there; the formatters render anything missing here themselves, so the output is the
/// same either way (a test compares the two).
public final class ReportFragments: @unchecked Sendable {
    private let lock = NSLock()
    private var htmlItems: [String: String] = [:]
    private var junitCases: [String: String] = [:]
    private var waitingCandidates: [String: [EvalItemResult]] = [:]
    private var baselines: [String: EvalItemResult] = [:]
    private let baselineKeys: [String: String]

    /// Creates an empty set of fragments for a plan's pairings.
    public init(plan: EvalPlan) {
        baselineKeys = BaselinePairing.baselineKeys(plan)
    }

    /// Renders what one more result allows.
    public func add(_ result: EvalItemResult, suite: String) {
        let testcase = JUnitReport.testcase(result, suite: suite)
        var ready: [(EvalItemResult, EvalItemResult?)] = []
        lock.withLock {
            junitCases[result.item.key] = testcase
            switch result.item.side {
            case .candidate:
                guard let baselineKey = baselineKeys[result.item.promptKey] else {
                    ready.append((result, nil))
                    return
                }
                let key = BaselinePairing.key(baselineKey, result.item)
                if let baseline = baselines[key] {
                    ready.append((result, baseline))
                } else {
                    waitingCandidates[key, default: []].append(result)
                }
            case .baseline:
                let key = BaselinePairing.key(result.item.promptKey, result.item)
                guard baselines[key] == nil else { return }  // the first baseline answer is the one shown
                baselines[key] = result
                for candidate in waitingCandidates.removeValue(forKey: key) ?? [] { ready.append((candidate, result)) }
            }
        }
        for (candidate, baseline) in ready {
            let html = HTMLReport.item(candidate, baseline: baseline)
            lock.withLock { htmlItems[candidate.item.key] = html }
        }
    }

    /// The HTML of a candidate's answer, if rendered.
    func htmlItem(_ key: String) -> String? { lock.withLock { htmlItems[key] } }

    /// The JUnit test case of a result, if rendered.
    func junitCase(_ key: String) -> String? { lock.withLock { junitCases[key] } }
}
