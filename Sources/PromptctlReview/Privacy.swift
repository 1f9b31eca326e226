import Foundation
import PromptctlCore

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

    static let patterns: [(String, NSRegularExpression)] = [
        ("[email]", try! NSRegularExpression(pattern: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#)),
        ("[cpf]", try! NSRegularExpression(pattern: #"\b\d{3}\.?\d{3}\.?\d{3}-?\d{2}\b"#)),
        (
            "[telefone]",
            try! NSRegularExpression(pattern: #"(\+?55[\s.-]?)?\(?\b\d{2}\)?[\s.-]?9?\d{4}[\s.-]?\d{4}\b"#)
        ),
    ]

    /// Cues that introduce a personal name ("meu nome é Maria Souza", "Dra. Helena"); group 2 is the name.
    static let nameCues: [NSRegularExpression] = [
        try! NSRegularExpression(
            pattern:
                #"((?i:meu nome (?:é|e)|me chamo|aqui (?:é|e) (?:a|o)|sou (?:a|o)|my name is|i am|i'm|me llamo|mi nombre es|soy)\s+)(\p{Lu}[\p{L}'-]+(?:\s+(?:d[aeo]s?\s+)?\p{Lu}[\p{L}'-]+)*)"#
        ),
        try! NSRegularExpression(pattern: #"(\b(?:Dra?|Sra?|Enf)\.?\s+)(\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)*)"#),
    ]

    /// Personal names introduced by a cue in a text.
    public func names(in text: String) -> [String] {
        var found: [String] = []
        for regex in Self.nameCues {
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 2), in: text) {
                    let name = String(text[range])
                    found.append(name)
                    // Each part of the name alone ("Maria") is masked too.
                    found += name.split(separator: " ").map(String.init).filter {
                        $0.count >= 3 && $0.first!.isUppercase
                    }
                }
            }
        }
        return found.sorted { $0.count > $1.count }
    }

    /// Masks e-mail addresses, CPF numbers, phone numbers and personal names in free text.
    /// `knownNames` (from the conversation's metadata) are masked wherever they appear.
    public func mask(_ text: String, knownNames: [String] = []) -> String {
        var result = text
        for (replacement, regex) in Self.patterns {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result),
                withTemplate: NSRegularExpression.escapedTemplate(for: replacement))
        }
        for regex in Self.nameCues {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "$1[nome]")
        }
        for name in knownNames where name.count >= 3 {
            let pattern = "\\b" + NSRegularExpression.escapedPattern(for: name) + "\\b"
            if let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) {
                result = regex.stringByReplacingMatches(
                    in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "[nome]")
            }
        }
        return result
    }
}
