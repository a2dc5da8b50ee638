//! The one number formatter: how a computed number is written in a message or a
//! fix (a converted value, a range bound, an age in another unit). No float noise,
//! no trailing zeros, never `-0`.

/// A value for a message or a fix: at most 6 significant digits, no float noise, no
/// trailing zeros (`2.5900000000000003` → `2.59`, `6.6000000001` → `6.6`).
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    // Round to 6 significant digits first, then write the rounded value out.
    let sci = format!("{v:.5e}");
    let rounded: f64 = sci.parse().unwrap_or(v);
    let mag = rounded.abs().log10().floor() as i32;
    let s = if !(-6..15).contains(&mag) {
        match sci.split_once('e') {
            Some((m, e)) => format!("{}e{e}", trim_zeros(m)),
            None => sci,
        }
    } else {
        let decimals = (5 - mag).max(0) as usize;
        trim_zeros(&format!("{rounded:.decimals$}")).to_string()
    };
    no_negative_zero(s)
}

/// A number for a message with at most `decimals` decimals, no trailing zeros
/// (`2/3` → `0.67` with 2): how the design rules write an age or a duration in
/// another unit (`6 mo` is `0.5 a`).
pub fn format_decimals(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    no_negative_zero(trim_zeros(&format!("{v:.decimals$}")).to_string())
}

fn no_negative_zero(s: String) -> String {
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_without_float_noise() {
        assert_eq!(format_number(2590.0 * 1e-3), "2.59");
        assert_eq!(format_number(2.5900000000000003), "2.59");
        assert_eq!(format_number(6.6000000000000005), "6.6");
        assert_eq!(format_number(82.21357850070721), "82.2136");
        assert_eq!(format_number(2590000.0), "2590000");
        assert_eq!(format_number(1234567.0), "1234570");
        assert_eq!(format_number(0.000123456789), "0.000123457");
        assert_eq!(format_number(-0.5), "-0.5");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(1e-9), "1e-9");
        assert_eq!(format_number(6.02214076e23), "6.02214e23");
        assert_eq!(format_number(999999.7), "1000000");
        assert_eq!(format_number(f64::NAN), "NaN");
    }

    #[test]
    fn numbers_to_a_few_decimals() {
        assert_eq!(format_decimals(24.0, 2), "24");
        assert_eq!(format_decimals(1.5, 2), "1.5");
        assert_eq!(format_decimals(2.0 / 3.0, 2), "0.67");
        assert_eq!(format_decimals(-0.0001, 2), "0");
        assert_eq!(format_decimals(100.0, 0), "100");
    }
}
