//! Work-arounds for pdf-extract's font handling, applied to the document before extraction.
//!
//! pdf-extract 0.12 misreads the range form `c_first c_last w` of a CIDFont's `/W` array (it
//! takes `c_first` as last and as width), so every glyph of such a range gets the default width
//! and all following glyphs of the same string are misplaced. Chromium/Skia and many other
//! producers use that form. We rewrite each range into the list form `c_first [w w ...]`, which
//! pdf-extract reads correctly.

use pdf_extract::{Document, Object};

/// Largest range expanded (guards against hostile `0 65535 w` ranges bloating memory).
const MAX_RANGE: i64 = 65_536;

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn rewrite(w: &[Object]) -> Option<Vec<Object>> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut changed = false;
    while i < w.len() {
        let first = num(&w[i])? as i64;
        match w.get(i + 1)? {
            Object::Array(a) => {
                out.push(Object::Integer(first));
                out.push(Object::Array(a.clone()));
                i += 2;
            }
            o => {
                let last = num(o)? as i64;
                let width = num(w.get(i + 2)?)?;
                if last < first || last - first > MAX_RANGE {
                    return None;
                }
                out.push(Object::Integer(first));
                out.push(Object::Array(
                    (first..=last).map(|_| Object::Real(width as f32)).collect(),
                ));
                changed = true;
                i += 3;
            }
        }
    }
    changed.then_some(out)
}

/// Rewrite range-form `/W` arrays of all CID fonts into list form.
pub fn fix_cid_widths(doc: &mut Document) {
    let mut fixes: Vec<(
        pdf_extract::ObjectId,
        Option<pdf_extract::ObjectId>,
        Vec<Object>,
    )> = Vec::new();
    for (id, obj) in doc.objects.iter() {
        let Object::Dictionary(d) = obj else { continue };
        let is_cid = matches!(
            d.get(b"Subtype").and_then(Object::as_name),
            Ok(b"CIDFontType2") | Ok(b"CIDFontType0")
        );
        if !is_cid {
            continue;
        }
        let Ok(w) = d.get(b"W") else { continue };
        let (wid, arr) = match w {
            Object::Array(a) => (None, a),
            Object::Reference(r) => match doc.objects.get(r) {
                Some(Object::Array(a)) => (Some(*r), a),
                _ => continue,
            },
            _ => continue,
        };
        if let Some(new) = rewrite(arr) {
            fixes.push((*id, wid, new));
        }
    }
    for (id, wid, new) in fixes {
        match wid {
            Some(r) => {
                if let Some(o) = doc.objects.get_mut(&r) {
                    *o = Object::Array(new);
                }
            }
            None => {
                if let Some(Object::Dictionary(d)) = doc.objects.get_mut(&id) {
                    d.set("W", Object::Array(new));
                }
            }
        }
    }
}

/// Decompress every font's ToUnicode CMap once: pdf-extract rebuilds its fonts on every page
/// and would otherwise inflate the same streams again each time.
pub fn predecompress_cmaps(doc: &mut Document) {
    let ids: Vec<pdf_extract::ObjectId> = doc
        .objects
        .values()
        .filter_map(|o| match o {
            Object::Dictionary(d) => d.get(b"ToUnicode").ok().and_then(|t| t.as_reference().ok()),
            _ => None,
        })
        .collect();
    for id in ids {
        if let Some(Object::Stream(s)) = doc.objects.get_mut(&id) {
            if s.content.len() < 1 << 20 {
                let _ = s.decompress();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_become_lists() {
        let w = vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(278)]),
            Object::Integer(19),
            Object::Integer(21),
            Object::Real(556.0),
        ];
        let out = rewrite(&w).expect("changed");
        assert_eq!(out.len(), 4);
        assert!(matches!(&out[3], Object::Array(a) if a.len() == 3));
        assert!(rewrite(&[
            Object::Integer(0),
            Object::Integer(1_000_000),
            Object::Integer(5)
        ])
        .is_none());
    }
}
