import Foundation

/// Removes an API key from text that may be logged or stored, in every form a server may echo it back in.
///
/// A server that quotes the request in its error body JSON-escapes it: a key holding `"` or `\` then appears
/// as `\"` or `\\`, and a plain search for the key missed it. The percent-encoded and HTML-escaped forms are
/// searched for too.
public enum SecretRedaction {
    /// The text shown instead of the key.
    public static let mask = "[redacted]"

    /// `text` with every form of `secret` replaced; keys shorter than 4 characters are left alone (they would
    /// mask ordinary words).
    public static func redact(_ text: String, secret: String?) -> String {
        guard let secret, secret.count >= 4 else { return text }
        var result = text
        for form in forms(of: secret) where !form.isEmpty {
            result = result.replacingOccurrences(of: form, with: mask)
        }
        return result
    }

    /// The key as written, JSON-escaped (with and without `\/`), percent-encoded and HTML-escaped; longest first,
    /// so an escaped form is masked whole before the plain one could match part of it.
    static func forms(of secret: String) -> [String] {
        var json = ""
        for scalar in secret.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case _ where scalar.value < 0x20: json += String(format: "\\u%04x", scalar.value)
            default: json.unicodeScalars.append(scalar)
            }
        }
        let slashed = json.replacingOccurrences(of: "/", with: "\\/")
        let percent = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret
        let html = secret.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "'", with: "&#39;")
        return Array(Set([secret, json, slashed, percent, html])).sorted { $0.count > $1.count }
    }
}
