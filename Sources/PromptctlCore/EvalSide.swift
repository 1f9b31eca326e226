/// Which side of a comparison an evaluated item belongs to; the store keeps it in `eval_result.side`.
public enum EvalSide: String, Sendable, Codable, CaseIterable {
    /// The version under evaluation.
    case candidate
    /// The version it is compared with (usually production).
    case baseline
}
