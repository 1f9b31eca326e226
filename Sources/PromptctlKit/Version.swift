/// promptctl's own version.
public enum PromptctlVersion {
    /// Semantic version of the tool.
    public static let string = "0.1.0"
}
