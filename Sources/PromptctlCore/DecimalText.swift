import Foundation

/// Numbers as fixed-point text, like `String(format: "%.2f", x)` but without Foundation's formatter.
///
/// Why: reports and criterion reasons format tens of thousands of numbers per run, and `String(format:)` goes
/// through CoreFoundation's locale-aware formatting at a few microseconds a call. Rounding follows printf: to the
/// nearest on the exact binary value, ties to even.
public enum DecimalText {
    /// `value` with `digits` decimals (0–9); "nan", "inf" and "-inf" as printf prints them.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let digits = max(0, min(9, digits))
        var scale: Double = 1
        for _ in 0..<digits { scale *= 10 }
        let magnitude = abs(value)
        let product = magnitude * scale
        // Beyond a trillion units the fraction below is imprecise: rare enough to leave to Foundation.
        guard product < 1e12 else { return String(format: "%.\(digits)f", value) }
        var units = UInt64(product.rounded(.down))
        let fraction = product - Double(units)
        if abs(fraction - 0.5) < 1e-6 {
            // Near a half, the product above has been rounded; printf decides on the exact binary value, so
            // compare magnitude × scale with units + ½ in integers: magnitude = significand × 2^exponent.
            let significand = UInt128(magnitude.significandBitPattern | (magnitude.isNormal ? 1 << 52 : 0))
            let exponent = Int(magnitude.exponent) - 52
            var doubled = significand * UInt128(UInt64(scale)) * 2
            var half = UInt128(2 * units + 1)
            if exponent >= 0 { doubled <<= exponent } else { half <<= -exponent }
            if doubled > half || (doubled == half && units % 2 == 1) { units += 1 }
        } else if fraction > 0.5 {
            units += 1
        }
        let divisor = UInt64(scale)
        let whole = units / divisor
        var text = (value < 0 && units > 0) || (value.sign == .minus && units == 0 && value != 0) ? "-" : ""
        text += String(whole)
        if digits > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }

    /// `fixed` with a sign always shown, like `%+.2f`.
    public static func signed(_ value: Double, _ digits: Int) -> String {
        let text = fixed(value, digits)
        return text.hasPrefix("-") || text.hasPrefix("n") ? text : "+" + text
    }
}
