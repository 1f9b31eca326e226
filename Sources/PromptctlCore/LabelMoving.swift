import Foundation

extension Project {
    /// Checks a label move (declared label, released version, a reason, production only when allowed) and records
    /// it in `prompts/labels.yaml`; every service that moves a label goes through here.
    public func moveLabel(
        _ prompt: PromptVersion, to label: String, reason: String, by: String, approval: LabelMove.Approval? = nil,
        allowProtected: Bool = false
    ) throws -> LabelMove {
        guard config.labels.contains(label) else {
            throw PromptctlError(
                .usage, "label '\(label)' is not declared",
                remedy:
                    "use one of \(config.labels.joined(separator: ", ")) or add it under 'labels:' in promptctl.yaml")
        }
        if label == "production" && !allowProtected {
            throw PromptctlError(
                .usage, "production moves only through 'promptctl prompts promote \(prompt.key) --to production'",
                remedy: "promote checks the latest evaluation and records the approval")
        }
        guard lock.released[prompt.key] != nil else {
            throw PromptctlError(
                .usage, "\(prompt.key) is not released; labels point only at released versions",
                remedy: "run 'promptctl prompts release \(prompt.key)' first")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PromptctlError(.usage, "a label move needs a reason", remedy: "pass --reason \"...\"")
        }
        let current = labels.version(of: prompt.id, label: label)
        if current == prompt.version {
            throw PromptctlError(.usage, "\(label) already points at \(prompt.key)")
        }
        let move = LabelMove(
            prompt: prompt.id, label: label, from: current?.description, to: prompt.version.description,
            at: Timestamp.now(), by: by, reason: reason, approval: approval)
        var book = labels
        book.append(move)
        try book.save(to: labelsFile)
        return move
    }
}
