import Foundation
import PromptctlCore
import PromptctlPrivacy

/// Health data under LGPD: identifiers become keyed hashes and personal data in free text is masked before
/// anything leaves the store.
public struct Privacy: Sendable {
    let key: String

    /// The environment variable that holds the pseudonym key.
    public static let keyVariable = "PROMPTCTL_PSEUDONYM_KEY"

    /// Reads the key from the environment; refusing to export without it is the safe default.
    public init(environment: [String: String]) throws {
        guard let key = environment[Self.keyVariable], key.count >= 16 else {
            throw PromptctlError(
                .config, "exports need a pseudonym key in \(Self.keyVariable) (16 characters or more)",
                remedy:
                    "export \(Self.keyVariable)=$(openssl rand -hex 32), and keep it stable: the same key gives the same pseudonyms"
            )
        }
        self.key = key
    }

    /// Creates a masker with an explicit key (tests).
    public init(key: String) { self.key = key }

    /// A stable pseudonym: "u-" plus 12 hex characters of HMAC-SHA256(key, kind:value).
    public func pseudonym(_ value: String?, kind: String) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return kind.prefix(1) + "-" + String(ContentHash.hmacSHA256("\(kind):\(value)", key: key).prefix(12))
    }

    /// The one masking path of every export, the review form and the store at rest: PromptctlPrivacy's masker.
    static let masker = PersonalDataMasker()

    /// Personal names in a text, as written (census gazetteer, cues and context).
    public func names(in text: String, language: String? = nil) -> [String] {
        Self.masker.names(in: text, language: language)
    }

    /// Masks personal names, CPF, CNS, RG, CEP, phones, e-mail, addresses, dates of birth and URLs with data.
    /// `knownNames` (the conversation's names) are masked wherever they appear.
    public func mask(_ text: String, knownNames: [String] = [], language: String? = nil) -> String {
        Self.masker.mask(text, language: language, knownNames: knownNames)
    }
}
