//! Embeddings: vectors cached by hash of the text between runs, and every
//! text of a set embedded once.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use unspun_embed::Embedder;
use xxhash_rust::xxh3::xxh3_64;

use crate::data::Pair;

/// MiniLM vectors by hash of the text, persisted between runs.
#[derive(Default)]
pub struct Cache {
    path: Option<PathBuf>,
    dim: usize,
    map: HashMap<u64, Vec<f32>>,
    dirty: bool,
}

impl Cache {
    pub fn open(path: Option<PathBuf>, dim: usize) -> Cache {
        let mut map = HashMap::new();
        if let Some(p) = &path {
            if let Ok(mut f) = std::fs::File::open(p) {
                let mut bytes = Vec::new();
                if f.read_to_end(&mut bytes).is_ok() {
                    let rec = 8 + 4 * dim;
                    for r in bytes.chunks_exact(rec) {
                        let key = u64::from_le_bytes(r[..8].try_into().expect("8 bytes"));
                        let v = r[8..]
                            .chunks_exact(4)
                            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
                            .collect();
                        map.insert(key, v);
                    }
                }
            }
        }
        Cache {
            path,
            dim,
            map,
            dirty: false,
        }
    }

    pub fn save(&self) -> Result<()> {
        let (Some(p), true) = (&self.path, self.dirty) else {
            return Ok(());
        };
        let mut out = Vec::with_capacity(self.map.len() * (8 + 4 * self.dim));
        for (k, v) in &self.map {
            out.extend_from_slice(&k.to_le_bytes());
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        std::fs::File::create(p)?.write_all(&out)?;
        Ok(())
    }

    /// Each pair's row of features, in order: from the cache where `key`
    /// finds it, else from `compute` (given the uncached pairs 256 at a
    /// time, one row per pair, progress on stderr), which fills the cache;
    /// the cache is then saved.
    pub fn pair_rows(
        &mut self,
        pairs: &[Pair],
        key: impl Fn(&Pair) -> u64,
        label: &str,
        mut compute: impl FnMut(&[&Pair]) -> Result<Vec<Vec<f32>>>,
    ) -> Result<Vec<Vec<f32>>> {
        let todo: Vec<&Pair> = pairs
            .iter()
            .filter(|p| !self.map.contains_key(&key(p)))
            .collect();
        let started = Instant::now();
        for (n, chunk) in todo.chunks(256).enumerate() {
            for (p, row) in chunk.iter().zip(compute(chunk)?) {
                self.map.insert(key(p), row);
                self.dirty = true;
            }
            eprintln!(
                "  {label}: {}/{} pairs, {:.0} s",
                ((n + 1) * 256).min(todo.len()),
                todo.len(),
                started.elapsed().as_secs_f64()
            );
        }
        self.save()?;
        Ok(pairs.iter().map(|p| self.map[&key(p)].clone()).collect())
    }
}

/// Embeds `texts` (deduplicated) with `model`, through `cache` if given.
pub fn embed_all(
    model: &dyn Embedder,
    texts: &[&str],
    mut cache: Option<&mut Cache>,
) -> Result<HashMap<String, Vec<f32>>> {
    let mut unique: Vec<&str> = texts.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let mut out = HashMap::with_capacity(unique.len());
    let mut todo = Vec::new();
    for t in unique {
        match cache
            .as_ref()
            .and_then(|c| c.map.get(&xxh3_64(t.as_bytes())))
        {
            Some(v) => {
                out.insert(t.to_string(), v.clone());
            }
            None => todo.push(t),
        }
    }
    let started = Instant::now();
    for (k, chunk) in todo.chunks(1024).enumerate() {
        let vs = model.embed(chunk)?;
        for (t, v) in chunk.iter().zip(vs) {
            if let Some(c) = cache.as_deref_mut() {
                c.map.insert(xxh3_64(t.as_bytes()), v.clone());
                c.dirty = true;
            }
            out.insert(t.to_string(), v);
        }
        if todo.len() > 2048 {
            eprintln!(
                "  {}: {}/{} texts, {:.0} s",
                model.name(),
                ((k + 1) * 1024).min(todo.len()),
                todo.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(out)
}
