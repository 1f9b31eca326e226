import Foundation
import PromptctlCore
import PromptctlRendering

/// Finds the prompt versions changed since a git ref, for `eval --changed-since`.
public struct ChangeDetector: Sendable {
    /// The workspace.
    public let workspace: Workspace
    /// The project.
    public let project: Project

    /// Creates a detector.
    public init(workspace: Workspace, project: Project) {
        self.workspace = workspace
        self.project = project
    }

    /// Runs git in the project; nil when git is missing or fails.
    func git(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", workspace.root.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        do {
            try process.run()
        } catch {
            return (127, "")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The commit checked out, when the project is a git work tree.
    public func headCommit() -> String? {
        let (status, output) = git(["rev-parse", "HEAD"])
        return status == 0 ? output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Prompt versions whose files (or the partials they use) changed since `base`, committed or not.
    public func changedPrompts(since base: String) throws -> [PromptVersion] {
        let verify = git(["rev-parse", "--verify", "--quiet", base + "^{commit}"])
        guard verify.status == 0 else {
            throw PromptctlError(
                .usage, "git ref '\(base)' is unknown in \(workspace.root.path)",
                remedy: "fetch it first (in CI: actions/checkout with fetch-depth: 0) or pass a commit")
        }
        let diff = git(["diff", "--name-only", base, "--", "prompts"])
        let untracked = git(["ls-files", "--others", "--exclude-standard", "--", "prompts"])
        let prefix = git(["rev-parse", "--show-prefix"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let changedFiles = Set(
            (diff.output + "\n" + untracked.output).split(separator: "\n").map { line -> String in
                let path = String(line)
                return !prefix.isEmpty && path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
            })
        let renderer = PromptRenderer(project: project)
        return project.prompts.filter { prompt in
            if changedFiles.contains(prompt.file) { return true }
            let partials = (try? renderer.partialLibrary(for: prompt).texts.keys) ?? [:].keys
            return project.partials.contains { partial in
                partials.contains(partial.name) && changedFiles.contains(partial.file)
                    && (partial.language == nil || partial.language == prompt.language)
            }
        }
    }
}
