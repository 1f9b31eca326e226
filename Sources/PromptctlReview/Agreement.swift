import Foundation
import PromptctlStore

/// How well the rubric agrees with nurses on one criterion.
public struct CriterionAgreement: Sendable, Hashable, Codable {
    /// The rubric compared (clinical-coherence or friendly-tone).
    public var rubric: String
    /// Items with both a nurse rating and a rubric score.
    public var pairs: Int
    /// Spearman's rank correlation.
    public var spearman: Double?
    /// Cohen's kappa with quadratic weights, rubric scores binned into 1–5.
    public var weightedKappa: Double?
    /// Mean nurse rating and mean binned rubric score.
    public var meanNurse: Double?
    public var meanRubric: Double?
    /// Whether the automatic score disagrees with nurses (kappa below 0.4 or rho below 0.3, with enough pairs).
    public var disagrees: Bool
    /// Why, in words.
    public var note: String
}

/// Compares nurse ratings with the rubric's scores.
public enum AgreementAnalysis {
    /// Bins a 0–1 rubric score into the nurses' 1–5 scale: [0, 0.2) → 1 … [0.8, 1] → 5.
    public static func bin(_ score: Double) -> Int { min(5, max(1, Int(score * 5) + 1)) }

    /// Average ranks (ties share the mean rank).
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var index = 0
        while index < order.count {
            var end = index
            while end + 1 < order.count, values[order[end + 1]] == values[order[index]] { end += 1 }
            let rank = Double(index + end) / 2 + 1
            for position in index...end { ranks[order[position]] = rank }
            index = end + 1
        }
        return ranks
    }

    /// Spearman's rho (Pearson on ranks); nil when either side is constant.
    public static func spearman(_ a: [Double], _ b: [Double]) -> Double? {
        guard a.count == b.count, a.count >= 3 else { return nil }
        let ra = ranks(a)
        let rb = ranks(b)
        let ma = ra.reduce(0, +) / Double(ra.count)
        let mb = rb.reduce(0, +) / Double(rb.count)
        var covariance = 0.0
        var va = 0.0
        var vb = 0.0
        for index in ra.indices {
            covariance += (ra[index] - ma) * (rb[index] - mb)
            va += (ra[index] - ma) * (ra[index] - ma)
            vb += (rb[index] - mb) * (rb[index] - mb)
        }
        guard va > 0, vb > 0 else { return nil }
        return covariance / (va * vb).squareRoot()
    }

    /// Cohen's kappa with quadratic weights on categories 1...k.
    public static func weightedKappa(_ a: [Int], _ b: [Int], categories k: Int = 5) -> Double? {
        guard a.count == b.count, !a.isEmpty else { return nil }
        var observed = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for (x, y) in zip(a, b) { observed[x - 1][y - 1] += 1 }
        let n = Double(a.count)
        let rows = observed.map { $0.reduce(0, +) }
        let columns = (0..<k).map { column in observed.reduce(0) { $0 + $1[column] } }
        var numerator = 0.0
        var denominator = 0.0
        for i in 0..<k {
            for j in 0..<k {
                let weight = Double((i - j) * (i - j)) / Double((k - 1) * (k - 1))
                numerator += weight * observed[i][j]
                denominator += weight * rows[i] * columns[j] / n
            }
        }
        guard denominator > 0 else { return nil }
        return 1 - numerator / denominator
    }

    /// Agreement per rubric over feedback rows whose items were scored.
    public static func analyze(_ rows: [(ReviewFeedback, ReviewCandidate)]) -> [CriterionAgreement] {
        let pairs: [(String, KeyPath<ReviewFeedback, Int>)] = [
            ("clinical-coherence", \.clinicalCoherence), ("friendly-tone", \.friendlyTone),
        ]
        return pairs.map { rubric, rating in
            let matched = rows.compactMap { feedback, candidate in
                candidate.scores[rubric].map { (feedback[keyPath: rating], $0) }
            }
            let nurse = matched.map(\.0)
            let machine = matched.map { bin($0.1) }
            let rho = spearman(nurse.map(Double.init), matched.map(\.1))
            let kappa = weightedKappa(nurse, machine)
            let enough = matched.count >= 10
            let disagrees = enough && ((kappa ?? 0) < 0.4 || (rho ?? 0) < 0.3)
            let note =
                !enough
                ? "only \(matched.count) rated items with a rubric score; at least 10 are needed to judge"
                : (disagrees
                    ? "the rubric disagrees with nurses: review its criteria" : "the rubric agrees with nurses")
            return CriterionAgreement(
                rubric: rubric, pairs: matched.count, spearman: rho, weightedKappa: kappa,
                meanNurse: nurse.isEmpty ? nil : Double(nurse.reduce(0, +)) / Double(nurse.count),
                meanRubric: machine.isEmpty ? nil : Double(machine.reduce(0, +)) / Double(machine.count),
                disagrees: disagrees,
                note: note)
        }
    }
}
