//! Embeds the web UI's built files (`web/dist`, made by `npm run build` in
//! `web/`) when the `ui` feature is on. It only reads that folder: no network,
//! no npm. Without the folder (or without the feature) the list is empty and
//! the server answers its pages with how to build the UI.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CARGO_FEATURE_UI");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let web = manifest.join("../../web");
    let dist = web.join("dist");
    let mut files = Vec::new();
    if std::env::var_os("CARGO_FEATURE_UI").is_some() {
        if dist.join("index.html").is_file() {
            println!("cargo:rerun-if-changed={}", dist.display());
            collect(&dist, &dist, &mut files);
            files.sort();
        } else if web.is_dir() {
            // A build made later is then picked up (the folder's contents change).
            println!("cargo:rerun-if-changed={}", web.display());
        }
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let mut out = String::from("&[\n");
    for (i, (rel, abs)) in files.iter().enumerate() {
        let bytes = std::fs::read(abs).unwrap_or_else(|e| panic!("read {}: {e}", abs.display()));
        let etag = format!("{:016x}-{:x}", fnv1a(&bytes), bytes.len());
        // Text files are also embedded gzipped, when that is smaller.
        let gzip = match gzipped(rel, &bytes) {
            Some(gz) => {
                let path = out_dir.join(format!("web-asset-{i}.gz"));
                std::fs::write(&path, gz)
                    .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
                format!("Some(include_bytes!({:?}))", path.display().to_string())
            }
            None => "None".to_owned(),
        };
        writeln!(
            out,
            "    crate::web::Asset {{ path: {rel:?}, body: include_bytes!({:?}), etag: {:?}, gzip: {gzip}, gzip_etag: {:?} }},",
            abs.display().to_string(),
            format!("\"{etag}\""),
            format!("\"{etag}-gz\""),
        )
        .expect("write to a string");
    }
    out.push(']');
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("web_assets.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("write {}: {e}", dest.display()));
}

/// Every file under `dir`, as (path relative to `root` with `/`, absolute path).
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("under the root");
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let abs = path.canonicalize().unwrap_or(path);
            out.push((rel.join("/"), abs));
        }
    }
}

/// The gzip of a text file of at least 1 KiB, if smaller than the file.
fn gzipped(path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let text = [
        ".html", ".js", ".mjs", ".css", ".svg", ".json", ".map", ".txt",
    ];
    if bytes.len() < 1024 || !text.iter().any(|e| path.ends_with(e)) {
        return None;
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, bytes).expect("gzip into memory");
    let gz = gz.finish().expect("gzip into memory");
    (gz.len() < bytes.len()).then_some(gz)
}

/// FNV-1a, 64 bits: the files' ETags (a change of content changes it).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
