import Foundation

/// A rendered chat message, ready to send.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks.
    public var role: MessageRole
    /// The text.
    public var content: String

    /// Creates a message.
    public init(role: MessageRole, content: String) {
        self.role = role
        self.content = content
    }
}

extension PromptVersion {
    /// What a release fingerprint covers: everything that changes what is sent to a model.
    struct ReleaseContent: Encodable {
        var id: String
        var version: String
        var language: String
        var persona: String
        var model: ModelSettings
        var variables: [PromptVariable]
        var messages: [MessageTemplate]
        var partials: [String: String]
    }

    /// The content hash recorded in the lock: templates, settings, variables and the partials they use.
    ///
    /// Comments and formatting of the YAML file are not part of it; a change to a shared partial is,
    /// because it changes what the released version sends.
    public func releaseHash(partialTexts: [String: String]) -> String {
        ContentHash.sha256(
            canonical: ReleaseContent(
                id: id, version: version.description, language: language, persona: persona, model: model,
                variables: variables.map {
                    var v = $0
                    v.location = nil
                    return v
                }, messages: messages,
                partials: partialTexts))
    }
}
