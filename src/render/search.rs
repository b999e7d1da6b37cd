//! The search index: every claim and every brief page as a pagefind
//! custom record, made from the model (never by reading HTML back), and
//! pagefind's bundle for `/pagefind/` (index chunks, fragments, filters,
//! its JS, CSS and WebAssembly) as files for `render::write`.
//!
//! A record has the page's plain text (HTML-escaped, since pagefind hands
//! it back as the excerpt's HTML), its meta (`title`, `brief`, `section`,
//! `kind`) and its filters: `brief`, one per taxonomy (a term with its
//! ancestors, as term pages list them), `kind` and `year` (of the brief's
//! `published`).
//!
//! pagefind 1.4 keeps filters in hash maps, so the order of the filter list
//! in its meta file and of the values in each filter file changes from one
//! run to the next; [`canonical`] re-encodes both sorted (and renames them
//! by their new hash), so two builds of the same content are
//! byte-identical.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use anyhow::{anyhow, bail, Context as _, Result};

use crate::content::model::{Site, TermIx};
use crate::render::fingerprint::Fp;
use crate::render::highlight::escape;
use crate::render::inputs::Prepared;
use crate::render::urls;

/// One record of the index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    /// The page, relative to the site root (`claims/x/index.html`);
    /// pagefind's script prefixes the site's path.
    pub url: String,
    /// The text searched and excerpted, HTML-escaped.
    pub content: String,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
}

/// The filters of the index, in display order, as (key, label): `brief`,
/// each taxonomy (by id), `kind`, and the year (`year`, or
/// `published-year` if a taxonomy is called `year`).
pub fn filters(site: &Site) -> Vec<(&str, &str)> {
    let mut out = vec![("brief", "Brief")];
    out.extend(
        site.taxonomies
            .iter()
            .map(|t| (t.id(), t.def.name.as_str())),
    );
    out.push(("kind", "Kind"));
    out.push((year_key(site), "Year"));
    out
}

fn year_key(site: &Site) -> &'static str {
    if site.taxonomies.iter().any(|t| t.id() == "year") {
        "published-year"
    } else {
        "year"
    }
}

/// The names of a claim's terms of taxonomy `x` and their ancestors, in
/// vocabulary order.
fn term_names(site: &Site, x: usize, tags: &[TermIx]) -> Vec<String> {
    let tax = &site.taxonomies[x];
    let mut all: Vec<TermIx> = Vec::new();
    for &t in tags {
        for u in std::iter::once(t).chain(tax.ancestors(t)) {
            if !all.contains(&u) {
                all.push(u);
            }
        }
    }
    all.sort_unstable();
    all.into_iter()
        .map(|t| tax.terms[t as usize].name.clone())
        .collect()
}

/// Every record: the brief pages (title, subtitle, authors, publisher and
/// summary; their claims are records of their own), then every claim.
pub fn records(site: &Site, prepared: &Prepared) -> Vec<Record> {
    let year = year_key(site);
    let year_of = |published: &str| published.get(..4).unwrap_or(published).to_string();
    let mut out = Vec::with_capacity(site.briefs.len() + site.claims.len());
    for (b, brief) in site.briefs.iter().enumerate() {
        let mut text = brief.title.clone();
        for part in [brief.subtitle.as_deref(), Some(brief.publisher.as_str())]
            .into_iter()
            .flatten()
        {
            text.push_str(". ");
            text.push_str(part);
        }
        for name in brief.authors.iter().chain(&brief.editors) {
            text.push_str(". ");
            text.push_str(name);
        }
        if let Some(s) = &prepared.brief_summary_text[b] {
            text.push_str(". ");
            text.push_str(s);
        }
        let mut filters = BTreeMap::new();
        filters.insert("brief".to_string(), vec![brief.title.clone()]);
        for x in 0..site.taxonomies.len() {
            let mut tags: Vec<TermIx> = brief
                .claims
                .iter()
                .flat_map(|&c| site.claims[c as usize].tags[x].iter().copied())
                .collect();
            tags.sort_unstable();
            tags.dedup();
            let names = term_names(site, x, &tags);
            if !names.is_empty() {
                filters.insert(site.taxonomies[x].id().to_string(), names);
            }
        }
        filters.insert("kind".to_string(), vec!["brief".to_string()]);
        filters.insert(year.to_string(), vec![year_of(&brief.published)]);
        let mut meta = BTreeMap::new();
        meta.insert("title".to_string(), brief.title.clone());
        meta.insert(
            "brief".to_string(),
            format!("{}, {}", brief.publisher, brief.published),
        );
        meta.insert("kind".to_string(), "brief".to_string());
        out.push(Record {
            url: prepared.brief_url[b].clone(),
            content: escape(&text),
            meta,
            filters,
        });
    }
    for (i, c) in site.claims.iter().enumerate() {
        let brief = site.brief_of(c);
        let mut filters = BTreeMap::new();
        filters.insert("brief".to_string(), vec![brief.title.clone()]);
        for (x, tags) in c.tags.iter().enumerate() {
            if !tags.is_empty() {
                filters.insert(
                    site.taxonomies[x].id().to_string(),
                    term_names(site, x, tags),
                );
            }
        }
        filters.insert("kind".to_string(), vec![c.kind.as_str().to_string()]);
        filters.insert(year.to_string(), vec![year_of(&brief.published)]);
        let mut section: Vec<&str> = Vec::new();
        if let Some(ch) = c.chapter.and_then(|k| brief.chapters.get(k)) {
            section.push(&ch.title);
        }
        section.extend(c.section.iter().map(String::as_str));
        let mut meta = BTreeMap::new();
        meta.insert(
            "title".to_string(),
            crate::render::markdown::excerpt(&prepared.claim_plain[i], 90),
        );
        meta.insert("brief".to_string(), brief.title.clone());
        if !section.is_empty() {
            meta.insert("section".to_string(), section.join(" › "));
        }
        meta.insert("kind".to_string(), c.kind.as_str().to_string());
        out.push(Record {
            url: prepared.claim_url[i].clone(),
            content: escape(&prepared.claim_plain[i]),
            meta,
            filters,
        });
    }
    out
}

/// The fingerprint of the records (and of everything else the bundle is
/// made from), so watch mode can keep a bundle whose records did not move.
pub fn fingerprint(records: &[Record], language: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = Fp::default();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    language.hash(&mut h);
    records.hash(&mut h);
    h.finish()
}

/// pagefind's language code for a site language (`en-GB` → `en-gb`).
fn index_language(language: &str) -> String {
    language.trim().to_ascii_lowercase()
}

/// The pagefind bundle of `records`: every file, as (path under the output
/// root, bytes), in path order.
///
/// # Errors
/// pagefind failing to index or to build its files.
pub fn bundle(records: Vec<Record>, language: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let language = index_language(language);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("starting the search indexer")?;
    let files = rt.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language(language.clone())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))
            .map_err(|e| anyhow!("search index options: {e}"))?;
        for r in records {
            index
                .add_custom_record(
                    r.url,
                    r.content,
                    language.clone(),
                    Some(r.meta),
                    Some(r.filters),
                    None,
                )
                .await
                .map_err(|e| anyhow!("indexing a search record: {e}"))?;
        }
        index
            .get_files()
            .await
            .map_err(|e| anyhow!("building the search index: {e}"))
    })?;
    let files: BTreeMap<String, Vec<u8>> = files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .collect();
    let files = canonical(files)?;
    Ok(files
        .into_iter()
        .map(|(p, b)| (format!("{}{p}", urls::PAGEFIND), b))
        .collect())
}

// The shapes of pagefind's meta and filter files (pagefind 1.4,
// `index/index_metadata.rs` and `index/index_filter.rs`): CBOR arrays, as
// minicbor's derive writes them.

#[derive(minicbor::Encode, minicbor::Decode)]
struct MetaIndex {
    #[n(0)]
    version: String,
    #[n(1)]
    pages: Vec<MetaPage>,
    #[n(2)]
    index_chunks: Vec<MetaChunk>,
    #[n(3)]
    filters: Vec<MetaFilter>,
    #[n(4)]
    sorts: Vec<MetaSort>,
}

#[derive(minicbor::Encode, minicbor::Decode)]
struct MetaPage {
    #[n(0)]
    hash: String,
    #[n(1)]
    word_count: u32,
}

#[derive(minicbor::Encode, minicbor::Decode)]
struct MetaChunk {
    #[n(0)]
    from: String,
    #[n(1)]
    to: String,
    #[n(2)]
    hash: String,
}

#[derive(minicbor::Encode, minicbor::Decode)]
struct MetaFilter {
    #[n(0)]
    filter: String,
    #[n(1)]
    hash: String,
}

#[derive(minicbor::Encode, minicbor::Decode)]
struct MetaSort {
    #[n(0)]
    sort: String,
    #[n(1)]
    pages: Vec<u64>,
}

#[derive(minicbor::Encode, minicbor::Decode)]
struct FilterIndex {
    #[n(0)]
    filter: String,
    #[n(1)]
    values: Vec<PackedValue>,
}

#[derive(minicbor::Encode, minicbor::Decode)]
struct PackedValue {
    #[n(0)]
    value: String,
    #[n(1)]
    pages: Vec<u64>,
}

/// The signature pagefind puts before the data of its compressed files.
const SIGNATURE: &[u8] = b"pagefind_dcd";

fn unpack(bytes: &[u8], name: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .with_context(|| format!("reading pagefind's {name}"))?;
    match out.strip_prefix(SIGNATURE) {
        Some(rest) => Ok(rest.to_vec()),
        None => bail!("pagefind's {name} lacks its signature"),
    }
}

fn pack(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(SIGNATURE).expect("writing to memory");
    gz.write_all(data).expect("writing to memory");
    gz.finish().expect("writing to memory")
}

/// pagefind's file hash: the language, `_`, and the first 7 hex digits of
/// the SHA-1 of the uncompressed data.
fn short_hash(language: &str, data: &[u8]) -> String {
    use sha1::Digest;
    let digest = sha1::Sha1::digest(data);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{language}_{}", &hex[..7])
}

/// The bundle with its filter files' values and its meta file's filter
/// list in sorted order, renamed by their new hashes, and the entry file
/// pointing at the new meta file.
fn canonical(mut files: BTreeMap<String, Vec<u8>>) -> Result<BTreeMap<String, Vec<u8>>> {
    let entry_bytes = files
        .get("pagefind-entry.json")
        .ok_or_else(|| anyhow!("pagefind wrote no pagefind-entry.json"))?;
    let mut entry: serde_json::Value =
        serde_json::from_slice(entry_bytes).context("reading pagefind-entry.json")?;
    let languages = entry
        .get_mut("languages")
        .and_then(|l| l.as_object_mut())
        .ok_or_else(|| anyhow!("pagefind-entry.json lists no languages"))?;
    for (language, info) in languages.iter_mut() {
        let Some(hash) = info.get("hash").and_then(|h| h.as_str()).map(String::from) else {
            continue;
        };
        let meta_name = format!("pagefind.{hash}.pf_meta");
        let raw = files
            .remove(&meta_name)
            .ok_or_else(|| anyhow!("pagefind wrote no {meta_name}"))?;
        let mut meta: MetaIndex = minicbor::decode(&unpack(&raw, &meta_name)?)
            .map_err(|e| anyhow!("decoding {meta_name}: {e}"))?;
        for f in &mut meta.filters {
            let name = format!("filter/{}.pf_filter", f.hash);
            let raw = files
                .remove(&name)
                .ok_or_else(|| anyhow!("pagefind wrote no {name}"))?;
            let mut index: FilterIndex = minicbor::decode(&unpack(&raw, &name)?)
                .map_err(|e| anyhow!("decoding {name}: {e}"))?;
            index.values.sort_by(|a, b| a.value.cmp(&b.value));
            let data = minicbor::to_vec(&index).map_err(|e| anyhow!("encoding {name}: {e}"))?;
            f.hash = short_hash(language, &data);
            files.insert(format!("filter/{}.pf_filter", f.hash), pack(&data));
        }
        meta.filters.sort_by(|a, b| a.filter.cmp(&b.filter));
        meta.sorts.sort_by(|a, b| a.sort.cmp(&b.sort));
        let data = minicbor::to_vec(&meta).map_err(|e| anyhow!("encoding {meta_name}: {e}"))?;
        let new = short_hash(language, &data);
        files.insert(format!("pagefind.{new}.pf_meta"), pack(&data));
        info["hash"] = serde_json::Value::String(new);
    }
    files.insert(
        "pagefind-entry.json".into(),
        serde_json::to_vec(&entry).context("writing pagefind-entry.json")?,
    );
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, text: &str, country: &[&str]) -> Record {
        let mut filters = BTreeMap::new();
        filters.insert(
            "countries".to_string(),
            country.iter().map(|s| s.to_string()).collect(),
        );
        filters.insert("kind".to_string(), vec!["claim".to_string()]);
        let mut meta = BTreeMap::new();
        meta.insert("title".to_string(), text.to_string());
        Record {
            url: url.into(),
            content: escape(text),
            meta,
            filters,
        }
    }

    fn sample() -> Vec<Record> {
        vec![
            record(
                "claims/a/index.html",
                "Export controls on helium-3",
                &["China", "Japan"],
            ),
            record(
                "claims/b/index.html",
                "The Entity List grows",
                &["Japan", "Korea"],
            ),
            record(
                "claims/c/index.html",
                "Export controls & <b>allies</b>",
                &["Korea", "China"],
            ),
        ]
    }

    #[test]
    fn the_bundle_is_the_same_every_time() {
        let a = bundle(sample(), "en").unwrap();
        for _ in 0..3 {
            assert_eq!(bundle(sample(), "en").unwrap(), a);
        }
        let names: Vec<&str> = a.iter().map(|(p, _)| p.as_str()).collect();
        for want in [
            "pagefind/pagefind-entry.json",
            "pagefind/pagefind.js",
            "pagefind/wasm.en.pagefind",
        ] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
        assert!(names.iter().any(|n| n.ends_with(".pf_filter")));
        assert!(names.iter().any(|n| n.ends_with(".pf_fragment")));
        // The entry file names the meta file that is there.
        let entry: serde_json::Value = serde_json::from_slice(
            &a[names
                .iter()
                .position(|n| n.ends_with("entry.json"))
                .unwrap()]
            .1,
        )
        .unwrap();
        let hash = entry["languages"]["en"]["hash"].as_str().unwrap();
        assert!(names.contains(&format!("pagefind/pagefind.{hash}.pf_meta").as_str()));
    }

    #[test]
    fn filter_values_are_sorted() {
        let files: BTreeMap<String, Vec<u8>> =
            bundle(sample(), "en").unwrap().into_iter().collect();
        let (name, raw) = files
            .iter()
            .find(|(n, b)| {
                n.ends_with(".pf_filter")
                    && minicbor::decode::<FilterIndex>(&unpack(b, n).unwrap())
                        .unwrap()
                        .filter
                        == "countries"
            })
            .unwrap();
        let index: FilterIndex = minicbor::decode(&unpack(raw, name).unwrap()).unwrap();
        let values: Vec<&str> = index.values.iter().map(|v| v.value.as_str()).collect();
        assert_eq!(values, ["China", "Japan", "Korea"]);
    }
}
