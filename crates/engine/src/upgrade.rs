//! Bringing an older store up to date: the sentence shapes of articles
//! stored before the store counted them.
//!
//! A store written before the shape table existed gets the table on its
//! first writer open, marked incomplete (its earlier articles have no
//! rows), and frames are not told there (`unspun_store::Store::shape_fillers`
//! answers "unknown"). [`Engine::complete_shapes`] computes those
//! articles' shapes exactly as ingest does and records them under their
//! own keys, so the table, and every snapshot taken from it, ends as if
//! the articles had been ingested into a new store.

use rayon::prelude::*;
use unspun_store::ArticleKey;

use crate::ingest::shapes_of;
use crate::{Engine, Result};

/// Articles read, shaped and written per step: one write transaction and
/// one progress report each.
const UPGRADE_BATCH: usize = 2_000;

impl Engine {
    /// Records the sentence shapes of every stored article if the store
    /// lacks some (an older store), then marks them complete. Returns how
    /// many articles were read: 0 when the store was complete already.
    /// `progress(done, total)` is called after each batch.
    ///
    /// Articles ingested while this runs record their own shapes; the
    /// store keeps the smaller key of a pair seen twice, so the result does
    /// not depend on the order. Interrupted, it leaves the store marked
    /// incomplete (frames unknown, as before), and a later run starts over.
    pub fn complete_shapes(&self, progress: &mut dyn FnMut(usize, usize)) -> Result<usize> {
        let store = self.store();
        if store.shapes_complete()? {
            return Ok(0);
        }
        let keys = store.keys()?;
        let total = keys.len();
        let mut done = 0;
        for chunk in keys.chunks(UPGRADE_BATCH) {
            let rows: Vec<(ArticleKey, Vec<(u64, u64)>)> = store
                .get_many(chunk)?
                .into_par_iter()
                .map(|s| {
                    let (sentences, tokens) = self.tokens(&s.article.text);
                    (s.key, shapes_of(&sentences, &tokens))
                })
                .collect();
            store.add_stored_shapes(&rows, false)?;
            done += chunk.len();
            progress(done, total);
        }
        store.add_stored_shapes(&[], true)?;
        Ok(total)
    }
}
