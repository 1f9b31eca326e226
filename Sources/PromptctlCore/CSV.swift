import Foundation

/// RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes; `,` or `;` separators.
public enum CSV {
    /// Where the data starts (after a UTF-8 BOM) and the separator: the one given, else whichever of `;` and `,` the
    /// first line holds more of (Excel in pt-BR writes `;`).
    static func opening(_ bytes: UnsafeBufferPointer<UInt8>, separator: Character?) -> (start: Int, separator: UInt8) {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        if let separator, let ascii = separator.asciiValue { return (start, ascii) }
        var commas = 0
        var semicolons = 0
        var index = start
        while index < bytes.count, bytes[index] != 0x0A {
            if bytes[index] == 0x2C { commas += 1 } else if bytes[index] == 0x3B { semicolons += 1 }
            index += 1
        }
        return (start, semicolons > commas ? 0x3B : 0x2C)
    }

    /// Rows of fields.
    public static func parse(_ text: String, separator: Character? = nil) -> [[String]] {
        // Byte by byte over UTF-8: quotes, separators and line ends are ASCII, so they never occur inside a
        // multi-byte character, and fields are decoded once each (a Character loop was 10× slower).
        var text = text
        return text.withUTF8 { bytes -> [[String]] in
            let (start, sep) = opening(bytes, separator: separator)
            let quote: UInt8 = 0x22
            var rows: [[String]] = []
            var row: [String] = []
            var field: [UInt8] = []
            var quoted = false
            var index = start
            func endField() {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            }
            while index < bytes.count {
                let byte = bytes[index]
                if quoted {
                    if byte == quote {
                        if index + 1 < bytes.count, bytes[index + 1] == quote {
                            field.append(quote)
                            index += 1
                        } else {
                            quoted = false
                        }
                    } else {
                        field.append(byte)
                    }
                } else if byte == quote && field.isEmpty {
                    quoted = true
                } else if byte == sep {
                    endField()
                } else if byte == 0x0A {
                    endField()
                    rows.append(row)
                    row = []
                } else if byte != 0x0D {
                    field.append(byte)
                }
                index += 1
            }
            if !field.isEmpty || !row.isEmpty {
                endField()
                rows.append(row)
            }
            return rows
        }
    }

    /// One CSV field, quoted when it holds the separator, a quote or a newline.
    ///
    /// A cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
    /// return) is prefixed with `'`, as OWASP's CSV-injection guidance says: nurses open these files in Excel, and
    /// message text is written by the public and by a model. A plain number such as `-3` or `+1.5` is left as is.
    public static func field(_ text: String, separator: Character = ",") -> String {
        let text = neutralized(text)
        if text.contains(separator) || text.contains("\"") || text.contains("\n") || text.contains("\r") {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// The text with a leading `'` when a spreadsheet would run it as a formula.
    public static func neutralized(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        if first == "-" || first == "+", Double(text) != nil, text.dropFirst().allSatisfy({ $0.isNumber || $0 == "." })
        {
            return text
        }
        return "'" + text
    }

    /// One record of a strictly read file: its fields and the physical line it starts on.
    public struct Record: Sendable, Hashable {
        /// The fields, in order.
        public var fields: [String]
        /// The 1-based line of the file the record starts on.
        public var line: Int
    }

    /// RFC 4180 read strictly: a quote must open a field and close it right before a separator or a line end,
    /// every quote opened must be closed, and no field may be longer than `maxFieldLength` characters.
    ///
    /// The lenient `parse` lets one stray quote swallow every later row into one field; an import must refuse that
    /// instead. Errors name the record (row 1 is the header, as a spreadsheet counts) and its line.
    public static func parseStrict(_ text: String, separator: Character? = nil, maxFieldLength: Int) throws
        -> [Record]
    {
        var text = text
        return try text.withUTF8 { bytes -> [Record] in
            let (start, sep) = opening(bytes, separator: separator)
            let quote: UInt8 = 0x22
            var records: [Record] = []
            var row: [String] = []
            var field: [UInt8] = []
            var quoted = false
            var wasQuoted = false
            var line = 1
            var recordLine = 1
            var quoteLine = 1
            var index = start
            func fail(_ message: String) -> PromptctlError {
                PromptctlError(
                    .usage, "row \(records.count + 1) (line \(recordLine)): \(message); nothing was imported",
                    remedy:
                        "a field that starts with a quote must end with one; write a quote inside a field as two quotes (\"\")"
                )
            }
            func endField() throws {
                let value = String(decoding: field, as: UTF8.self)
                if value.count > maxFieldLength {
                    throw PromptctlError(
                        .usage,
                        "row \(records.count + 1) (line \(recordLine)), field \(row.count + 1): \(value.count) characters, "
                            + "more than the \(maxFieldLength) a field may hold; nothing was imported",
                        remedy: "shorten the text, or check for a stray quote that joined several rows into one field")
                }
                row.append(value)
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0A { line += 1 }
                if quoted {
                    if byte == quote {
                        if index + 1 < bytes.count, bytes[index + 1] == quote {
                            field.append(quote)
                            index += 1
                        } else {
                            quoted = false
                            let next = index + 1 < bytes.count ? bytes[index + 1] : sep
                            if next != sep && next != 0x0A && next != 0x0D {
                                throw fail("text follows the closing quote of field \(row.count + 1)")
                            }
                        }
                    } else {
                        field.append(byte)
                    }
                } else if byte == quote {
                    guard field.isEmpty, !wasQuoted else {
                        throw fail("a quote inside field \(row.count + 1), which does not start with a quote")
                    }
                    quoted = true
                    wasQuoted = true
                    quoteLine = line
                } else if byte == sep {
                    try endField()
                } else if byte == 0x0A {
                    try endField()
                    records.append(Record(fields: row, line: recordLine))
                    row = []
                    recordLine = line
                } else if byte == 0x0D {
                    // Only as part of CRLF; a bare CR outside quotes is dropped, as Excel does.
                } else {
                    field.append(byte)
                }
                index += 1
            }
            if quoted {
                throw PromptctlError(
                    .usage,
                    "row \(records.count + 1) (line \(recordLine)): the quote opened in field \(row.count + 1) on line "
                        + "\(quoteLine) is never closed; nothing was imported",
                    remedy: "close the quote, or write a quote inside a field as two quotes (\"\")")
            }
            if !field.isEmpty || !row.isEmpty || wasQuoted {
                try endField()
                records.append(Record(fields: row, line: recordLine))
            }
            return records
        }
    }
}
