//! Reading a source's bytes as text, and repairing text decoded with the
//! wrong code page.
//!
//! A source that is not valid UTF-8 but reads as Windows-1252 (every
//! invalid byte a Windows-1252 character) is read as Windows-1252; any
//! other invalid byte is replaced. Text that is valid UTF-8 may still be
//! mis-decoded: a conversion that read UTF-8 bytes as Windows-1252 (or
//! Latin-1) prints `’` as `â€™` and `é` as `Ã©`; one that read them as
//! IBM code page 437 prints `’` as `ΓÇÖ` and `é` as `├⌐`. Such runs are
//! found by mapping characters back to the bytes the wrong code page gave
//! them and decoding those bytes as UTF-8: only complete, valid UTF-8
//! sequences are replaced, and only when the document holds at least two,
//! so a lone `Ã©` in a French name stays as written. The repair is
//! reported in the summary.

use std::borrow::Cow;

/// Windows-1252's characters for the bytes 0x80 to 0x9F (`\u{81}` and the
/// other undefined bytes stand for themselves, as lenient decoders leave
/// them); 0xA0 to 0xFF are Latin-1.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// IBM code page 437's characters for the bytes 0x80 to 0xFF.
const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";

/// A code page UTF-8 text may have been read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePage {
    /// Windows-1252 (and Latin-1, its subset).
    Windows1252,
    /// IBM code page 437.
    Cp437,
}

impl CodePage {
    /// The name the summary prints.
    pub fn name(self) -> &'static str {
        match self {
            CodePage::Windows1252 => "Windows-1252",
            CodePage::Cp437 => "code page 437",
        }
    }

    /// How `’` reads when its UTF-8 bytes are decoded with this code page.
    pub fn example(self) -> &'static str {
        match self {
            CodePage::Windows1252 => "â€™",
            CodePage::Cp437 => "ΓÇÖ",
        }
    }

    /// The byte this code page decodes to `c`, if any.
    fn byte_of(self, c: char) -> Option<u8> {
        let u = c as u32;
        if u < 0x80 {
            return Some(u as u8);
        }
        match self {
            CodePage::Windows1252 => {
                if (0xa0..=0xff).contains(&u) {
                    return Some(u as u8);
                }
                CP1252_HIGH
                    .iter()
                    .position(|&h| h == c)
                    .map(|i| 0x80 + i as u8)
            }
            CodePage::Cp437 => CP437_HIGH
                .chars()
                .position(|h| h == c)
                .map(|i| 0x80 + i as u8),
        }
    }

    /// The character this code page gives byte `b`.
    fn char_of(self, b: u8) -> char {
        match (self, b) {
            (_, 0..=0x7f) => b as char,
            (CodePage::Windows1252, 0x80..=0x9f) => CP1252_HIGH[(b - 0x80) as usize],
            (CodePage::Windows1252, _) => b as char,
            (CodePage::Cp437, _) => CP437_HIGH
                .chars()
                .nth((b - 0x80) as usize)
                .unwrap_or('\u{fffd}'),
        }
    }
}

/// What reading the bytes did beyond plain UTF-8.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoding {
    /// The bytes were not UTF-8 and were read as this code page.
    pub read_as: Option<CodePage>,
    /// Bytes that were neither, replaced by `�`.
    pub replaced: usize,
}

/// Reads a source's bytes as text: UTF-8 (a byte order mark dropped), or
/// Windows-1252 when the bytes are not UTF-8. Mis-decoded runs are
/// repaired later, by [`repair`].
pub fn decode(bytes: &[u8]) -> (String, Decoding) {
    let mut d = Decoding::default();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => {
            let invalid: usize = bytes.utf8_chunks().map(|c| c.invalid().len()).sum();
            let valid_multibyte: usize = bytes
                .utf8_chunks()
                .map(|c| c.valid().chars().filter(|c| !c.is_ascii()).count())
                .sum();
            if valid_multibyte * 4 < invalid {
                // Mostly single high bytes: an 8-bit code page.
                d.read_as = Some(CodePage::Windows1252);
                bytes
                    .iter()
                    .map(|&b| CodePage::Windows1252.char_of(b))
                    .collect()
            } else {
                d.replaced = invalid;
                String::from_utf8_lossy(bytes).into_owned()
            }
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    };
    (text, d)
}

/// Repairs runs of UTF-8 read as Windows-1252 or code page 437, choosing
/// the code page that explains more runs; nothing changes unless at least
/// two runs are explained.
pub fn repair(text: &str) -> (Cow<'_, str>, Option<(CodePage, usize)>) {
    if text.is_ascii() {
        return (Cow::Borrowed(text), None);
    }
    let best = [CodePage::Windows1252, CodePage::Cp437]
        .into_iter()
        .map(|cp| (cp, fix_with(text, cp)))
        .max_by_key(|(_, (_, n))| *n);
    match best {
        Some((cp, (fixed, n))) if n >= 2 => (Cow::Owned(fixed), Some((cp, n))),
        _ => (Cow::Borrowed(text), None),
    }
}

/// The text with every complete UTF-8 sequence that `cp` mis-decoded put
/// back, and how many there were.
fn fix_with(text: &str, cp: CodePage) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut fixed = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii() {
            out.push(c);
            i += 1;
            continue;
        }
        if let Some((ch, len)) = sequence_at(&chars, i, cp) {
            out.push(ch);
            fixed += 1;
            i += len;
            continue;
        }
        out.push(c);
        i += 1;
    }
    (out, fixed)
}

/// The character whose UTF-8 bytes `cp` printed as `chars[i..i + len]`.
fn sequence_at(chars: &[char], i: usize, cp: CodePage) -> Option<(char, usize)> {
    let lead = cp.byte_of(chars[i])?;
    let len = match lead {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    let mut bytes = vec![lead];
    for k in 1..len {
        let b = chars.get(i + k).and_then(|&c| cp.byte_of(c));
        match b {
            Some(b @ 0x80..=0xbf) => bytes.push(b),
            // "â€" before a byte the decoder could not show: the right
            // double quote (0x9D is undefined in Windows-1252).
            _ if cp == CodePage::Windows1252 && len == 3 && k == 2 && bytes == [0xe2, 0x80] => {
                return Some(('”', 2));
            }
            _ => return None,
        }
    }
    let s = std::str::from_utf8(&bytes).ok()?;
    let ch = s.chars().next()?;
    // A sequence decoding to a control character is no repair.
    (!ch.is_control()).then_some((ch, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a converter does: UTF-8 bytes read as `cp`.
    fn misread(text: &str, cp: CodePage) -> String {
        text.bytes().map(|b| cp.char_of(b)).collect()
    }

    #[test]
    fn repairs_windows_1252() {
        let original = "Europe’s “rules” — and the Comité’s 2025–2030 plan.";
        let bad = misread(original, CodePage::Windows1252);
        assert!(bad.contains("â€™"), "{bad}");
        let (fixed, how) = repair(&bad);
        assert_eq!(fixed, original);
        assert_eq!(how.map(|(cp, _)| cp), Some(CodePage::Windows1252));
    }

    #[test]
    fn repairs_code_page_437() {
        let original = "Europe’s photonics — the Fédération de l’optique.";
        let bad = misread(original, CodePage::Cp437);
        assert!(bad.contains("ΓÇÖ") && bad.contains("├⌐"), "{bad}");
        let (fixed, how) = repair(&bad);
        assert_eq!(fixed, original);
        assert_eq!(how.map(|(cp, _)| cp), Some(CodePage::Cp437));
    }

    #[test]
    fn lost_undefined_byte_is_the_closing_quote() {
        let (fixed, _) = repair("a â€œquoteâ€ and Europeâ€™s");
        assert_eq!(fixed, "a “quote” and Europe’s");
    }

    #[test]
    fn leaves_correct_text_alone() {
        for t in [
            "Europe’s rules, the Comité européen, Fédération — 2025–2030.",
            "Straße, naïve, café, Ärger, Øresund, São Paulo, 10 °C, ±5%.",
            "A single Ã© in a name stays.",
        ] {
            let (fixed, how) = repair(t);
            assert_eq!(fixed, t);
            assert_eq!(how, None);
        }
    }

    #[test]
    fn reads_windows_1252_bytes() {
        let (text, d) = decode(b"Caf\xe9 cr\xe8me \x93quoted\x94 and \x96 more");
        assert_eq!(text, "Café crème “quoted” and – more");
        assert_eq!(d.read_as, Some(CodePage::Windows1252));
        let (text, d) = decode("\u{feff}Plain “UTF-8”.".as_bytes());
        assert_eq!(text, "Plain “UTF-8”.");
        assert_eq!(d, Decoding::default());
    }
}
