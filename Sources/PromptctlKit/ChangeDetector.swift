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

    /// Runs git in the project: its exit status, standard output and standard error (127 when git cannot start).
    func git(_ arguments: [String]) -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", workspace.root.path] + arguments
        let pipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = pipe
        process.standardError = errorPipe
        do {
            try process.run()
        } catch {
            return (127, "", "git could not be started: \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let errorData = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errorData, as: UTF8.self)
        )
    }

    /// Runs git and fails loudly: a git that cannot answer must never read as "nothing changed".
    func gitOutput(_ arguments: [String]) throws -> String {
        let result = git(arguments)
        guard result.status == 0 else {
            let message = result.error.trimmingCharacters(in: .whitespacesAndNewlines)
            throw PromptctlError(
                .usage, "git \(arguments.joined(separator: " ")) failed (exit \(result.status)): \(message)",
                remedy: "fix the repository or run eval without --changed-since")
        }
        return result.output
    }

    /// The commit checked out, when the project is a git work tree.
    public func headCommit() -> String? {
        let result = git(["rev-parse", "HEAD"])
        return result.status == 0 ? result.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// Prompt versions whose files (or the partials they use) changed since `base`, committed or not.
    public func changedPrompts(since base: String) throws -> [PromptVersion] {
        let verify = git(["rev-parse", "--verify", "--quiet", base + "^{commit}"])
        guard verify.status == 0 else {
            throw PromptctlError(
                .usage, "git ref '\(base)' is unknown in \(workspace.root.path)",
                remedy: "fetch it first (in CI: actions/checkout with fetch-depth: 0) or pass a commit")
        }
        let diff = try gitOutput(["diff", "--name-only", base, "--", "prompts"])
        let untracked = try gitOutput(["ls-files", "--others", "--exclude-standard", "--", "prompts"])
        let prefix = try gitOutput(["rev-parse", "--show-prefix"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let changedFiles = Set(
            (diff + "\n" + untracked).split(separator: "\n").map { line -> String in
                let path = String(line)
                return !prefix.isEmpty && path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
            })
        let renderer = PromptRenderer(project: project)
        return try project.prompts.filter { prompt in
            if changedFiles.contains(prompt.file) { return true }
            let partials = try renderer.partialLibrary(for: prompt).texts.keys
            return project.partials.contains { partial in
                partials.contains(partial.name) && changedFiles.contains(partial.file)
                    && (partial.language == nil || partial.language == prompt.language)
            }
        }
    }
}
